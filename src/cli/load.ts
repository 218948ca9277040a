import { closeSync, openSync, readSync } from 'node:fs';
import { admitProfile, decodeProfile } from '../formats/index.js';
import { inexactNotes } from '../model/inexact.js';
import type { Profile } from '../model/profile.js';
import { combineSources, type BaseMode } from '../report/sources.js';
import type { ParsedValues } from './args.js';
import { warn as warnLine, type Io } from './io.js';
import { UsageError } from './args.js';
import { Inputs, isUrl, STDIN } from './input/index.js';
import { Progress } from './progress.js';

const BINARY_MAGICS = [
  [0x7f, 0x45, 0x4c, 0x46], // ELF
  [0xcf, 0xfa, 0xed, 0xfe], // Mach-O 64
  [0xce, 0xfa, 0xed, 0xfe], // Mach-O 32
  [0x4d, 0x5a], // PE
];

/** True when the file is an executable (pprof's optional [binary] argument). */
export function isExecutable(path: string): boolean {
  if (path === STDIN || isUrl(path)) return false;
  // Only the magic number matters: binaries are large, so read four bytes, not the file.
  const head = new Uint8Array(4);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    readSync(fd, head, 0, 4, 0);
    return BINARY_MAGICS.some((m) => m.every((b, i) => head[i] === b));
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Where a command's warnings go (stderr, one line each). */
export type Warn = (message: string) => void;

/** Prints `footprint COMMAND: warning: …` lines on the command's stderr, made printable (they quote input). */
export function warner(io: Io, command: string): Warn {
  return (message) => warnLine(io, `footprint ${command}: warning: ${message}`);
}

/** Reads and decodes one profile (a file, `-` or a URL), warning through `warn` when given. */
export async function loadProfile(inputs: Inputs, spec: string, progress?: Progress, warn?: Warn): Promise<Profile> {
  progress?.phase(`reading ${inputs.name(spec)}`);
  const { name, bytes } = await inputs.read(spec, admitProfile);
  progress?.phase(`decoding ${name} (${(bytes.length / 2 ** 20).toFixed(1)} MiB)`);
  return warn ? decodeProfileFile(bytes, name, warn) : decodeProfile(bytes, name);
}

/** Decodes a profile in any format, warning about what in it a double cannot hold exactly (model/inexact.ts). */
export function decodeProfileFile(bytes: Uint8Array, file: string, warn: Warn): Profile {
  const profile = decodeProfile(bytes, file);
  warnInexact(profile, file, warn);
  return profile;
}

export function warnInexact(p: Profile, file: string, warn: Warn): void {
  for (const note of inexactNotes(p, file)) warn(note);
}

/**
 * Splits `[binary] profile...` as pprof does and loads everything the report
 * needs: sources, --base / --diff_base, --normalize. The binary is not read
 * for symbols (legacy text carries its own); only its name is used, as the
 * `File:` header pprof prints.
 */
export async function loadReportInput(
  positionals: string[],
  values: ParsedValues,
  progress?: Progress,
  warn?: Warn,
): Promise<{ profile: Profile; files: string[] }> {
  if (positionals.length === 0) throw new UsageError('no profile given');
  let files = positionals;
  let binary: string | undefined;
  if (files.length > 1 && isExecutable(files[0]!)) {
    binary = files[0];
    files = files.slice(1);
  }
  const base = values['base'] as string[] | undefined;
  const diffBase = values['diff_base'] as string[] | undefined;
  if (base && diffBase) throw new UsageError('-base and -diff_base cannot both be set');
  const baseFiles = base ?? diffBase ?? [];
  const baseMode: BaseMode = diffBase ? 'diff_base' : 'base';
  const inputs = Inputs.fromFlags(values, [...files, ...baseFiles]);
  const load = async (specs: string[]) => {
    const out: Profile[] = [];
    for (const f of specs) out.push(withBinaryName(await loadProfile(inputs, f, progress, warn), binary));
    return out;
  };
  const sources = await load(files);
  const bases = await load(baseFiles);
  progress?.phase('combining');
  try {
    const profile = combineSources(sources, { base: bases, baseMode, normalize: values['normalize'] === true });
    return { profile, files: files.map((f) => inputs.name(f)) };
  } catch (err) {
    throw new UsageError(`cannot combine ${[...files, ...baseFiles].join(', ')}: ${(err as Error).message}`);
  }
}

/**
 * pprof gives a profile without mappings a placeholder mapping, and names
 * mapping 0 after the binary when one is given on the command line.
 */
function withBinaryName(p: Profile, binary: string | undefined): Profile {
  if (p.mappings.length > 0 && binary === undefined) return p;
  const mappings = p.mappings.length > 0 ? p.mappings.map((m) => ({ ...m })) : [placeholderMapping()];
  if (binary !== undefined) mappings[0]!.file = binary;
  const locMapping = p.mappings.length > 0 ? p.locations.mapping : new Int32Array(p.locations.count);
  return { ...p, mappings, locations: { ...p.locations, mapping: locMapping } };
}

function placeholderMapping() {
  return {
    id: 1,
    start: 0n,
    limit: 0n,
    offset: 0n,
    file: '',
    buildId: '',
    hasFunctions: false,
    hasFilenames: false,
    hasLineNumbers: false,
    hasInlineFrames: false,
  };
}
