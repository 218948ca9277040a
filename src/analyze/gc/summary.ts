import type { GcCycle, GcTrace } from '../../model/gctrace.js';
import { inferSettings, type InferredSettings } from './settings.js';
import { inferredLimitBytes } from './whatif.js';
import { cycleEndSeconds, gcCpuMs, reachableMB } from './workload.js';
import { median, quantile, theilSen } from '../stats.js';

export interface Distribution {
  count: number;
  p50: number;
  p99: number;
  max: number;
  total: number;
}

export interface LiveHeapTrend {
  firstMB: number;
  lastMB: number;
  minMB: number;
  maxMB: number;
  /**
   * Robust slope (Theil–Sen) over the second half of the log, MiB per minute,
   * of the reachable heap: marked less what was allocated during the mark.
   * The GC keeps everything allocated while it marks, so the marked figure
   * swings with the mark's length; the reachable one does not.
   */
  recentSlopeMBPerMinute: number;
  /** Growth over the second half relative to its median level (0.2 = grew 20%). */
  recentGrowth: number;
}

export interface GcSummary {
  cycles: number;
  firstCycle: number;
  lastCycle: number;
  /** Cycle numbers the log skips (lost lines, or a log that was cut). */
  missingCycles: number;
  forcedCycles: number;
  periodicCycles: number;
  /** Seconds the log covers: from program start when it begins at gc 1. */
  spanSeconds: number;
  gcPerSecond: number | null;
  medianIntervalMs: number | null;
  /**
   * GC CPU over the span, of procs × wall time: every phase's CPU as gctrace
   * prints it, idle marking excluded as the runtime excludes it ("free").
   * Stop-the-world phases count whole, time to stop included; newer runtimes
   * count a pause only once the world has stopped, so their own figure can
   * read a little lower.
   */
  gcCpuFraction: number | null;
  /** The runtime's own cumulative GC CPU percent on the last line. */
  runtimeCpuPercent: number;
  /** Stop-the-world pauses: sweep termination and mark termination of each cycle. */
  pausesMs: Distribution;
  markAssistShareOfGcCpu: number | null;
  liveHeap: LiveHeapTrend;
  peakHeapMB: number;
  effectiveGogc: { p10: number; p50: number; p90: number } | null;
  inferredGogc: number | null;
  limitBoundCycles: number;
  pinnedGoalMB: number | null;
  inferredMemoryLimitBytes: number | null;
  procs: number;
  scavenger: { lines: number; releasedMBLast: number; releasedMBMax: number; forced: number } | null;
  unparsedLines: number;
  rejoinedLines: number;
}

export function summarize(trace: GcTrace, settings: InferredSettings = inferSettings(trace.cycles)): GcSummary {
  const cycles = trace.cycles;
  const first = cycles[0]!;
  const last = cycles.at(-1)!;
  const spanStart = first.n === 1 ? 0 : first.atSeconds;
  const span = Math.max(0, cycleEndSeconds(last) - spanStart);
  const intervals = cycles.slice(1).map((c, i) => (c.atSeconds - cycles[i]!.atSeconds) * 1000);
  const gcCpu = cycles.reduce((s, c) => s + gcCpuMs(c), 0);
  const assist = cycles.reduce((s, c) => s + c.cpuMs.assist, 0);
  const effective = settings.effectiveGogc.map((e) => e.value);
  return {
    cycles: cycles.length,
    firstCycle: first.n,
    lastCycle: last.n,
    missingCycles: last.n - first.n + 1 - new Set(cycles.map((c) => c.n)).size,
    forcedCycles: cycles.filter((c) => c.forced).length,
    periodicCycles: cycles.filter((c) => c.periodic).length,
    spanSeconds: span,
    gcPerSecond: span > 0 ? cycles.length / span : null,
    medianIntervalMs: intervals.length ? median(intervals) : null,
    gcCpuFraction: span > 0 ? gcCpu / 1000 / (span * last.procs) : null,
    runtimeCpuPercent: last.cpuPercent,
    pausesMs: distribution(cycles.flatMap((c) => [c.clockMs.sweepTermination, c.clockMs.markTermination])),
    markAssistShareOfGcCpu: gcCpu > 0 ? assist / gcCpu : null,
    liveHeap: liveHeapTrend(cycles),
    peakHeapMB: Math.max(...cycles.map((c) => c.heapMB.end)),
    effectiveGogc: effective.length
      ? { p10: quantile(effective, 0.1), p50: median(effective), p90: quantile(effective, 0.9) }
      : null,
    inferredGogc: settings.gogc,
    limitBoundCycles: settings.limitBound.length,
    pinnedGoalMB: settings.pinnedGoalMB,
    inferredMemoryLimitBytes: settings.pinnedGoalMB === null ? null : inferredLimitBytes(settings.pinnedGoalMB),
    procs: last.procs,
    scavenger: trace.scavenger.length
      ? {
          lines: trace.scavenger.length,
          releasedMBLast: trace.scavenger.at(-1)!.releasedKiB / 1024,
          releasedMBMax: Math.max(...trace.scavenger.map((s) => s.releasedKiB)) / 1024,
          forced: trace.scavenger.filter((s) => s.forced).length,
        }
      : null,
    unparsedLines: trace.unparsedCount,
    rejoinedLines: trace.rejoined,
  };
}

export function distribution(values: readonly number[]): Distribution {
  if (values.length === 0) return { count: 0, p50: 0, p99: 0, max: 0, total: 0 };
  return {
    count: values.length,
    p50: quantile(values, 0.5),
    p99: quantile(values, 0.99),
    max: Math.max(...values),
    total: values.reduce((a, b) => a + b, 0),
  };
}

function liveHeapTrend(cycles: readonly GcCycle[]): LiveHeapTrend {
  const live = cycles.map((c) => c.heapMB.live);
  const half = cycles.slice(Math.floor(cycles.length / 2));
  const slopePerSecond = theilSen(
    half.map((c) => c.atSeconds),
    half.map(reachableMB),
  );
  const level = median(half.map(reachableMB));
  const halfSpan = half.length > 1 ? half.at(-1)!.atSeconds - half[0]!.atSeconds : 0;
  return {
    firstMB: live[0]!,
    lastMB: live.at(-1)!,
    minMB: Math.min(...live),
    maxMB: Math.max(...live),
    recentSlopeMBPerMinute: slopePerSecond * 60,
    recentGrowth: level > 0 ? (slopePerSecond * halfSpan) / level : 0,
  };
}

