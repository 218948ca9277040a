import type { Profile } from '../../model/profile.js';
import { sampleFrames, type Frame } from '../stacks.js';
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

/**
 * The callers outward from position `at`, with the site itself and adjacent
 * repeats left out: legacy text can list one function twice (an inlined
 * call and its caller at one address).
 */
function outwardCallers(frames: readonly Frame[], at: number, site: string): Frame[] {
  const out: Frame[] = [];
  for (let k = at + 1; k < frames.length && out.length < CHAIN_DEPTH; k++) {
    const f = frames[k]!;
    if (f.function !== site && f.function !== out[out.length - 1]?.function) out.push(f);
  }
  return out;
}

export function reverseChains(p: Profile, site: string, valueIndex: number): { total: number; chains: ReverseChain[] } {
  const byChain = new Map<string, { callers: Frame[]; value: number }>();
  let total = 0;
  const n = p.sampleTypes.length;
  for (let i = 0; i < p.samples.count; i++) {
    const frames = sampleFrames(p, i);
    const at = frames.findIndex((f) => f.function === site);
    if (at < 0) continue;
    const value = p.samples.values[i * n + valueIndex]!;
    total += value;
    const callers = outwardCallers(frames, at, site);
    const key = callers.map((c) => c.function).join('\n');
    const found = byChain.get(key);
    if (found) found.value += value;
    else byChain.set(key, { callers, value });
  }
  const name = (c: { callers: Frame[] }) => c.callers.map((f) => f.function).join();
  const chains = [...byChain.values()]
    .sort((a, b) => b.value - a.value || (name(a) < name(b) ? -1 : 1))
    .slice(0, MAX_CHAINS)
    .map((c) => ({
      callers: c.callers.map((f) => f.function),
      positions: c.callers.map(({ file, line }) => ({ file, line })),
      value: c.value,
      share: total ? c.value / total : 0,
    }));
  return { total, chains };
}
