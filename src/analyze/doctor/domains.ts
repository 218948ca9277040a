import type { MemStats } from '../../model/profile.js';
import { analyzeContention } from '../contention/index.js';
import type { Finding } from '../finding.js';
import { analyzeGoroutines, compareGoroutines } from '../goroutines/index.js';
import type { GoroutineAnalysis } from '../goroutines/types.js';
import { analyzeHeap } from '../heap/index.js';
import { memStatsBreakdown, memStatsFindings } from '../heap/memstats.js';
import { GC_THRESHOLDS } from '../gc/findings.js';
import { heldBytes } from './cost.js';
import { memStat } from './memstat.js';
import type { HeapAnalysis } from '../heap/types.js';
import { analyzeTrace } from '../trace/index.js';
import type { TraceAnalysis } from '../trace/types.js';
import type { ContentionAnalysis } from '../contention/types.js';
import type { DoctorInput, Domain, Sourced } from './types.js';


export interface SeenFinding {
  finding: Finding;
  domain: Domain;
}

export interface DomainAnalyses {
  heap?: HeapAnalysis;
  goroutines?: GoroutineAnalysis;
  /** The goroutine profiles at both ends of the window, when both arrived. */
  goroutineLooks?: { start: GoroutineAnalysis; end: GoroutineAnalysis };
  mutex?: ContentionAnalysis;
  block?: ContentionAnalysis;
  trace?: TraceAnalysis;
  findings: SeenFinding[];
  /** An analysis that could not run on what was captured, and why. */
  skipped: string[];
}

/** Runs every domain's own analysis on what the capture holds. */
export function analyzeDomains(input: DoctorInput): DomainAnalyses {
  const out: DomainAnalyses = { findings: [], skipped: [] };
  const add = (domain: Domain, findings: readonly Finding[]) => {
    for (const finding of findings) out.findings.push({ finding, domain });
  };
  const looks = memStatsLooks(input);
  const memStats = looks.at(-1)?.value;
  if (input.heaps.length > 0) {
    const last = looks.at(-1);
    out.heap = analyzeHeap({ snapshots: input.heaps, ...(last ? { memStats: { source: last.source, stats: last.value } } : {}) });
    add('heap profile', out.heap.findings.filter((f) => !MEMSTATS_KINDS.has(f.kind)));
  } else out.skipped.push('heap: no heap profile arrived');
  add('MemStats', worstMemStatsFindings(looks));
  const gcRate = gcRateFinding(input.vars);
  if (gcRate) add('MemStats', [gcRate]);
  const goroutines = goroutineFindings(input, memStats);
  if (goroutines) {
    out.goroutines = goroutines.analysis;
    if (goroutines.looks) out.goroutineLooks = goroutines.looks;
    add('goroutines', goroutines.findings);
  } else out.skipped.push('goroutines: no goroutine profile or dump arrived');
  if (input.mutex) {
    out.mutex = analyzeContention(input.mutex.value, { source: input.mutex.source, kind: 'mutex' });
    add('mutex profile', out.mutex.findings);
  }
  if (input.block) {
    out.block = analyzeContention(input.block.value, { source: input.block.source, kind: 'block' });
    add('block profile', out.block.findings);
  }
  if (input.trace) {
    out.trace = analyzeTrace(input.trace.value, { source: input.trace.source });
    add('execution trace', out.trace.findings);
  }
  return out;
}

const MEMSTATS_KINDS = new Set<Finding['kind']>(['memory-not-returned', 'heap-fragmentation']);

/**
 * How often the GC ran over the window, from /debug/vars at its two ends,
 * judged as the gctrace analysis judges a log (GC_THRESHOLDS): the GC's CPU
 * share here is GCCPUFraction, over the process's whole life.
 */
function gcRateFinding(vars: DoctorInput['vars']): Finding | undefined {
  const first = vars[0];
  const last = vars.at(-1);
  if (!first || !last || last.atMs - first.atMs < 1000) return undefined;
  const seconds = (last.atMs - first.atMs) / 1000;
  const perSecond = (memStat(last.value, 'NumGC') - memStat(first.value, 'NumGC')) / seconds;
  if (perSecond < GC_THRESHOLDS.gcPerSecond) return undefined;
  const cpu = memStat(last.value, 'GCCPUFraction');
  const pauses = (memStat(last.value, 'PauseTotalNs') - memStat(first.value, 'PauseTotalNs')) / seconds;
  return {
    kind: 'gc-pressure',
    severity: cpu >= GC_THRESHOLDS.cpuHigh ? 'high' : cpu >= GC_THRESHOLDS.cpuMedium / 2 ? 'medium' : 'low',
    title: `the GC ran ${perSecond.toFixed(0)} times a second over the window`,
    evidence: [
      { label: 'GC cycles per second', value: perSecond, unit: 'per-second' },
      { label: 'stop-the-world pauses per second', value: pauses, unit: 'ns' },
      { label: 'GCCPUFraction (GC share of GOMAXPROCS, since the process started)', value: cpu, unit: 'fraction' },
    ],
    advice:
      'The heap fills fast relative to its size: allocate less on the hot path (the allocation findings name where), ' +
      'or give the heap more room with a higher GOGC, capped by GOMEMLIMIT.',
  };
}

/** Every MemStats of the window, in time order: /debug/vars with each heap profile, then the footer at the end. */
function memStatsLooks(input: DoctorInput): Sourced<MemStats>[] {
  return [...input.vars, ...(input.memStats ? [input.memStats] : [])];
}

/**
 * MemStats change from moment to moment (a spike rebuilt every few seconds
 * is idle memory just before it is rebuilt): each look is judged, and per
 * kind the one that holds the most is kept, with when it was seen.
 */
function worstMemStatsFindings(looks: readonly Sourced<MemStats>[]): Finding[] {
  const worst = new Map<Finding['kind'], { finding: Finding; held: number }>();
  for (const look of looks) {
    for (const f of memStatsFindings(memStatsBreakdown(look.value))) {
      const held = heldBytes(f);
      const seen = worst.get(f.kind);
      if (!seen || held > seen.held) worst.set(f.kind, { finding: { ...f, evidence: [...f.evidence, { label: 'MemStats from', value: look.source }] }, held });
    }
  }
  return [...worst.values()].map((w) => w.finding);
}

/**
 * The dump at the end has states, wait times and lock addresses; the
 * profiles at both ends give growth over the window. Growth of a group the
 * dump also reports is one finding (merged later by location).
 */
function goroutineFindings(
  input: DoctorInput,
  memStats: MemStats | undefined,
): { analysis: GoroutineAnalysis; findings: Finding[]; looks?: { start: GoroutineAnalysis; end: GoroutineAnalysis } } | undefined {
  const options = memStats ? { memStats } : {};
  const last = input.goroutineDump ?? input.goroutinesEnd;
  if (!last) return undefined;
  const analysis = analyzeGoroutines(last.value, options);
  const findings = [...analysis.findings];
  if (input.goroutinesStart && input.goroutinesEnd) {
    const start = analyzeGoroutines(input.goroutinesStart.value, options);
    const end = analyzeGoroutines(input.goroutinesEnd.value, options);
    const growth = compareGoroutines([start, end]).findings.filter((f) => !end.findings.includes(f));
    for (const f of growth) findings.push(f);
    return { analysis, findings, looks: { start, end } };
  }
  return { analysis, findings };
}
