import type { MemStats } from '../../model/profile.js';
import { memStatsValue } from '../memstats.js';
import type { Grouped } from './group.js';
import type { GoroutineGroup, StackMemory } from './types.js';

/**
 * Stack memory held by goroutine groups. A dump does not print stack sizes,
 * so each goroutine is estimated from its depth; when MemStats is at hand the
 * estimates are scaled so they add up to the measured StackInuse, and each
 * group's share of the process's memory (Sys) follows.
 */

/** Every goroutine starts with at least this much stack (runtime/stack.go: fixedStack is 2 KiB on linux/amd64). */
const MIN_STACK_BYTES = 2048;
/**
 * A rough frame size for amd64 code (return address, frame pointer, locals and
 * spill slots). Tracebacks at level 1 print no frame sizes, so this is a guess
 * that only matters for deep stacks; MemStats calibrates it away.
 */
const TYPICAL_FRAME_BYTES = 160;

/** A stack that needs `depth` frames: the runtime doubles a full stack, so a power of two, at least the minimum. */
export function estimateStackBytes(depth: number): number {
  const need = depth * TYPICAL_FRAME_BYTES;
  let size = MIN_STACK_BYTES;
  while (size < need) size *= 2;
  return size;
}

/**
 * Each group with the stack memory it holds, and the total: estimates from
 * depths, scaled to StackInuse when MemStats are given (then an upper bound:
 * StackInuse includes runtime and system stacks).
 */
export function measureStacks(groups: readonly Grouped[], memStats?: MemStats): { groups: GoroutineGroup[]; stackMemory: StackMemory } {
  const raw = groups.map((g) => g.count * estimateStackBytes(g.maxDepth));
  const rawTotal = raw.reduce((a, b) => a + b, 0);
  const problems: string[] = [];
  const usable = (name: string): number | null => {
    const v = memStatsValue(memStats, name);
    if (v && 'problem' in v) problems.push(`${v.problem}; left out`);
    return v && 'value' in v ? v.value : null;
  };
  let stackInuse = usable('StackInuse');
  let sys = usable('Sys');
  if (stackInuse === 0) stackInuse = null;
  if (stackInuse !== null && sys !== null && stackInuse > sys) {
    problems.push(`StackInuse (${stackInuse} bytes) is more than Sys (${sys} bytes), which holds it: no share of the process is given`);
    sys = null;
  }
  const scale = stackInuse !== null && rawTotal > 0 ? stackInuse / rawTotal : 1;
  let totalBytes = 0;
  const measured = groups.map(({ key: _key, ...g }, i) => {
    const stackBytes = Math.round(raw[i]! * scale);
    totalBytes += stackBytes;
    return { ...g, stackBytes, shareOfProcess: sys !== null ? stackBytes / sys : null };
  });
  const stackMemory: StackMemory = { totalBytes, basis: stackInuse !== null ? 'calibrated' : 'estimate', stackInuse, sys };
  if (problems.length) stackMemory.problems = problems;
  return { groups: measured, stackMemory };
}
