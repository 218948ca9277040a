import { formatBytes } from '../../model/units.js';
import { maxOf, median, minOf } from '../stats.js';
import { interpolate, type Workload } from './workload.js';
import { cycleBound, DEFAULT_REPLAY, memoryLimitGoal, NO_FIGURE, nonHeapAssumptions, simulate, type ReplayOptions } from './whatif.js';
import type { SimulatedCycle, WhatIfResult, WhatIfSetting } from './types.js';

const MiB = 2 ** 20;
/** A replay this close to the log's own count needs no calibration. */
const CALIBRATED_WITHIN = 0.02;

/**
 * Fits the one free number of the replay, the scale of the mark allocation,
 * so the log replayed at its own setting gives its own cycle count. The mark
 * allocation is what the pacer cannot see coming (it depends on how fast the
 * machine marked, which no setting changes), and it sets how far past the
 * trigger every cycle runs. A limit in the baseline also picks the non-heap
 * memory that replays it best.
 */
export interface Calibration {
  options: ReplayOptions;
  /** Share of the replayed baseline's cycles that its memory limit paced. */
  limitPacedShare: number;
  /** Why no replay of this log can be trusted: even calibrated, it does not give the log's own cycle count. */
  failure?: string;
}

/** A calibrated replay further than this from the log's own cycle count does not explain the log. */
const EXPLAINS_WITHIN = 0.5;

/**
 * Fitting only asks whether a replay gives more cycles than the log or fewer:
 * one far past the log's count is stopped early and counts as endless, so a
 * log the model cannot replay costs little to find out.
 */
function fittingBound(observedCycles: number): number {
  return 5 * observedCycles + 100;
}

/** A replay's cycle count; a runaway replay (stopped, no figure) counts as endless. */
function cyclesOf(r: WhatIfResult): number {
  return r.cycles ?? Infinity;
}

export function calibrate(w: Workload, baseline: WhatIfSetting, observedCycles: number): Calibration {
  if (observedCycles <= 0) return withPacing(w, baseline, DEFAULT_REPLAY);
  const candidates = baseline.gomemlimit === null ? [DEFAULT_REPLAY.nonHeapMB] : nonHeapAssumptions();
  let best: { opts: ReplayOptions; error: number } | undefined;
  for (const nonHeapMB of candidates) {
    const opts = fitScale(w, baseline, observedCycles, nonHeapMB);
    const cycles = cyclesOf(simulate(w, baseline, opts, undefined, fittingBound(observedCycles)));
    const error = Math.abs(cycles - observedCycles) / observedCycles;
    if (!best || error < best.error) best = { opts, error };
  }
  return withPacing(w, baseline, best!.opts, observedCycles);
}

function withPacing(w: Workload, baseline: WhatIfSetting, options: ReplayOptions, observedCycles?: number): Calibration {
  const replay = simulate(w, baseline, options);
  const calibration: Calibration = { options, limitPacedShare: limitPacedShare(replay) };
  if (observedCycles === undefined) return calibration;
  const cycles = cyclesOf(replay);
  if (Math.abs(cycles - observedCycles) > EXPLAINS_WITHIN * observedCycles) {
    const got = replay.cycles === null ? `over ${cycleBound(w).toLocaleString('en-US')} cycles` : `${cycles.toLocaleString('en-US')} cycles`;
    calibration.failure =
      `replayed at its own setting, even calibrated, the log gives ${got} where it has ${observedCycles.toLocaleString('en-US')}: ` +
      'the pacer model cannot explain this log (a damaged line, or a run the model does not cover), so it predicts nothing from it';
  }
  return calibration;
}

/**
 * Two knobs, in order. First the mark allocation's scale, within a factor of
 * three (what a busier or idler machine does to marking). Whatever is left
 * is the allocation clock: gctrace's whole MiB make the per-cycle allocation
 * of small heaps read short or long by up to a MiB, and stretching the clock
 * takes that up.
 */
function fitScale(w: Workload, baseline: WhatIfSetting, observed: number, nonHeapMB: number): ReplayOptions {
  const count = (o: ReplayOptions) => cyclesOf(simulate(w, baseline, o, undefined, fittingBound(observed)));
  let opts: ReplayOptions = { markScale: 1, allocScale: 1, nonHeapMB };
  opts = bisect(observed, count, (k) => ({ ...opts, markScale: k }), 3, true);
  if (Math.abs(count(opts) - observed) / observed > CALIBRATED_WITHIN) {
    opts = bisect(observed, count, (k) => ({ ...opts, allocScale: k }), 8, false);
  }
  return opts;
}

/**
 * The knob value in [1/range, range] whose replay comes closest to `observed`
 * cycles; `fewerWhenLarger`: a larger value gives fewer cycles.
 */
function bisect(observed: number, count: (o: ReplayOptions) => number, make: (k: number) => ReplayOptions, range: number, fewerWhenLarger: boolean): ReplayOptions {
  const plain = make(1);
  let best = { opts: plain, error: Math.abs(count(plain) - observed) };
  if (best.error / observed <= CALIBRATED_WITHIN) return plain;
  let lo = -Math.log(range);
  let hi = Math.log(range);
  for (let i = 0; i < 24; i++) {
    const mid = (lo + hi) / 2;
    const opts = make(Math.exp(mid));
    const cycles = count(opts);
    const error = Math.abs(cycles - observed);
    if (error < best.error) best = { opts, error };
    if ((cycles > observed) === fewerWhenLarger) lo = mid;
    else hi = mid;
  }
  return best.opts;
}

/**
 * A what-if with the range it could land in, or no figure at all when the
 * setting is outside what a replay can say (a limit below the live heap).
 * The range replays the mark allocation at the low and high ends of how it
 * scattered between cycles in the log, and a limit with both releases'
 * non-heap memory.
 */
export function predict(w: Workload, setting: WhatIfSetting, calibration: Calibration, onCycle?: (c: SimulatedCycle) => void): WhatIfResult {
  const refusal = calibration.failure ?? belowLiveHeap(w, setting);
  if (refusal) return refused(refusal);
  const calibrated = calibration.options;
  const point = simulate(w, setting, calibrated, onCycle);
  if (point.cycles === null) return point;
  const variants: ReplayOptions[] = [];
  for (const nonHeapMB of setting.gomemlimit === null ? [calibrated.nonHeapMB] : nonHeapAssumptions()) {
    for (const s of [...w.markAllocSpread, 1]) variants.push({ ...calibrated, markScale: calibrated.markScale * s, nonHeapMB });
  }
  const counts = variants.map((v) => cyclesOf(simulate(w, setting, v))).filter(Number.isFinite).concat(point.cycles);
  const range: [number, number] = [minOf(counts), maxOf(counts)];
  const { trust, notes } = assess(w, setting, calibration, point);
  return { ...point, cyclesRange: range, trust, ...(notes.length ? { note: notes.join('; ') } : {}) };
}

/** Below this heap, gctrace's whole MiB are a large share of every figure. */
const COARSE_HEAP_MB = 8;
/** A replay with this many times the log's cycles reads the workload between the log's points. */
const INTERPOLATED_RATIO = 3;
/** Mark allocation this small is mostly gctrace's rounding: its scatter says nothing of the machine. */
const RESOLVED_MARK_ALLOC_MB = 2;

/** A run is limit-paced when more than this share of its cycles had the limit's goal. */
const LIMIT_PACED = 0.5;

function limitPacedShare(r: WhatIfResult): number {
  return r.cycles ? (r.limitBoundCycles ?? 0) / r.cycles : 0;
}

/**
 * How far to trust a what-if, and why: `low` when the log cannot resolve
 * what the setting depends on (heaps of a few MiB in whole-MiB figures; many
 * more, smaller cycles than the log has points; a limit so tight that the
 * runtime's unseen non-heap memory decides it; a calibration that had to
 * stretch), `fair` when the log shows marking speed scattering with the
 * machine's timing, a limit depends on that non-heap memory, or a log paced
 * by its limit predicts a setting paced by GOGC, else `good`.
 */
function assess(w: Workload, setting: WhatIfSetting, calibration: Calibration, point: WhatIfResult): { trust: 'good' | 'fair' | 'low'; notes: string[] } {
  const calibrated = calibration.options;
  const cycles = point.cycles ?? 0;
  const low: string[] = [];
  const fair: string[] = [];
  const seen = w.live.map((r, i) => r + w.roots[i]!);
  const maxSeen = maxOf(seen);
  if (median(seen) < COARSE_HEAP_MB) low.push('the log\'s heap is a few MiB and gctrace prints whole MiB, so every cycle\'s figures are coarse');
  if (cycles > INTERPOLATED_RATIO * w.live.length) {
    low.push(`this setting would run ${cycles} cycles where the log has ${w.live.length}: the heap between the log's cycles is interpolated`);
  }
  if (setting.gomemlimit !== null) {
    const spreadMB = maxOf(nonHeapAssumptions()) - minOf(nonHeapAssumptions());
    const roomMB = setting.gomemlimit / MiB - maxSeen;
    if (roomMB < 4 * spreadMB) low.push('the limit leaves little room above the live heap, and the runtime\'s non-heap memory, which gctrace does not show, decides where the goal lands');
    else fair.push('a limit\'s goal depends on the runtime\'s own non-heap memory, which gctrace does not show (about 2 MiB more on Go 1.26 than 1.23)');
  }
  if (calibrated.markScale <= 1 / 2.9 || calibrated.markScale >= 2.9 || calibrated.allocScale < 0.8 || calibrated.allocScale > 1.25) {
    low.push('replaying the log at its own setting needed a large correction: the pacer model explains this log less well');
  }
  if (calibration.limitPacedShare > LIMIT_PACED && limitPacedShare(point) <= LIMIT_PACED) {
    fair.push('the log\'s cycles were paced by its memory limit, so how the program paces under GOGC alone is inferred from them');
  }
  if (w.markAllocSpread[1] / w.markAllocSpread[0] >= 1.5 && median(w.markAllocMB.ys) >= RESOLVED_MARK_ALLOC_MB) {
    fair.push('how much the program allocates while a cycle marks varies from cycle to cycle in this log (the machine\'s timing decides it), so real runs scatter too');
  }
  return { trust: low.length ? 'low' : fair.length ? 'fair' : 'good', notes: [...low, ...fair] };
}

/**
 * A limit whose goal is under what the program keeps reachable cannot be
 * met: the GC runs back to back, the runtime's GC CPU limiter caps it near
 * half of the CPU and turns assists off, the program slows, and the heap
 * passes the limit anyway. Cycle counts there depend on scheduling, not on
 * the workload; a container sized to that limit would be killed.
 */
function belowLiveHeap(w: Workload, setting: WhatIfSetting): string | undefined {
  if (setting.gomemlimit === null) return undefined;
  let worst = 0;
  let at = 0;
  for (let i = 0; i < w.live.length; i++) {
    const roots = interpolate(w.allocatedAt, w.roots, w.allocatedAt[i]!);
    const goal = memoryLimitGoal(setting.gomemlimit / MiB, Infinity, roots, minOf(nonHeapAssumptions()));
    const over = w.live[i]! - goal;
    if (over > worst) {
      worst = over;
      at = w.live[i]!;
    }
  }
  if (worst <= 0) return undefined;
  return (
    `GOMEMLIMIT=${formatBytes(setting.gomemlimit)} is below the ${formatBytes(at * MiB)} the program keeps reachable: ` +
    'the GC would run back to back, capped near half of the CPU by the runtime\'s GC CPU limiter, the program would slow down, ' +
    'and the heap would pass the limit anyway (a container of that size would be killed)'
  );
}

function refused(reason: string): WhatIfResult {
  return { ...NO_FIGURE, refusal: reason };
}
