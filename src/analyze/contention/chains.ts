import type { Profile } from '../../model/profile.js';
import type { ReverseChain } from './types.js';

/**
 * Reverse call chains into a contended site: for every sample whose stack
 * passes through the site, the site's callers going outward, weighted by the
 * sample's value. The first hop is what pprof -peek lists as the site's
 * callers; the chain goes on to the frame where the program's own code is.
 */

/** Chains are cut after this many callers: enough to reach user code through sync and runtime wrappers. */
export const CHAIN_DEPTH = 4;
/** Chains kept per site, heaviest first. */
export const MAX_CHAINS = 5;

/** Function names of sample i, innermost first, inlined calls expanded (pprof's function granularity). */
export function sampleFunctions(p: Profile, i: number): string[] {
  const out: string[] = [];
  const start = p.samples.locStart[i]!;
  for (let k = start; k < start + p.samples.locCount[i]!; k++) {
    const loc = p.stacks[k]!;
    const first = p.locations.lineStart[loc]!;
    for (let l = first; l < first + p.locations.lineCount[loc]!; l++) {
      const fn = p.lines.function[l]!;
      if (fn >= 0) out.push(p.strings[p.functions.name[fn]!]!);
    }
  }
  return out;
}

/**
 * The callers outward from position `at`, with the site itself and adjacent
 * repeats left out: legacy text can list one function twice (an inlined
 * call and its caller at one address).
 */
function outwardCallers(funcs: readonly string[], at: number, site: string): string[] {
  const out: string[] = [];
  for (let k = at + 1; k < funcs.length && out.length < CHAIN_DEPTH; k++) {
    const f = funcs[k]!;
    if (f !== site && f !== out[out.length - 1]) out.push(f);
  }
  return out;
}

export function reverseChains(p: Profile, site: string, valueIndex: number): { total: number; chains: ReverseChain[] } {
  const byChain = new Map<string, { callers: string[]; value: number }>();
  let total = 0;
  const n = p.sampleTypes.length;
  for (let i = 0; i < p.samples.count; i++) {
    const funcs = sampleFunctions(p, i);
    const at = funcs.indexOf(site);
    if (at < 0) continue;
    const value = p.samples.values[i * n + valueIndex]!;
    total += value;
    const callers = outwardCallers(funcs, at, site);
    const key = callers.join('\n');
    const found = byChain.get(key);
    if (found) found.value += value;
    else byChain.set(key, { callers, value });
  }
  const chains = [...byChain.values()]
    .sort((a, b) => b.value - a.value || (a.callers.join() < b.callers.join() ? -1 : 1))
    .slice(0, MAX_CHAINS)
    .map((c) => ({ ...c, share: total ? c.value / total : 0 }));
  return { total, chains };
}
