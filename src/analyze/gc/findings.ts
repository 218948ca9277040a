import { formatBytes, formatCount, formatDuration, formatFraction } from '../../model/units.js';
import type { Finding, Severity } from '../finding.js';
import { sortFindings } from '../finding.js';
import type { GcAdviceContext, GcSummary } from './types.js';

/**
 * Thresholds, and why:
 * - GC CPU: the pacer aims at 25% of the CPU *while marking*; averaged over a
 *   run, a healthy service spends a few percent. 10% is worth a look, 25%
 *   means the collector runs nearly all the time.
 * - Frequency: at 10+ GCs a second each cycle's fixed costs (two
 *   stop-the-world pauses, write barriers on, assists) add up.
 * - Assists: mutator goroutines are drafted into marking when allocation
 *   outruns the background workers; a quarter of GC CPU in assists is latency
 *   paid by requests.
 * - Memory limit: a goal pinned in a tenth of the cycles means GOMEMLIMIT, not
 *   GOGC, sets the pace; with the live heap near the limit the GC thrashes.
 * - Growth: the live heap over the second half of the log, robustly fitted;
 *   10% is beyond GC timing noise, 30% is a leak until shown otherwise.
 * - Pauses: Go's stop-the-world phases are normally well under a
 *   millisecond; 10 ms is visible in request latency.
 * - A rate and a CPU share need a few cycles: a process that ran one or two
 *   GCs (a compile step of `go test`) has its start-up in every figure.
 */
export const GC_THRESHOLDS = {
  cpuMedium: 0.1,
  cpuHigh: 0.25,
  gcPerSecond: 10,
  assistMedium: 0.25,
  assistHigh: 0.5,
  assistMinGcCpu: 0.02,
  limitBoundShare: 0.1,
  liveNearLimit: 0.8,
  growthMedium: 0.1,
  growthHigh: 0.3,
  growthMinMB: 4,
  minCyclesForTrend: 8,
  minCyclesForPressure: 3,
  pauseMediumMs: 10,
  pauseHighMs: 50,
  forcedShare: 0.1,
} as const;

const T = GC_THRESHOLDS;
const MiB = 2 ** 20;
const MS = 1e6;

export function gcFindings(s: GcSummary, ctx: GcAdviceContext = {}): Finding[] {
  const findings = [pressure(s, ctx), assists(s), memoryLimit(s), growth(s), pauses(s), forced(s)];
  return sortFindings(findings.filter((f): f is Finding => f !== undefined));
}

function pressure(s: GcSummary, ctx: GcAdviceContext): Finding | undefined {
  if (s.cycles < T.minCyclesForPressure) return undefined;
  const cpu = s.gcCpuFraction ?? 0;
  const rate = s.gcPerSecond ?? 0;
  let severity: Severity | undefined;
  if (cpu >= T.cpuHigh) severity = 'high';
  else if (cpu >= T.cpuMedium) severity = 'medium';
  else if (rate >= T.gcPerSecond) severity = cpu >= T.cpuMedium / 2 ? 'medium' : 'low';
  if (!severity) return undefined;
  const trade = doubledTrade(ctx.doubledGogc);
  return {
    kind: 'gc-pressure',
    severity,
    title: `GC runs ${formatCount(rate)} times a second and takes ${formatFraction(cpu)} of the CPU`,
    evidence: [
      { label: 'GC CPU share (idle marking excluded)', value: cpu, unit: 'fraction' },
      { label: 'GC cycles per second', value: rate, unit: 'per-second' },
      { label: 'median time between GCs', value: (s.medianIntervalMs ?? 0) * MS, unit: 'ns' },
      { label: 'live heap at the end', value: s.liveHeap.lastMB * MiB, unit: 'bytes' },
      ...(s.inferredGogc !== null ? [{ label: 'effective GOGC', value: s.inferredGogc, unit: 'ratio' as const }] : []),
    ],
    advice:
      `The heap is small relative to how fast the program allocates, so the GC keeps starting over. ` +
      `Trade memory for CPU with a higher GOGC (e.g. GOGC=${(s.inferredGogc ?? 100) * 2}), and cap it safely with ` +
      `GOMEMLIMIT; or allocate less: footprint top -sample_index=alloc_space on an allocs profile shows where.` +
      trade,
  };
}

function doubledTrade(d: GcAdviceContext['doubledGogc']): string {
  const r = d?.result;
  const b = d?.baseline;
  if (!d || r?.cycles == null || r.peakHeapBytes === null || b?.cycles == null || b.peakHeapBytes === null) return '';
  const kept = d.gomemlimit !== null ? ` with the memory limit kept` : '';
  const replay =
    ` Replaying this log at GOGC=${d.gogc}${kept}: ${formatCount(r.cycles)} cycles instead of ${formatCount(b.cycles)}, ` +
    `peak heap ${formatBytes(r.peakHeapBytes)} instead of ${formatBytes(b.peakHeapBytes)}.`;
  const barelyHelps = r.cycles > b.cycles * 0.9;
  return barelyHelps && d.gomemlimit !== null
    ? `${replay} The memory limit sets the pace, so GOGC alone barely helps: the limit or the live heap has to change.`
    : replay;
}

function assists(s: GcSummary): Finding | undefined {
  const share = s.markAssistShareOfGcCpu ?? 0;
  // A handful of cycles, or a GC that costs next to nothing, is no pattern.
  if (share < T.assistMedium || s.cycles < T.minCyclesForTrend || (s.gcCpuFraction ?? 0) < T.assistMinGcCpu) return undefined;
  return {
    kind: 'gc-assist-heavy',
    severity: share >= T.assistHigh ? 'high' : 'medium',
    title: `Mark assists do ${formatFraction(share)} of the GC's CPU work: allocation outruns the collector`,
    evidence: [
      { label: 'assist share of GC CPU', value: share, unit: 'fraction' },
      { label: 'GC CPU share', value: s.gcCpuFraction ?? 0, unit: 'fraction' },
    ],
    advice:
      'Goroutines that allocate during a mark are made to mark in proportion, which shows up as request latency. ' +
      'Cut allocation in the hottest paths (reuse buffers, sync.Pool, preallocate slices and maps), or give the ' +
      'GC more runway with a higher GOGC; if a memory limit is pinning the goal, raise it.',
  };
}

function memoryLimit(s: GcSummary): Finding | undefined {
  if (s.cycles === 0 || s.limitBoundCycles / s.cycles < T.limitBoundShare || s.pinnedGoalMB === null) return undefined;
  const nearLimit = s.liveHeap.lastMB >= T.liveNearLimit * s.pinnedGoalMB;
  const thrashing = (s.gcCpuFraction ?? 0) >= T.cpuHigh;
  const limit = s.inferredMemoryLimitBytes;
  return {
    kind: 'gc-memory-limit',
    severity: nearLimit || thrashing ? 'high' : 'medium',
    title: `The heap goal is pinned at ${formatBytes(s.pinnedGoalMB * MiB)} by a memory limit in ${s.limitBoundCycles} of ${s.cycles} cycles`,
    evidence: [
      { label: 'cycles with the goal at the ceiling', value: s.limitBoundCycles, unit: 'count' },
      { label: 'goal ceiling', value: s.pinnedGoalMB * MiB, unit: 'bytes' },
      ...(limit !== null ? [{ label: 'GOMEMLIMIT that gives this ceiling', value: limit, unit: 'bytes' as const }] : []),
      { label: 'live heap at the end', value: s.liveHeap.lastMB * MiB, unit: 'bytes' },
      { label: 'GC CPU share', value: s.gcCpuFraction ?? 0, unit: 'fraction' },
    ],
    advice: nearLimit
      ? 'The live heap is close to the limit: the GC runs back to back and can take up to half the CPU before ' +
        'the runtime lets the heap exceed the limit. Raise GOMEMLIMIT (leave 10–20% of the container for ' +
        'non-heap memory), or shrink what is live: footprint heap on an inuse profile shows what holds it.'
      : 'GOMEMLIMIT, not GOGC, sets the GC pace here. That is its purpose, but each cycle costs CPU: if the ' +
        'container has room, a higher limit means fewer cycles; check with --what-if gomemlimit=SIZE.',
  };
}

function growth(s: GcSummary): Finding | undefined {
  const g = s.liveHeap;
  if (s.cycles < T.minCyclesForTrend || g.recentGrowth < T.growthMedium) return undefined;
  if (g.recentSlopeMBPerMinute <= 0 || g.maxMB - g.minMB < T.growthMinMB) return undefined;
  return {
    kind: 'live-heap-growth',
    severity: g.recentGrowth >= T.growthHigh ? 'high' : 'medium',
    title: `The live heap is still growing: ${formatBytes(g.recentSlopeMBPerMinute * MiB)} a minute over the second half of the log`,
    evidence: [
      { label: 'growth over the second half', value: g.recentGrowth, unit: 'fraction' },
      { label: 'live heap at the first cycle', value: g.firstMB * MiB, unit: 'bytes' },
      { label: 'live heap at the last cycle', value: g.lastMB * MiB, unit: 'bytes' },
      { label: 'slope', value: g.recentSlopeMBPerMinute * MiB, unit: 'bytes/min' },
    ],
    advice:
      'Memory that stays reachable grows GC work and the heap goal with it. Take two heap profiles some minutes ' +
      'apart and compare them (footprint top --base=first.pb.gz second.pb.gz, or footprint heap first second) ' +
      'to find what accumulates: caches without eviction, growing maps, goroutines that never exit.',
  };
}

function pauses(s: GcSummary): Finding | undefined {
  const p = s.pausesMs;
  if (p.max < T.pauseMediumMs) return undefined;
  return {
    kind: 'gc-long-pause',
    severity: p.max >= T.pauseHighMs ? 'high' : 'medium',
    title: `Stop-the-world pauses reach ${formatDuration(p.max * MS)}`,
    evidence: [
      { label: 'longest pause', value: p.max * MS, unit: 'ns' },
      { label: 'p99 pause', value: p.p99 * MS, unit: 'ns' },
      { label: 'median pause', value: p.p50 * MS, unit: 'ns' },
    ],
    advice:
      'Go stops the world only briefly; long pauses usually mean goroutines slow to reach a safe point (tight ' +
      'loops without function calls), an overloaded machine (GOMAXPROCS above the CPU quota), or a huge number ' +
      'of goroutines. Check GOMAXPROCS against the container limit and take an execution trace (footprint trace).',
  };
}

function forced(s: GcSummary): Finding | undefined {
  if (s.forcedCycles < 3 || s.forcedCycles / s.cycles < T.forcedShare) return undefined;
  return {
    kind: 'gc-forced',
    severity: 'low',
    title: `${s.forcedCycles} of ${s.cycles} cycles were forced by the program`,
    evidence: [{ label: 'forced cycles (runtime.GC or debug.FreeOSMemory)', value: s.forcedCycles, unit: 'count' }],
    advice:
      'Explicit runtime.GC() or debug.FreeOSMemory() calls run a full, blocking collection. Remove them: ' +
      'GOMEMLIMIT makes the runtime collect and return memory when it matters.',
  };
}
