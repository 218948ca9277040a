import type { GcCycle } from '../../model/gctrace.js';
import { median, quantile } from '../stats.js';

/**
 * The program's work as a gctrace log reveals it, in terms no GC setting
 * changes: how much it allocates (cumulative MiB allocated is the clock) and
 * how much of that is still reachable at each point. A what-if replays this
 * workload under other pacer settings.
 */
export interface Workload {
  /** Cumulative MiB allocated at the end of each cycle (ascending). */
  allocatedAt: number[];
  /**
   * Reachable heap, MiB, at those points: the marked heap less what was
   * allocated during the mark, which the GC keeps (allocate-black) whether or
   * not it is still in use, and which depends on the setting.
   */
  live: number[];
  /** Scannable stacks + globals, MiB, at those points (0 before Go 1.18 logs). */
  roots: number[];
  /** Seconds since start at those points, to turn allocation back into time. */
  seconds: number[];
  /** Where the program forced a GC (runtime.GC, FreeOSMemory, the periodic GC), in MiB allocated. */
  forcedAt: number[];
  /** Total MiB the program allocated over the log. */
  totalAllocated: number;
  procs: number;
  /** MiB allocated while marking (kept by the GC, allocate-black) ≈ fixed + perScanMiB × scan base. */
  markAllocMB: Linear;
  /**
   * How far the mark allocation of a slow cycle exceeds the typical one: the
   * 95th percentile of observed / modelled. Peaks come from such cycles.
   */
  markAllocSpike: number;
  /** The pacer's runway per MiB of scan base, as the baseline's allocation and utilisation imply. */
  runwayRatio: number;
  /** GC CPU per cycle, ms, idle marking excluded ≈ fixed + perScanMiB × scan base. */
  cpuMs: Linear;
}

/** A per-cycle quantity ≈ fixed + perScanMiB × scan base (MiB of live heap, stacks and globals). */
export interface Linear {
  fixed: number;
  perScanMiB: number;
}

export function evaluate(l: Linear, scanBaseMB: number): number {
  return l.fixed + l.perScanMiB * scanBaseMB;
}


export function cycleEndSeconds(c: GcCycle): number {
  return c.atSeconds + (c.clockMs.sweepTermination + c.clockMs.mark + c.clockMs.markTermination) / 1000;
}

/** GC CPU of one cycle as the runtime counts it in its GC CPU share: idle marking is "free" (mgc.go). */
export function gcCpuMs(c: GcCycle): number {
  const u = c.cpuMs;
  return u.sweepTermination + u.assist + u.background + u.markTermination;
}

export function rootsMB(c: GcCycle): number {
  return (c.stacksMB ?? 0) + (c.globalsMB ?? 0);
}

/** Marked heap less what was allocated during the mark, which the GC keeps whether or not it is still used. */
export function reachableMB(c: GcCycle): number {
  return Math.max(0, c.heapMB.live - Math.max(0, c.heapMB.end - c.heapMB.start));
}


/** Below this scan base, MiB truncation makes per-cycle ratios noise. */
const MIN_BASE_MB = 8;

/** gcBackgroundUtilization: the share of Ps the background mark workers take. */
const GC_BACKGROUND_UTILIZATION = 0.25;

export function reconstructWorkload(cycles: readonly GcCycle[]): Workload {
  const markAllocMB = fitAgainstScanBase(cycles, (c) => Math.max(0, c.heapMB.end - c.heapMB.start));
  const allocatedAt: number[] = [];
  const live: number[] = [];
  const roots: number[] = [];
  const seconds: number[] = [];
  const forcedAt: number[] = [];
  let allocated = 0;
  let prevLive = 0;
  for (const c of cycles) {
    if (c.forced || c.periodic) forcedAt.push(allocated + Math.max(0, c.heapMB.start - prevLive));
    // Heap after the previous GC was its live heap; everything above that at this GC's end was allocated since.
    allocated += Math.max(0, c.heapMB.end - prevLive);
    allocatedAt.push(allocated);
    live.push(reachableMB(c));
    roots.push(rootsMB(c));
    seconds.push(cycleEndSeconds(c));
    prevLive = c.heapMB.live;
  }
  return {
    allocatedAt,
    live,
    roots,
    seconds,
    forcedAt,
    totalAllocated: allocated,
    procs: cycles.at(-1)?.procs ?? 1,
    runwayRatio: runwayRatio(cycles),
    markAllocMB,
    markAllocSpike: markAllocSpike(cycles, markAllocMB),
    cpuMs: fitAgainstScanBase(cycles, gcCpuMs),
  };
}

function pacedPairs(cycles: readonly GcCycle[]): [GcCycle, GcCycle][] {
  const pairs: [GcCycle, GcCycle][] = [];
  for (let i = 1; i < cycles.length; i++) {
    const prev = cycles[i - 1]!;
    const cur = cycles[i]!;
    if (cur.forced || cur.periodic || cur.n !== prev.n + 1) continue;
    if (prev.heapMB.live + rootsMB(prev) < MIN_BASE_MB) continue;
    pairs.push([prev, cur]);
  }
  return pairs;
}

/**
 * The pacer triggers `runway` MiB before the goal (mgcpacer.go, Go 1.21+):
 * runway = consMark × (1 − 0.25) / 0.25 × scan work, consMark being the
 * largest of this and the last four cycles' (heapLive − trigger) × (u + idle
 * u) / (scan work × (1 − u)), with u = 0.25 + the assist share of the mark.
 * consMark compares the program's allocation with the collector's scan
 * speed, which no GC setting changes, so the runway is returned per MiB of
 * scan base (live heap + stacks + globals standing in for scan work).
 */
function runwayRatio(cycles: readonly GcCycle[]): number {
  const history: number[] = [];
  const ratios: number[] = [];
  for (const [p, c] of pacedPairs(cycles)) {
    const wall = c.clockMs.mark * c.procs;
    if (wall <= 0) continue;
    const u = Math.min(0.95, GC_BACKGROUND_UTILIZATION + c.cpuMs.assist / wall);
    const idle = c.cpuMs.idle / wall;
    const base = p.heapMB.live + rootsMB(p);
    history.push((Math.max(0, c.heapMB.end - c.heapMB.start) * (u + idle)) / ((1 - u) * base));
    ratios.push(((1 - GC_BACKGROUND_UTILIZATION) / GC_BACKGROUND_UTILIZATION) * Math.max(...history.slice(-5)));
  }
  return ratios.length ? median(ratios) : 1;
}

function markAllocSpike(cycles: readonly GcCycle[], markAlloc: Linear): number {
  const ratios: number[] = [];
  for (const [p, c] of pacedPairs(cycles)) {
    const modelled = evaluate(markAlloc, p.heapMB.live + rootsMB(p));
    if (modelled > 0) ratios.push(Math.max(0, c.heapMB.end - c.heapMB.start) / modelled);
  }
  return ratios.length ? Math.max(1, quantile(ratios, 0.95)) : 1;
}

/** Least squares of a per-cycle cost against the scan base it worked on, both terms kept non-negative. */
function fitAgainstScanBase(cycles: readonly GcCycle[], cost: (c: GcCycle) => number): Linear {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 1; i < cycles.length; i++) {
    xs.push(cycles[i - 1]!.heapMB.live + rootsMB(cycles[i - 1]!));
    ys.push(cost(cycles[i]!));
  }
  if (xs.length === 0) return { fixed: cycles[0] ? cost(cycles[0]) : 0, perScanMiB: 0 };
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const intercept = my - slope * mx;
  if (slope >= 0 && intercept >= 0) return { fixed: intercept, perScanMiB: slope };
  // Degenerate fit: a pure proportion, or a pure per-cycle cost.
  return mx > 0 && slope >= 0 ? { fixed: 0, perScanMiB: my / mx } : { fixed: my, perScanMiB: 0 };
}

/** Piecewise-linear value of `ys` at `x` over ascending `xs`; flat beyond the ends. */
export function interpolate(xs: readonly number[], ys: readonly number[], x: number): number {
  if (xs.length === 0) return 0;
  if (x <= xs[0]!) return xs[0]! > 0 ? (ys[0]! * x) / xs[0]! : ys[0]!;
  if (x >= xs.at(-1)!) return ys.at(-1)!;
  let lo = 0;
  let hi = xs.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! <= x) lo = mid;
    else hi = mid;
  }
  const span = xs[hi]! - xs[lo]!;
  return span > 0 ? ys[lo]! + ((ys[hi]! - ys[lo]!) * (x - xs[lo]!)) / span : ys[hi]!;
}
