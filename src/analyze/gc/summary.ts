import type { GcCycle, GcTrace } from '../../model/gctrace.js';
import { inferSettings, type InferredSettings } from './settings.js';
import { inferredLimitBytes } from './whatif.js';
import { cycleEndSeconds, gcCpuMs, reachableMB } from './workload.js';
import { maxOf, median, minOf, quantile, theilSen } from '../stats.js';
import type { GcSummary, LiveHeapTrend } from './types.js';
import { distribution } from '../stats.js';

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
    gcCpuFraction: span > 0 && last.procs > 0 ? gcCpu / 1000 / (span * last.procs) : null,
    runtimeCpuPercent: last.cpuPercent,
    pausesMs: distribution(cycles.flatMap((c) => [c.clockMs.sweepTermination, c.clockMs.markTermination])),
    markAssistShareOfGcCpu: gcCpu > 0 ? assist / gcCpu : null,
    liveHeap: liveHeapTrend(cycles),
    peakHeapMB: maxOf(cycles.map((c) => c.heapMB.end)),
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
          releasedMBMax: maxOf(trace.scavenger.map((s) => s.releasedKiB)) / 1024,
          forced: trace.scavenger.filter((s) => s.forced).length,
        }
      : null,
    unparsedLines: trace.unparsedCount,
    rejectedRecords: trace.rejectedCount,
    rejected: trace.rejected,
    rejoinedLines: trace.rejoined,
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
    minMB: minOf(live),
    maxMB: maxOf(live),
    recentSlopeMBPerMinute: slopePerSecond * 60,
    recentGrowth: level > 0 ? (slopePerSecond * halfSpan) / level : 0,
  };
}

