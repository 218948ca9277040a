import { closeSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { fileHead } from '../formats/random-access.js';
import { admitProfile, decodeProfile, FormatError, LIMITS, streamProfile } from '../formats/index.js';
import { GoBinary } from '../formats/gobinary/index.js';
import { symbolizeWithBinary } from '../formats/gobinary/symbolize.js';
import { isGzip } from '../formats/gzip.js';
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
  try {
    const head = fileHead(path, 4);
    return BINARY_MAGICS.some((m) => m.every((b, i) => head[i] === b));
  } catch {
    return false;
  }
}

/** Where a command's warnings go (stderr, one line each). */
export type Warn = (message: string) => void;

/** Prints `footprint COMMAND: warning: …` lines on the command's stderr, made printable (they quote input). */
export function warner(io: Io, command: string): Warn {
  return (message) => warnLine(io, `footprint ${command}: warning: ${message}`);
}

/**
 * Reads and decodes one profile (a file, `-` or a URL), warning through `warn`
 * when given. A regular file in a format read as a stream is decoded as it is
 * read (streamFile); everything else is read whole within its size limit.
 */
export async function loadProfile(inputs: Inputs, spec: string, progress?: Progress, warn?: Warn): Promise<Profile> {
  const streamed = spec !== STDIN && !isUrl(spec) ? streamFile(spec, progress) : undefined;
  if (streamed) {
    if (warn) warnInexact(streamed, spec, warn);
    return streamed;
  }
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

/** How much of a file is read at a time when its format is decoded as it is read. */
export const STREAM_CHUNK_BYTES = 1 << 20;

/**
 * Decodes a regular, uncompressed file whose format reads as a stream (legacy
 * text) chunk by chunk, so memory does not grow with the file (the Go
 * compiler's memprofile is 100 MB); undefined for everything else (pipes,
 * gzip, proto, a missing file), which Inputs reads whole and words the errors of.
 */
export function streamFile(path: string, progress?: Progress, chunkBytes = STREAM_CHUNK_BYTES): Profile | undefined {
  let fd: number;
  let st: Stats;
  try {
    // stat before open: opening a named pipe would take bytes its reader must see.
    st = statSync(path);
    // Over the profile limit, Inputs refuses it with the message every input gets.
    if (!st.isFile() || st.size > LIMITS.profile.bytes) return undefined;
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const buf = new Uint8Array(Math.max(chunkBytes, 4096));
    let n = readSync(fd, buf, 0, 4096, null);
    if (isGzip(buf.subarray(0, n))) return undefined;
    const stream = streamProfile(buf.subarray(0, n), path);
    if (!stream) return undefined;
    progress?.phase(`decoding ${path} (${(st.size / 2 ** 20).toFixed(1)} MiB)`);
    while (n > 0) {
      stream.push(buf.subarray(0, n));
      n = readSync(fd, buf, 0, chunkBytes, null);
    }
    return stream.finish();
  } catch (err) {
    if (err instanceof FormatError) throw err;
    throw new FormatError(`cannot read: ${(err as Error).message}`, path);
  } finally {
    closeSync(fd);
  }
}

/**
 * Splits `[binary] profile...` as pprof does and loads everything the report
 * needs: sources, --base / --diff_base, --normalize. A Go binary symbolises
 * the profiles from its own tables, as pprof does (legacy text names frames
 * from its comments otherwise); its name is the `File:` header pprof prints.
 * `warnings` say why a binary was not used.
 */
export async function loadReportInput(
  positionals: string[],
  values: ParsedValues,
  progress?: Progress,
  warn: Warn = () => {},
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
  const symbols = binary !== undefined ? openBinary(binary, warn) : undefined;
  const load = async (specs: string[]): Promise<Profile[]> => {
    const out: Profile[] = [];
    for (const f of specs) out.push(withBinaryName(symbolise(await loadProfile(inputs, f, progress, warn), inputs.name(f)), binary));
    return out;
  };
  const symbolise = (p: Profile, name: string): Profile => {
    if (!symbols) return p;
    progress?.phase(`symbolising ${name} from ${binary}`);
    try {
      const s = symbolizeWithBinary(p, symbols, binary!);
      for (const w of s.warnings) warn(`${name}: ${w}`);
      return s.profile;
    } catch (err) {
      if (!(err instanceof FormatError)) throw err;
      warn(`cannot symbolise from ${err.describe()}; names come from the profile itself`);
      return p;
    }
  };
  let sources: Profile[];
  let bases: Profile[];
  try {
    sources = await load(files);
    bases = await load(baseFiles);
  } finally {
    symbols?.close();
  }
  progress?.phase('combining');
  try {
    const profile = combineSources(sources, { base: bases, baseMode, normalize: values['normalize'] === true });
    return { profile, files: files.map((f) => inputs.name(f)) };
  } catch (err) {
    throw new UsageError(`cannot combine ${[...files, ...baseFiles].join(', ')}: ${(err as Error).message}`);
  }
}

/** The binary's symbol table, or undefined with a warning saying why it cannot be read (the report goes on, as pprof's does). */
function openBinary(path: string, warn: Warn): GoBinary | undefined {
  try {
    return GoBinary.openFile(path);
  } catch (err) {
    if (!(err instanceof FormatError)) throw err;
    warn(`cannot symbolise from ${err.describe()}; names come from the profile itself`);
    return undefined;
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
