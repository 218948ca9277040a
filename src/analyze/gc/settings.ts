import type { GcCycle } from '../../model/gctrace.js';
import { rootsMB } from './workload.js';
import { median, quantile } from '../stats.js';

/**
 * What the log says about the GOGC and GOMEMLIMIT it ran under. gctrace
 * prints neither, but each cycle's goal was set from the previous cycle's
 * marked heap: goal = live + (live + stacks + globals) × GOGC/100, unless the
 * memory limit gave a lower goal.
 */
export interface InferredSettings {
  /** Per paced cycle: (goal − previous live) / previous scan base × 100. */
  effectiveGogc: { n: number; value: number }[];
  /** GOGC as the unpinned cycles show it; null when no cycle shows it (GOGC=off, or all pinned). */
  gogc: number | null;
  /** Cycle numbers whose goal sat at a ceiling below what GOGC would give: the memory limit. */
  limitBound: number[];
  /** The ceiling those goals sat at, MiB. */
  pinnedGoalMB: number | null;
}

/** Below this scan base, MiB truncation and the 4 MiB heap minimum make the ratio noise. */
const MIN_BASE_MB = 8;
/** A goal this close to the highest goals is at the ceiling. */
const CEILING_TOLERANCE = 0.05;
/** A cycle whose effective GOGC is this far under the log's usual one did not get its GOGC goal. */
const PINNED_BELOW = 0.85;
/** How close (relative) an inferred GOGC must be to a round number to be reported as it. */
const SNAP_TOLERANCE = 0.03;
/** At least this many unpinned cycles to name a GOGC. */
const MIN_CYCLES_FOR_GOGC = 5;

export function inferSettings(cycles: readonly GcCycle[]): InferredSettings {
  const effective: { n: number; value: number; goal: number }[] = [];
  for (let i = 1; i < cycles.length; i++) {
    const prev = cycles[i - 1]!;
    const cur = cycles[i]!;
    if (cur.n !== prev.n + 1) continue;
    const base = prev.heapMB.live + rootsMB(prev);
    if (base < MIN_BASE_MB) continue;
    effective.push({ n: cur.n, value: ((cur.goalMB - prev.heapMB.live) / base) * 100, goal: cur.goalMB });
  }
  if (effective.length === 0) return { effectiveGogc: [], gogc: null, limitBound: [], pinnedGoalMB: null };

  // Pinning only ever lowers the effective GOGC, so the upper range shows the configured one.
  const usual = quantile(effective.map((e) => e.value), 0.9);
  const ceiling = quantile(effective.map((e) => e.goal), 0.95);
  const pinned = effective.filter((e) => e.goal >= ceiling * (1 - CEILING_TOLERANCE) && e.value < usual * PINNED_BELOW);
  const pinnedSet = new Set(pinned.map((e) => e.n));
  const free = effective.filter((e) => !pinnedSet.has(e.n)).map((e) => e.value);
  const gogc = free.length >= MIN_CYCLES_FOR_GOGC && isSteady(free) ? likelySetting(median(free)) : null;
  return {
    effectiveGogc: effective.map(({ n, value }) => ({ n, value })),
    gogc,
    limitBound: pinned.map((e) => e.n),
    pinnedGoalMB: pinned.length ? median(pinned.map((e) => e.goal)) : null,
  };
}

/**
 * MiB truncation biases the ratio up a little (the previous live heap is
 * printed rounded down), so 101 or 404 is what GOGC=100 or 400 looks like.
 * Snap to the round number people set when it is that close.
 */
function likelySetting(value: number): number {
  const step = value >= 50 ? 10 : 5;
  const round = Math.round(value / step) * step;
  return round > 0 && Math.abs(value - round) <= SNAP_TOLERANCE * value ? round : Math.round(value);
}

/** A configured GOGC gives a steady ratio; GOGC=off under a limit gives one that wanders with the live heap. */
function isSteady(values: readonly number[]): boolean {
  const mid = median(values);
  const spread = quantile(values, 0.75) - quantile(values, 0.25);
  return mid > 0 && spread / mid < 0.25;
}
