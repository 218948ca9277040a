import { formatDuration, formatFraction } from '../../model/units.js';
import type { Finding, Severity } from '../finding.js';
import { sortFindings } from '../finding.js';
import { GC_THRESHOLDS } from '../gc/findings.js';
import type { TraceSummary } from './types.js';

/**
 * Thresholds, and why (the pause and GC-CPU ones are the gctrace analysis's,
 * so the two commands judge a program alike):
 * - Pauses: Go's stop-the-world phases are normally well under a
 *   millisecond; 10 ms shows in request latency, 50 ms is an outage blip.
 * - GC CPU: 1 − mean mutator utilization over the trace, the same measure
 *   as the MMU. The pacer aims at 25% only while marking, so averaged over
 *   a run 10% is worth a look and 25% means the collector always runs.
 * - Assists: a goroutine that spends 5% of the trace assisting is visibly
 *   slowed on its own work; 20% means allocation, not its logic, sets its pace.
 * - GC CPU of what the process used (busy Ps): a quarter is the GC's own
 *   target while it marks; spending that all the time is worth a look, two
 *   fifths means the program works mostly for the collector.
 * - MMU: with under half of the CPU left to the program in some 10 ms
 *   window, latency-sensitive code sees the GC directly. With few Ps the
 *   GC's dedicated worker alone takes more (one of two Ps is half), so the
 *   bar sits 10 points under what the design leaves; and a program that
 *   left most Ps idle loses nothing when idle Ps mark (go tool trace counts
 *   them as GC time).
 */
export const TRACE_THRESHOLDS = {
  pauseMediumMs: GC_THRESHOLDS.pauseMediumMs,
  pauseHighMs: GC_THRESHOLDS.pauseHighMs,
  cpuMedium: GC_THRESHOLDS.cpuMedium,
  cpuHigh: GC_THRESHOLDS.cpuHigh,
  assistShareMedium: 0.05,
  assistShareHigh: 0.2,
  busyShareMedium: 0.25,
  busyShareHigh: 0.4,
  /** The share of the CPU used says little when the program used under a quarter of a core, or the GC ran once or twice (and so does the share of the trace spent assisting). */
  busyMinCores: 0.25,
  busyMinCycles: 3,
  mmu10msLow: 0.5,
  mmuDesignMargin: 0.1,
  mmuMinBusy: 0.5,
  /** Assist-heavy goroutines listed at most. */
  assistFindings: 3,
} as const;

const T = TRACE_THRESHOLDS;
const MS = 1e6;

export function traceFindings(s: TraceSummary): Finding[] {
  const findings = [longPauses(s), gcCpu(s), lowMmu(s), ...assistHeavy(s)];
  return sortFindings(findings.filter((f): f is Finding => f !== undefined));
}

function longPauses(s: TraceSummary): Finding | undefined {
  const worst = s.gc.stw.reduce<TraceSummary['gc']['stw'][number] | undefined>((w, p) => (w === undefined || p.endNs - p.startNs > w.endNs - w.startNs ? p : w), undefined);
  if (worst === undefined) return undefined;
  const maxMs = (worst.endNs - worst.startNs) / 1e6;
  const severity: Severity | undefined = maxMs >= T.pauseHighMs ? 'high' : maxMs >= T.pauseMediumMs ? 'medium' : undefined;
  if (severity === undefined) return undefined;
  const longOnes = s.gc.stw.filter((p) => (p.endNs - p.startNs) / 1e6 >= T.pauseMediumMs).length;
  return {
    kind: 'gc-long-pause',
    severity,
    title: `stop-the-world pause of ${formatDuration(maxMs * MS)} (${worst.reason})`,
    evidence: [
      { label: 'longest pause', value: maxMs * MS, unit: 'ns' },
      { label: `pauses of ${T.pauseMediumMs} ms or more`, value: longOnes, unit: 'count' },
      { label: 'p99 pause', value: s.gc.pausesMs.p99 * MS, unit: 'ns' },
      { label: 'time into the trace', value: worst.startNs - s.startNs, unit: 'ns' },
    ],
    advice: worst.gc
      ? 'GC pauses this long usually mean many goroutines (stack scanning at mark termination) or a busy machine ' +
        'delaying the stop; check GOMAXPROCS against the CPUs the process really gets, and the goroutine count.'
      : `This pause is not the GC's: "${worst.reason}" stopped the world (e.g. runtime.ReadMemStats, GOMAXPROCS changes); call it less often.`,
  };
}

function gcCpu(s: TraceSummary): Finding | undefined {
  const share = s.gc.cpuFraction;
  if (share === null) return undefined;
  const cores = s.busyNs !== null && s.durationNs > 0 ? s.busyNs / s.durationNs : 0;
  const busy = cores >= T.busyMinCores && s.gc.cycles.length >= T.busyMinCycles ? s.gc.shareOfBusy : null;
  const byCapacity: Severity | undefined = share >= T.cpuHigh ? 'high' : share >= T.cpuMedium ? 'medium' : undefined;
  const byBusy: Severity | undefined = busy === null ? undefined : busy >= T.busyShareHigh ? 'high' : busy >= T.busyShareMedium ? 'medium' : undefined;
  const severity = byCapacity === 'high' || byBusy === 'high' ? 'high' : (byCapacity ?? byBusy);
  if (severity === undefined) return undefined;
  const title =
    byBusy !== undefined && busy !== null
      ? `the GC took ${formatFraction(busy)} of the CPU the program used over the trace`
      : `the GC took ${formatFraction(share)} of the CPU over the trace`;
  return {
    kind: 'gc-pressure',
    severity,
    title,
    evidence: [
      ...(busy !== null ? [{ label: 'GC share of the CPU the program used', value: busy, unit: 'fraction' as const }] : []),
      { label: 'GC share of CPU (1 − mean mutator utilization)', value: share, unit: 'fraction' },
      { label: 'GC cycles', value: s.gc.cycles.length, unit: 'count' },
      { label: 'cycles per second', value: s.gc.perSecond, unit: 'per-second' },
      { label: 'mark assists', value: s.gc.assists.totalMs * MS, unit: 'ns' },
    ],
    advice:
      'Allocate less (reuse buffers, sync.Pool, avoid per-request maps and fmt), or give the heap more room: ' +
      'a higher GOGC, or GOMEMLIMIT with GOGC raised, trades memory for fewer cycles.',
  };
}

function lowMmu(s: TraceSummary): Finding | undefined {
  // When go tool trace's utilization ends early (its worker count drifted), its MMU says nothing about the rest.
  const at10 = s.mmu.find((m) => m.windowNs === 10e6);
  if (at10 === undefined || at10.mmu >= mmuBar(s.gomaxprocs) || s.mmuEndsEarlyAtNs !== null) return undefined;
  const procs = s.gomaxprocs ?? 1;
  if (s.busyNs !== null && s.durationNs > 0 && s.busyNs / (s.durationNs * procs) < T.mmuMinBusy) return undefined;
  return {
    kind: 'gc-pressure',
    severity: 'medium',
    title: `in the worst 10 ms window the program had only ${formatFraction(at10.mmu)} of the CPU`,
    evidence: s.mmu.map((m) => ({ label: `MMU at ${formatDuration(m.windowNs)}`, value: m.mmu, unit: 'fraction' as const })),
    advice:
      'Short windows with little mutator time show up as latency spikes: look at the timeline (--html) for the ' +
      'pauses, assists and sweeps in those windows, and reduce the allocation rate that triggers them.',
  };
}

/** The MMU below which a 10 ms window is worth a finding: 50%, or less where the GC's dedicated workers alone take more. */
export function mmuBar(gomaxprocs: number | null): number {
  const procs = Math.max(1, gomaxprocs ?? 1);
  // The runtime's background mark: 25% of GOMAXPROCS, rounded to whole dedicated workers (mgcpacer.go).
  const design = Math.max(1, Math.round(0.25 * procs)) / procs;
  return Math.min(T.mmu10msLow, 1 - design - T.mmuDesignMargin);
}

/**
 * A trace with a GC cycle or two says little about assists: one assist
 * descheduled on a busy machine counts its wall time, and a goroutine of a
 * quiet program then seems to spend 7% of the trace assisting. Such findings
 * stay, as low, under the cycle count the GC CPU share also asks for.
 */
function assistsAreTelling(s: TraceSummary): boolean {
  return s.gc.cycles.length >= T.busyMinCycles;
}

function assistHeavy(s: TraceSummary): Finding[] {
  const telling = assistsAreTelling(s);
  return s.gc.assists.byGoroutine
    .filter((a) => a.shareOfWall >= T.assistShareMedium)
    .slice(0, T.assistFindings)
    .map((a) => ({
      kind: 'gc-assist-heavy' as const,
      severity: (!telling ? 'low' : a.shareOfWall >= T.assistShareHigh ? 'high' : 'medium') as Severity,
      title: `goroutine ${a.goroutine}${a.function ? ` (${a.function})` : ''} spent ${formatFraction(a.shareOfWall)} of the trace in GC mark assists`,
      ...(a.function ? { location: { function: a.function } } : {}),
      evidence: [
        { label: 'assist time', value: a.totalMs * MS, unit: 'ns' },
        { label: 'assists', value: a.count, unit: 'count' },
        { label: 'share of the trace', value: a.shareOfWall, unit: 'fraction' },
      ],
      advice:
        'This goroutine allocates faster than the background GC marks, so the runtime makes it mark instead of run. ' +
        'Cut its allocations (preallocate, reuse, avoid pointers in large buffers) or raise GOGC.',
    }));
}
