import type { Finding, Severity } from '../finding.js';
import { sortFindings } from '../finding.js';
import type { GcSummary } from './summary.js';
import type { WhatIfResult } from './whatif.js';

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
  pauseMediumMs: 10,
  pauseHighMs: 50,
  forcedShare: 0.1,
} as const;

export interface GcAdviceContext {
  /** The log replayed at a doubled GOGC (any memory limit kept), to put numbers on "raise GOGC". */
  doubledGogc?: { gogc: number; gomemlimit: number | null; result: WhatIfResult; baseline: WhatIfResult };
}

const T = GC_THRESHOLDS;
const pct = (x: number) => Math.round(x * 1000) / 10;
const mb = (x: number) => Math.round(x * 10) / 10;

export function gcFindings(s: GcSummary, ctx: GcAdviceContext = {}): Finding[] {
  const findings = [pressure(s, ctx), assists(s), memoryLimit(s), growth(s), pauses(s), forced(s)];
  return sortFindings(findings.filter((f): f is Finding => f !== undefined));
}

function pressure(s: GcSummary, ctx: GcAdviceContext): Finding | undefined {
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
    title: `GC runs ${mb(rate)} times a second and takes ${pct(cpu)}% of the CPU`,
    evidence: [
      { label: 'GC CPU share (idle marking excluded)', value: pct(cpu), unit: '%' },
      { label: 'GC cycles per second', value: Math.round(rate * 10) / 10 },
      { label: 'median time between GCs', value: Math.round(s.medianIntervalMs ?? 0), unit: 'ms' },
      { label: 'live heap at the end', value: s.liveHeap.lastMB, unit: 'MiB' },
      ...(s.inferredGogc !== null ? [{ label: 'effective GOGC', value: s.inferredGogc }] : []),
    ],
    advice:
      `The heap is small relative to how fast the program allocates, so the GC keeps starting over. ` +
      `Trade memory for CPU with a higher GOGC (e.g. GOGC=${(s.inferredGogc ?? 100) * 2}), and cap it safely with ` +
      `GOMEMLIMIT; or allocate less: footprint top -sample_index=alloc_space on an allocs profile shows where.` +
      trade,
  };
}

function doubledTrade(d: GcAdviceContext['doubledGogc']): string {
  if (!d) return '';
  const kept = d.gomemlimit !== null ? ` with the memory limit kept` : '';
  const replay =
    ` Replaying this log at GOGC=${d.gogc}${kept}: ${d.result.cycles} cycles instead of ${d.baseline.cycles}, ` +
    `peak heap ${mb(d.result.peakHeapBytes / 2 ** 20)} MiB instead of ${mb(d.baseline.peakHeapBytes / 2 ** 20)} MiB.`;
  const barelyHelps = d.result.cycles > d.baseline.cycles * 0.9;
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
    title: `Mark assists do ${pct(share)}% of the GC's CPU work: allocation outruns the collector`,
    evidence: [
      { label: 'assist share of GC CPU', value: pct(share), unit: '%' },
      { label: 'GC CPU share', value: pct(s.gcCpuFraction ?? 0), unit: '%' },
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
    title: `The heap goal is pinned at ${s.pinnedGoalMB} MiB by a memory limit in ${s.limitBoundCycles} of ${s.cycles} cycles`,
    evidence: [
      { label: 'cycles with the goal at the ceiling', value: s.limitBoundCycles },
      { label: 'goal ceiling', value: s.pinnedGoalMB, unit: 'MiB' },
      ...(limit !== null ? [{ label: 'GOMEMLIMIT that gives this ceiling', value: mb(limit / 2 ** 20), unit: 'MiB' }] : []),
      { label: 'live heap at the end', value: s.liveHeap.lastMB, unit: 'MiB' },
      { label: 'GC CPU share', value: pct(s.gcCpuFraction ?? 0), unit: '%' },
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
    title: `The live heap is still growing: ${mb(g.recentSlopeMBPerMinute)} MiB a minute over the second half of the log`,
    evidence: [
      { label: 'growth over the second half', value: pct(g.recentGrowth), unit: '%' },
      { label: 'live heap first → last', value: `${g.firstMB} → ${g.lastMB}`, unit: 'MiB' },
      { label: 'slope', value: mb(g.recentSlopeMBPerMinute), unit: 'MiB/min' },
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
    title: `Stop-the-world pauses reach ${mb(p.max)} ms`,
    evidence: [
      { label: 'longest pause', value: mb(p.max), unit: 'ms' },
      { label: 'p99 pause', value: mb(p.p99), unit: 'ms' },
      { label: 'median pause', value: mb(p.p50), unit: 'ms' },
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
    evidence: [{ label: 'forced cycles (runtime.GC or debug.FreeOSMemory)', value: s.forcedCycles }],
    advice:
      'Explicit runtime.GC() or debug.FreeOSMemory() calls run a full, blocking collection. Remove them: ' +
      'GOMEMLIMIT makes the runtime collect and return memory when it matters.',
  };
}
