import type { GcCycle } from '../../model/gctrace.js';
import { median, quantile } from '../stats.js';

/**
 * The program's work as a gctrace log reveals it, in terms no GC setting
 * changes: how much it allocates (cumulative MiB allocated is the clock), how
 * much of that is still reachable at each point, and how much it allocates
 * while a cycle marks. A what-if replays this workload under other settings.
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
  /**
   * MiB the program allocates while a cycle marks with the background
   * workers alone (25% of the CPU, no assists), against the scan base
   * (reachable heap + roots) at the cycle's start. Marking takes as long as
   * scanning what is reachable, whatever GOGC says; the program allocates at
   * its own pace meanwhile. Each cycle of the log is turned to this natural
   * figure from its own utilization: assists made it mark faster and
   * allocate less than it would have alone.
   */
  markAllocMB: Curve;
  /**
   * The least share of its natural mark allocation a cycle was held to by
   * mark assists in this log (they speed marking up when the trigger left
   * little room; the mutator allocates less while it helps): the most the
   * replay lets assists compress a mark.
   */
  assistFloor: number;
  /**
   * How the mark allocation of single cycles scatters around the fit: the
   * 10th and 90th percentile of observed / fitted. Wide when marking speed
   * depends on the machine's timing (pointer-free churn), narrow when scan
   * work sets it.
   */
  markAllocSpread: [number, number];
  /**
   * The pacer's runway over the mark allocation it expects: it keeps the
   * largest of the last five cons/mark estimates (mgcpacer.go endCycle), so it
   * starts a cycle earlier than the typical mark needs. From the log's cycles
   * whose trigger was not clamped; 1 when none was.
   */
  runwayBias: number;
  /** GC CPU per cycle, ms, idle marking excluded ≈ fixed + perScanMiB × scan base. */
  cpuMs: Linear;
}

/**
 * A per-cycle quantity as a function of the scan base, read off the log
 * itself: the cycles sorted by scan base, each value the median of its
 * neighbours, interpolated between them and carried on in proportion past
 * the largest. No shape is assumed: how mark allocation grows with the heap
 * differs between programs (pointer-free churn: barely; a growing map: more
 * than in proportion while it rehashes).
 */
export interface Curve {
  xs: number[];
  ys: number[];
}

export function evaluateCurve(c: Curve, x: number): number {
  if (c.xs.length === 0) return 0;
  const last = c.xs.length - 1;
  if (x > c.xs[last]! && c.xs[last]! > 0) return (c.ys[last]! * x) / c.xs[last]!;
  return interpolate(c.xs, c.ys, x);
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

/** MiB allocated while cycle `c` marked: the heap at its end less the heap at its start (the trigger). */
export function markAllocatedMB(c: GcCycle): number {
  return Math.max(0, c.heapMB.end - c.heapMB.start);
}

/**
 * gctrace prints heap sizes in whole MiB, rounded down (heap >> 20): a size
 * read absolutely is half a MiB more on average than printed. Differences of
 * two printed sizes need no such correction.
 */
export const TRUNCATION_MB = 0.5;

/** Marked heap less what was allocated during the mark, which the GC keeps whether or not it is still used. */
export function reachableMB(c: GcCycle): number {
  return Math.max(0, c.heapMB.live + TRUNCATION_MB - markAllocatedMB(c));
}

/** gcBackgroundUtilization: the share of the CPU the background mark workers aim at. */
const BACKGROUND_UTILIZATION = 0.25;
/** Marks shorter than this are scheduling more than scanning: their utilization says little. */
const MIN_MARK_CLOCK_MS = 1;

/** The share of GOMAXPROCS × the mark's wall time the GC took (background workers and assists; idle marking is free). */
export function markUtilization(c: GcCycle): number | undefined {
  const wall = c.clockMs.mark * c.procs;
  if (c.clockMs.mark < MIN_MARK_CLOCK_MS || wall <= 0) return undefined;
  return Math.min(0.95, Math.max(BACKGROUND_UTILIZATION, (c.cpuMs.assist + c.cpuMs.background) / wall));
}

/**
 * How much of its natural mark allocation a cycle allocates at utilization
 * u: marking goes u / 0.25 times faster, and the mutator keeps (1 − u) of
 * the CPU instead of 0.75 (the cons/mark accounting of mgcpacer.go endCycle).
 */
export function compression(u: number): number {
  return (BACKGROUND_UTILIZATION / u) * ((1 - u) / (1 - BACKGROUND_UTILIZATION));
}

/** The mark allocation cycle `c` would have had with the background workers alone. */
function naturalMarkAllocMB(c: GcCycle): number {
  const u = markUtilization(c);
  return u === undefined ? markAllocatedMB(c) : markAllocatedMB(c) / compression(u);
}

/** The pacer's trigger bounds (mgcpacer.go trigger()): 45/64 and 61/64 of the way from the marked heap to the goal. */
export const TRIGGER_MIN = 45 / 64;
export const TRIGGER_MAX = 61 / 64;
export const HEAP_MINIMUM_MB = 4;

export function reconstructWorkload(cycles: readonly GcCycle[]): Workload {
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
  const markAllocMB = fitMarkAllocation(cycles);
  return {
    allocatedAt,
    live,
    roots,
    seconds,
    forcedAt,
    totalAllocated: allocated,
    procs: cycles.at(-1)?.procs ?? 1,
    markAllocMB,
    assistFloor: assistFloor(cycles),
    markAllocSpread: spread(cycles, markAllocMB),
    runwayBias: runwayBias(cycles, markAllocMB),
    cpuMs: fitAgainst(pairs(cycles, (p) => p.heapMB.live + rootsMB(p), gcCpuMs)),
  };
}

/** The scan base a cycle starts from: what the previous one found reachable, plus stacks and globals. */
function scanBase(prev: GcCycle): number {
  return reachableMB(prev) + rootsMB(prev);
}

/** Cycles that ran on the pacer's own schedule (not forced), each with the one before it. */
function paced(cycles: readonly GcCycle[]): [GcCycle, GcCycle][] {
  const out: [GcCycle, GcCycle][] = [];
  for (let i = 1; i < cycles.length; i++) {
    const c = cycles[i]!;
    if (!c.forced && !c.periodic && c.n === cycles[i - 1]!.n + 1) out.push([cycles[i - 1]!, c]);
  }
  return out;
}

function pairs(cycles: readonly GcCycle[], x: (prev: GcCycle) => number, y: (c: GcCycle) => number): [number, number][] {
  return paced(cycles).map(([p, c]) => [x(p), y(c)]);
}

/** Cycles on each side whose median smooths a point of a curve. */
const CURVE_NEIGHBOURS = 3;

function fitMarkAllocation(cycles: readonly GcCycle[]): Curve {
  const points = pairs(cycles, scanBase, naturalMarkAllocMB).sort((a, b) => a[0] - b[0]);
  const xs: number[] = [];
  const ys: number[] = [];
  points.forEach(([x], i) => {
    const around = points.slice(Math.max(0, i - CURVE_NEIGHBOURS), i + CURVE_NEIGHBOURS + 1).map(([, y]) => y);
    const y = median(around);
    if (xs.length > 0 && x === xs[xs.length - 1]) ys[ys.length - 1] = (ys[ys.length - 1]! + y) / 2;
    else {
      xs.push(x);
      ys.push(y);
    }
  });
  return { xs, ys };
}

/**
 * 10th and 90th percentiles of observed / fitted mark allocation. gctrace
 * prints whole MiB, so a cycle allocating under a MiB while marking reads
 * as 0 or 1: ratios of such cycles are compared at whole-MiB resolution.
 */
function spread(cycles: readonly GcCycle[], fit: Curve): [number, number] {
  const ratios: number[] = [];
  for (const [p, c] of paced(cycles)) {
    const modelled = evaluateCurve(fit, scanBase(p));
    if (modelled > 0) ratios.push(Math.max(naturalMarkAllocMB(c), 0.5) / Math.max(modelled, 0.5));
  }
  if (ratios.length < 3) return [1, 1];
  return [Math.min(1, quantile(ratios, 0.1)), Math.max(1, quantile(ratios, 0.9))];
}

/**
 * How hard assists push when the trigger leaves a mark little room: at least
 * 60% of the CPU. A log whose marks always had room never shows it; 0.6 was
 * chosen by comparing replays with the real runs of testdata/go1.2x/whatif
 * (so those figures are in-sample for this one number), and it also brings
 * gcload's GOGC=50 run within 10%.
 */
const MIN_ASSIST_UTILIZATION = 0.6;

/** compression() at the 90th percentile of the log's mark utilizations, or MIN_ASSIST_UTILIZATION when higher. */
function assistFloor(cycles: readonly GcCycle[]): number {
  const us = cycles.map(markUtilization).filter((u): u is number => u !== undefined);
  return compression(us.length ? Math.max(quantile(us, 0.9), MIN_ASSIST_UTILIZATION) : MIN_ASSIST_UTILIZATION);
}

/**
 * Runway over expected mark allocation, from cycles whose trigger was not
 * held at a bound (the runway then set it: trigger = goal − runway).
 */
function runwayBias(cycles: readonly GcCycle[], fit: Curve): number {
  const ratios: number[] = [];
  for (const [p, c] of paced(cycles)) {
    const marked = p.heapMB.live;
    const span = c.goalMB - marked;
    if (span < 4) continue; // whole-MiB figures: too coarse to tell a bound from the runway
    const trigger = c.heapMB.start;
    const lower = marked + span * TRIGGER_MIN;
    const upper = Math.max(marked + span * TRIGGER_MAX, c.goalMB - HEAP_MINIMUM_MB);
    if (trigger <= lower + 1 || trigger >= upper - 1) continue;
    const expected = evaluateCurve(fit, scanBase(p));
    if (expected > 0) ratios.push((c.goalMB - trigger) / expected);
  }
  return ratios.length >= 3 ? Math.max(1, median(ratios)) : 1;
}

/** Least squares of y against x, both terms kept non-negative. */
function fitAgainst(points: readonly [number, number][]): Linear {
  if (points.length === 0) return { fixed: 0, perScanMiB: 0 };
  const n = points.length;
  let mx = 0;
  let my = 0;
  for (const [x, y] of points) {
    mx += x / n;
    my += y / n;
  }
  let sxy = 0;
  let sxx = 0;
  for (const [x, y] of points) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
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
