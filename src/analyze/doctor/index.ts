import type { GoroutineInput } from '../../model/goroutines.js';
import { sampleValue, type Profile } from '../../model/profile.js';
import { heapColumns, heapTotals } from '../heap/sites.js';
import { sampleFunctions } from '../stacks.js';
import { entryFunction } from '../trace/goroutines.js';
import { PROFILER_FUNCTION } from '../go-names.js';
import { memStat } from './memstat.js';
import type { Severity } from '../finding.js';
import { analyzeDomains, type DomainAnalyses, type SeenFinding } from './domains.js';
import { rankByCost } from './cost.js';
import { mergeCauses } from './merge.js';
import { trendRules } from './trend-rules.js';
import { explainRss } from './rss.js';
import type { Diagnosis, DoctorInput, DomainFigures } from './types.js';

export type * from './types.js';
export { explainRss } from './rss.js';
export { compareDiagnoses, doctorHeadlines } from './compare.js';

/**
 * One ranked diagnosis of a live service from one capture: every domain's
 * analysis, causes seen from several domains merged into one finding, the
 * RSS explained when /proc was read, most costly first.
 */
export function diagnose(input: DoctorInput): Diagnosis {
  const domains = analyzeDomains(input);
  const judged = trendRules(sampleSizeRules(domains.findings), domains, input.heaps);
  const findings = rankByCost(mergeCauses(judged, { ...(domains.goroutines ? { goroutines: domains.goroutines } : {}) }));
  const rss = input.proc ? explainRss(input) : undefined;
  return {
    target: input.target,
    window: input.window,
    findings,
    ...(rss ? { rss } : {}),
    captures: input.captures,
    figures: figures(input, domains),
    notes: [...input.notes, ...profilingNotes(input), ...staleHeapNotes(input), ...failedNotes(input), ...domains.skipped, ...(rss?.notes ?? [])],
  };
}

/**
 * A window of seconds and a trace of one are small samples: one long pause
 * in them is worth showing, not ranking above the service's real problems.
 */
function sampleSizeRules(seen: readonly SeenFinding[]): SeenFinding[] {
  return seen.map((s) => {
    const f = s.finding;
    if (f.kind !== 'gc-long-pause' || f.severity !== 'medium') return s;
    const long = f.evidence.find((e) => e.label.startsWith('pauses of'))?.value;
    return long === 1 ? { ...s, finding: { ...f, severity: 'low' as Severity, title: `${f.title} (one pause in a short trace)` } } : s;
  });
}

function profilingNotes(input: DoctorInput): string[] {
  const out: string[] = [];
  if (input.mutexFraction === 0) {
    out.push('mutex profiling is off (runtime.SetMutexProfileFraction was never set): no lock-holding figures. Turn it on early in main: runtime.SetMutexProfileFraction(5)');
  }
  if (input.blockRecorded === false) {
    out.push('block profiling is off (the block profile is empty since the start): no waiting figures. Turn it on early in main: runtime.SetBlockProfileRate(10000) (waits of 10 µs and more)');
  }
  return out;
}

/** A heap profile is as of the last GC: with none during the window, its profiles are one moment, not a trend. */
function staleHeapNotes(input: DoctorInput): string[] {
  const first = input.vars[0];
  const last = input.vars.at(-1);
  if (!first || !last || first === last || memStat(first.value, 'NumGC') !== memStat(last.value, 'NumGC')) return [];
  return ['no GC ran during the window, and heap profiles are as of the last GC: they show one moment, so no growth can be seen. Take a longer --duration'];
}

function failedNotes(input: DoctorInput): string[] {
  return input.captures.filter((c) => c.status === 'failed').map((c) => `${c.name}: ${c.error ?? 'failed'} (${c.from})`);
}

function figures(input: DoctorInput, d: DomainAnalyses): DomainFigures {
  const out: DomainFigures = {};
  const seconds = windowSeconds(input);
  if (input.heaps.length) {
    const allocated = input.allocs ? heapTotals(input.allocs.value).allocBytes : null;
    const allocSeconds = input.allocs && input.allocs.value.durationNanos > 0n ? Number(input.allocs.value.durationNanos) / 1e9 : seconds;
    out.heap = {
      inuseBytes: input.heaps.map((h) => ({ atMs: h.atMs, bytes: heapTotals(h.profile).inuseBytes })),
      allocatedBytesPerSecond: allocated !== null && allocSeconds ? allocated / allocSeconds : null,
    };
  }
  if (d.goroutines || input.goroutinesStart) {
    out.goroutines = { start: input.goroutinesStart ? goroutineCount(input.goroutinesStart.value) : null, end: d.goroutines?.total ?? null };
  }
  if (d.mutex || d.block) {
    out.contention = {
      mutexDelayNs: d.mutex && seconds ? d.mutex.totalDelayNanos / seconds : null,
      blockDelayNs: d.block && seconds ? d.block.totalDelayNanos / seconds : null,
    };
  }
  out.gc = gcFigures(input, d);
  if (d.trace) {
    const allocated = input.allocs ? allocatedByEntry(input.allocs.value) : undefined;
    out.goroutineWork = d.trace.goroutines.byFunction.filter((f) => !PROFILER_FUNCTION.test(f.function)).map((f) => ({ ...f, allocatedBytes: allocated ? (allocated.get(f.function) ?? 0) : null, traceNs: d.trace!.durationNs }));
    if (d.trace.user.tasks.length || d.trace.user.regions.length) out.tasks = d.trace.user;
    out.traceCurves = {
      heapBytes: d.trace.heap.alloc.map((p) => [(p.t - d.trace!.startNs) / 1e6, p.last]),
      goroutines: d.trace.goroutines.alive.map((p) => [(p.t - d.trace!.startNs) / 1e6, p.last]),
    };
  }
  return out;
}

/** Bytes allocated per goroutine entry function: the outermost frame of each stack, runtime.goexit aside. */
function allocatedByEntry(p: Profile): Map<string, number> {
  const cols = heapColumns(p);
  const out = new Map<string, number>();
  for (let i = 0; i < p.samples.count; i++) {
    const entry = entryFunction(sampleFunctions(p, i));
    if (entry) out.set(entry, (out.get(entry) ?? 0) + sampleValue(p, i, cols.allocBytes));
  }
  return out;
}

function gcFigures(input: DoctorInput, d: DomainAnalyses): NonNullable<DomainFigures['gc']> {
  const start = input.vars[0];
  const end = input.vars.at(-1);
  const dt = start && end ? (end.atMs - start.atMs) / 1000 : 0;
  const delta = (field: string) => (start && end && dt > 0 ? (memStat(end.value, field) - memStat(start.value, field)) / dt : null);
  return {
    cyclesPerSecond: delta('NumGC'),
    pauseNsPerSecond: delta('PauseTotalNs'),
    cpuFraction: d.trace?.gc.shareOfBusy ?? null,
  };
}


function windowSeconds(input: DoctorInput): number {
  return (input.window.elapsedMs ?? input.window.windowMs) / 1000;
}

function goroutineCount(g: GoroutineInput): number {
  if (g.kind === 'dump') return g.dump.goroutines.length;
  return g.profile.stacks.reduce((n, s) => n + s.count, 0);
}
