import { lineFunctionName, type Profile } from '../model/profile.js';
import { selectSamples } from '../model/transform.js';
import { PROFILER_FUNCTION } from './go-names.js';

/**
 * The samples of the program itself: a sample with a frame of the profiling
 * machinery anywhere in its stack (serving /debug/pprof, writing a trace,
 * the gzip writer under them) is dropped. Findings read this; pprof-shaped
 * tables keep every sample, as pprof does.
 */
export function programOnly(p: Profile): Profile {
  const keep: number[] = [];
  for (let i = 0; i < p.samples.count; i++) if (!stackHas(p, i, PROFILER_FUNCTION)) keep.push(i);
  return keep.length === p.samples.count ? p : selectSamples(p, keep);
}

function stackHas(p: Profile, i: number, re: RegExp): boolean {
  const { locStart, locCount } = p.samples;
  for (let s = locStart[i]!; s < locStart[i]! + locCount[i]!; s++) {
    const loc = p.stacks[s]!;
    const first = p.locations.lineStart[loc]!;
    for (let l = first; l < first + p.locations.lineCount[loc]!; l++) if (re.test(lineFunctionName(p, l))) return true;
  }
  return false;
}
