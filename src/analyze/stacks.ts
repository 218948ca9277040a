import type { Profile } from '../model/profile.js';

/** A sample's stack read as functions and positions, for analyses that look past the leaf. */

/** Function names of sample i, innermost first, inlined calls expanded (pprof's function granularity). */
export function sampleFunctions(p: Profile, i: number): string[] {
  return sampleFrames(p, i).map((f) => f.function);
}

export interface Frame {
  function: string;
  file: string;
  line: number;
}

/** Frames of sample i, innermost first, inlined calls expanded; lines without a function left out. */
export function sampleFrames(p: Profile, i: number): Frame[] {
  const out: Frame[] = [];
  const start = p.samples.locStart[i]!;
  for (let k = start; k < start + p.samples.locCount[i]!; k++) {
    const loc = p.stacks[k]!;
    const first = p.locations.lineStart[loc]!;
    for (let l = first; l < first + p.locations.lineCount[loc]!; l++) {
      const fn = p.lines.function[l]!;
      if (fn >= 0) out.push({ function: p.strings[p.functions.name[fn]!]!, file: p.strings[p.functions.filename[fn]!]!, line: p.lines.line[l]! });
    }
  }
  return out;
}
