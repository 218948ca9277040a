import { evaluate, evaluateCurve, HEAP_MINIMUM_MB, interpolate, TRIGGER_MAX, TRIGGER_MIN, type Workload } from './workload.js';
import type { SimulatedCycle, WhatIfResult, WhatIfSetting } from './types.js';

const MiB = 1 << 20;
const LIMIT_HEADROOM = 0.03;
const LIMIT_MIN_HEADROOM_MB = 1;
/**
 * Memory the runtime maps besides heap objects and stacks: span structures,
 * GC metadata, mcaches, profiling buckets. gctrace does not print it, and it
 * differs between releases: about 4 MiB plus 2% of the heap on Go 1.23, about
 * 2 MiB more on Go 1.26 (the limit goals of testdata/go1.2x/whatif). A limit
 * is replayed with both, and the prediction given as their range.
 */
const NON_HEAP_MB: readonly [number, number] = [4, 6];
const NON_HEAP_SHARE = 0.02;
/** gctrace prints whole MiB: a mark allocating less than this reads as 0. */
const MIN_MARK_ALLOC_MB = 0.05;
/**
 * A replay stops once it has run this many times the log's cycles (and at
 * least MIN_CYCLE_BOUND): a setting that far from the log reads the workload
 * where the log says nothing, and a damaged log can send a replay into
 * millions of cycles. It then gives no figure, and says why.
 */
const RUNAWAY_RATIO = 100;
const MIN_CYCLE_BOUND = 10_000;

export function cycleBound(w: Workload): number {
  return Math.max(MIN_CYCLE_BOUND, RUNAWAY_RATIO * w.live.length);
}

/** How a replay is run: the calibration of the mark allocation, and the runtime's non-heap memory assumed. */
export interface ReplayOptions {
  /** Multiplies the workload's mark allocation (1 = as fitted). */
  markScale: number;
  /** Stretches the allocation clock (1 = as read from the log; gctrace's whole MiB undercount small cycles). */
  allocScale: number;
  nonHeapMB: number;
}

export const DEFAULT_REPLAY: ReplayOptions = { markScale: 1, allocScale: 1, nonHeapMB: NON_HEAP_MB[0] };

/**
 * Replays the workload under `setting`, cycle by cycle, with the pacer's rules:
 * the goal from GOGC (and the limit), the trigger `runway` below the goal,
 * clamped to its bounds, and the heap growing past the trigger by what the
 * program allocates while the cycle marks — past the goal when the trigger
 * left too little room. What was allocated during the mark is kept by that
 * cycle (allocate-black), so it counts in the next goal.
 */
export function simulate(
  base: Workload,
  setting: WhatIfSetting,
  opts: ReplayOptions = DEFAULT_REPLAY,
  onCycle?: (c: SimulatedCycle) => void,
  bound = cycleBound(base),
): WhatIfResult {
  const w = stretched(base, opts.allocScale);
  const forced = [...w.forcedAt];
  let marked = 0;
  let allocated = 0;
  let cycles = 0;
  let peak = 0;
  let limitBound = 0;
  let cpuMs = 0;
  while (cycles < bound) {
    const roots = interpolate(w.allocatedAt, w.roots, allocated);
    const reachable = interpolate(w.allocatedAt, w.live, allocated);
    const { goal, limited } = heapGoal(setting, marked, roots, opts.nonHeapMB);
    const natural = Math.max(MIN_MARK_ALLOC_MB, opts.markScale * evaluateCurve(w.markAllocMB, reachable + roots));
    // At or past the goal (a memory limit squeezing the heap) the next cycle starts at once.
    let start = goal <= marked ? marked : triggerPoint(goal, marked, w.runwayBias * natural);
    let end = start + markAllocation(natural, goal - start, w.assistFloor);
    const nextForced = forced[0];
    const isForced = nextForced !== undefined && nextForced <= allocated + (start - marked);
    if (isForced) {
      forced.shift();
      start = end = marked + Math.max(0, nextForced - allocated);
    } else if (!Number.isFinite(start)) {
      break; // GOGC=off without a limit: only forced GCs would run, and none is left
    }
    const endAllocated = allocated + (end - marked);
    if (endAllocated > w.totalAllocated) break;
    cycles++;
    if (limited) limitBound++;
    peak = Math.max(peak, end);
    cpuMs += evaluate(w.cpuMs, marked + roots);
    allocated = endAllocated;
    marked = interpolate(w.allocatedAt, w.live, allocated) + (end - start);
    onCycle?.({ allocatedMB: allocated, startMB: start, endMB: end, goalMB: goal, markedMB: marked, forced: isForced });
  }
  if (cycles >= bound) {
    return {
      ...NO_FIGURE,
      refusal:
        `the replay ran past ${bound.toLocaleString('en-US')} cycles` +
        (bound === cycleBound(base) ? `, ${RUNAWAY_RATIO} times the log's ${w.live.length.toLocaleString('en-US')},` : '') +
        ' and was stopped: this setting is too far from the log for a replay to say anything',
    };
  }
  // Without a GC the heap holds everything allocated since the last one.
  peak = Math.max(peak, marked + (w.totalAllocated - allocated));
  const seconds = w.seconds.at(-1) ?? 0;
  return {
    cycles,
    peakHeapBytes: Math.round(peak * MiB),
    gcCpuFraction: seconds > 0 ? cpuMs / 1000 / (seconds * w.procs) : 0,
    meanIntervalMs: cycles > 0 ? (seconds * 1000) / cycles : null,
    limitBoundCycles: limitBound,
  };
}

/** A result without figures; a refusal says why. */
export const NO_FIGURE: Omit<WhatIfResult, 'refusal'> = { cycles: null, peakHeapBytes: null, gcCpuFraction: null, meanIntervalMs: null, limitBoundCycles: null };

/**
 * What a cycle allocates while it marks: all of its natural mark allocation
 * when the trigger left room for it; otherwise assists speed the mark up to
 * end near the goal, but no further than they did in the log (`floor`), and
 * the heap runs past the goal by the rest.
 */
function markAllocation(natural: number, room: number, floor: number): number {
  return natural <= room ? natural : Math.max(room, natural * floor);
}

function heapGoal(s: WhatIfSetting, marked: number, roots: number, nonHeapMB: number): { goal: number; limited: boolean } {
  const gogcGoal =
    s.gogc === null ? Infinity : Math.max(marked + ((marked + roots) * s.gogc) / 100, (HEAP_MINIMUM_MB * s.gogc) / 100);
  if (s.gomemlimit === null) return { goal: gogcGoal, limited: false };
  const limitGoal = memoryLimitGoal(s.gomemlimit / MiB, gogcGoal, roots, nonHeapMB);
  return limitGoal < gogcGoal ? { goal: limitGoal, limited: true } : { goal: gogcGoal, limited: false };
}

/**
 * The runtime's memoryLimitHeapGoal: the limit less what is mapped for other
 * things than heap objects (non-heap overheads, stacks, globals), less 3%
 * headroom. It may be below the marked heap: the GC then runs back to back.
 */
export function memoryLimitGoal(limitMB: number, gogcGoal: number, roots: number, nonHeapMB: number): number {
  const heapEstimate = Number.isFinite(gogcGoal) ? Math.min(gogcGoal, limitMB) : limitMB;
  let goal = limitMB - (nonHeapMB + NON_HEAP_SHARE * heapEstimate + roots);
  const headroom = Math.max(goal * LIMIT_HEADROOM, LIMIT_MIN_HEADROOM_MB);
  goal = goal < 2 * headroom ? headroom : goal - headroom;
  return goal;
}

/** The GOMEMLIMIT that would put the heap goal at `goalMB`: memoryLimitGoal turned around (Go 1.23's non-heap). */
export function inferredLimitBytes(goalMB: number): number {
  const beforeHeadroom = goalMB / (1 - LIMIT_HEADROOM);
  return Math.round((beforeHeadroom + NON_HEAP_MB[0] + NON_HEAP_SHARE * goalMB) * MiB);
}

/** The non-heap memory a limit is replayed with: the two releases' (see NON_HEAP_MB). */
export function nonHeapAssumptions(): readonly number[] {
  return NON_HEAP_MB;
}

function triggerPoint(goal: number, marked: number, runway: number): number {
  if (!Number.isFinite(goal)) return Infinity;
  const span = goal - marked;
  const lower = marked + span * TRIGGER_MIN;
  const upper = Math.max(marked + span * TRIGGER_MAX, goal - HEAP_MINIMUM_MB, lower);
  return Math.min(Math.max(goal - runway, lower), upper);
}

/** The workload with its allocation clock stretched by `k`. */
function stretched(w: Workload, k: number): Workload {
  if (k === 1) return w;
  return { ...w, allocatedAt: w.allocatedAt.map((a) => a * k), forcedAt: w.forcedAt.map((a) => a * k), totalAllocated: w.totalAllocated * k };
}
