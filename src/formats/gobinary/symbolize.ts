import type { Profile } from '../../model/profile.js';
import { withLocationLines, type SourceLine } from '../../model/transform.js';
import type { GoBinary } from './index.js';

/**
 * Symbolises a profile from the executable given with it, as `go tool pprof
 * BINARY PROFILE` does (internal/symbolizer with cmd/pprof's gosym-based
 * object file): the locations of the main mapping, when the profile does not
 * already carry functions, file names or line numbers for it, get the
 * physical function at their address and the innermost position there.
 *
 * Legacy text has no mappings and carries symbols of its own (its `#` frame
 * lines, which pprof ignores): those are replaced, once the binary is shown
 * to be the one that wrote the profile — every position the text printed
 * must be the binary's at that address, which holds exactly for the right
 * binary (the runtime printed them from these very tables). A binary that
 * disagrees is not used, with a warning, rather than naming every frame
 * wrongly as pprof would.
 */
export interface Symbolized {
  profile: Profile;
  /** For the user: why the binary was not (fully) used. */
  warnings: string[];
}

export function symbolizeWithBinary(p: Profile, bin: GoBinary, binaryName: string): Symbolized {
  const legacy = p.mappings.length === 0;
  const main = p.mappings[0];
  if (!legacy && (!main || main.hasFunctions || main.hasFilenames || main.hasLineNumbers)) return { profile: p, warnings: [] };
  const offset = legacy || main!.start === 0n ? 0 : Number(main!.start) - (bin.loadAddress() ?? Number(main!.start));
  const L = p.locations;
  const mine = (loc: number) => legacy || L.mapping[loc] === 0;
  // Addresses are below 2^53 in any real binary; one that is not finds no function.
  const addresses = Array.from({ length: L.count }, (_, loc) => (mine(loc) ? Number(L.address[loc]!) - offset : -1));
  const fresh: (SourceLine | undefined)[] = bin.symbols(addresses);
  let compared = 0;
  let differ = 0;
  let firstDiffer = '';
  for (let loc = 0; loc < L.count; loc++) {
    if (!mine(loc)) continue;
    const sym = fresh[loc];
    const own = legacy ? textPosition(p, loc) : undefined;
    if (!own) continue;
    compared++;
    if (sym && sym.file === own.file && sym.line === own.line) continue;
    differ++;
    if (!firstDiffer) {
      const theirs = sym ? `${sym.file}:${sym.line}` : 'no function';
      firstDiffer = `at 0x${L.address[loc]!.toString(16)} the binary has ${theirs}, the profile's own frames say ${own.file}:${own.line}`;
    }
  }
  if (differ > 0) {
    return {
      profile: p,
      warnings: [`${binaryName} is not the binary that wrote this profile (${firstDiffer}; ${differ} of ${compared} addresses differ): names are taken from the profile's own frames`],
    };
  }
  return { profile: withLocationLines(p, (loc) => (fresh[loc] ? [fresh[loc]] : undefined)), warnings: [] };
}

/** The position a legacy text location got from its `#` frame lines, if any (runtime.goexit and hidden frames have none). */
function textPosition(p: Profile, loc: number): { file: string; line: number } | undefined {
  if (p.locations.lineCount[loc] === 0) return undefined;
  const k = p.locations.lineStart[loc]!;
  const f = p.lines.function[k]!;
  const file = f < 0 ? '' : p.strings[p.functions.filename[f]!]!;
  return file === '' ? undefined : { file, line: p.lines.line[k]! };
}
