import { decodeTrace, type ByteSource } from '../../formats/trace/index.js';
import { Ev, type TraceEvent } from '../../model/trace.js';
import { distribution } from '../stats.js';
import { GcCollector } from './gc.js';
import { traceFindings } from './findings.js';
import { GoroutineCollector } from './goroutines.js';
import { HeapCollector } from './heap.js';
import { mmuCurve } from './mmu.js';
import { ProcBusyCollector } from './procs.js';
import { UserSpanCollector } from './tasks.js';
import { UtilizationTracker } from './utilization.js';
import type { TraceCollector, TraceRun } from './run.js';
import type { AnalyzeTraceOptions, TraceAnalysis, TraceStw, TraceSummary } from './types.js';

export type * from './types.js';

/** How many goroutines the assist table lists. */
const ASSIST_ROWS = 20;

/** Decodes a trace and analyses it in one streaming pass. */
export function analyzeTrace(input: ByteSource, options: AnalyzeTraceOptions = {}): TraceAnalysis {
  const run: TraceRun = { firstGen: null };
  const gc = new GcCollector(run);
  const heap = new HeapCollector();
  const goroutines = new GoroutineCollector(run);
  const util = new UtilizationTracker(run);
  const procsBusy = new ProcBusyCollector(run);
  const userSpans = new UserSpanCollector();
  const wanted = typeMasks([
    [gc, GC],
    [heap, HEAP],
    [goroutines, GOROUTINES],
    [util, UTIL],
    [procsBusy, PROCS],
    [userSpans, USER],
  ]);
  // The direct handlers in event() serve exactly these collectors: a collector that starts taking sweeps
  // or HeapAlloc must be added there too.
  if (wanted[Ev.GCSweepBegin] !== (GC | UTIL) || wanted[Ev.GCSweepEnd] !== (GC | UTIL) || wanted[Ev.HeapAlloc] !== HEAP) {
    throw new Error('trace analysis: the direct sweep/HeapAlloc handlers no longer match the collectors');
  }
  const assistNames = new Map<number, string>();
  let wallStartNs: number | null = null;
  let bytesSeen = 0;
  const result = decodeTrace(
    countingSource(input, (n) => (bytesSeen += n)),
    {
      generation(gen, tables) {
        if (run.firstGen === null) {
          run.firstGen = gen;
          wallStartNs = tables.wallNs;
        }
        options.onProgress?.(bytesSeen);
      },
      event(e: TraceEvent) {
        const type = e.type;
        // The commonest kinds, half of a busy trace, go straight to their handlers (checked against the masks below).
        if (type === Ev.GCSweepBegin || type === Ev.GCSweepEnd) {
          gc.sweepEvent(e);
          util.sweepEvent(e);
          return;
        }
        if (type === Ev.HeapAlloc) {
          heap.heapAlloc(e);
          return;
        }
        // One call site per collector, each seeing one class: V8 inlines them. A loop over a list of
        // collectors made that call megamorphic, a full call per event (measured: ~15% of the command).
        const wants = wanted[type]!;
        if (wants & GC) gc.event(e);
        if (wants & HEAP) heap.event(e);
        if (wants & GOROUTINES) goroutines.event(e);
        if (wants & UTIL) util.event(e);
        if (wants & PROCS) procsBusy.event(e);
        if (wants & USER) userSpans.event(e);
        // After the goroutine collector, which names a goroutine from the assist's own stack when nothing else had.
        if (type === Ev.GCMarkAssistBegin && !assistNames.has(e.g)) assistNames.set(e.g, goroutines.functionOf(e.g));
      },
      wants: wanted,
    },
    {
      ...(options.source !== undefined ? { source: options.source } : {}),
      ...(options.chunkSize !== undefined ? { chunkSize: options.chunkSize } : {}),
    },
  );
  const startNs = result.firstNs ?? 0;
  const endNs = result.lastNs ?? 0;
  const durationNs = endNs - startNs;
  const g = gc.finish(endNs);
  const h = heap.finish();
  const goUtil = util.finish(endNs);
  const procs = h.gomaxprocs ?? 1;
  const mean = goUtil.perRunMean;
  const busyNs = procsBusy.finish(endNs);
  const gcCpuNs = mean === null ? null : (1 - mean) * durationNs * procs;
  const goEnd = goUtil.times[goUtil.times.length - 1];
  const summary: TraceSummary = {
    goVersion: `go1.${result.goMinor}`,
    bytes: result.bytes,
    generations: result.generations,
    startNs,
    endNs,
    durationNs,
    wallStartNs,
    gomaxprocs: h.gomaxprocs,
    cpuSamples: result.cpuSamples,
    busyNs: busyNs > 0 ? busyNs : null,
    eventCounts: result.eventCounts,
    warnings: result.warnings,
    gc: {
      cycles: g.cycles,
      perSecond: durationNs > 0 ? g.cycles.length / (durationNs / 1e9) : 0,
      cpuFraction: mean === null ? null : 1 - mean,
      shareOfBusy: gcCpuNs === null || busyNs <= 0 ? null : Math.min(1, gcCpuNs / busyNs),
      stw: g.stw,
      pausesMs: distribution(g.stw.map((p) => (p.endNs - p.startNs) / 1e6)),
      pausesByReason: pausesByReason(g.stw),
      assists: {
        totalMs: g.assistTotalNs / 1e6,
        shareOfCpu: share(g.assistTotalNs, durationNs * procs),
        byGoroutine: g.assists.slice(0, ASSIST_ROWS).map((a) => ({
          goroutine: a.goroutine,
          function: assistNames.get(a.goroutine) ?? '',
          totalMs: a.totalNs / 1e6,
          count: a.count,
          shareOfWall: share(a.totalNs, durationNs),
        })),
        activity: g.assistActivity,
      },
      sweep: {
        totalMs: g.sweep.totalNs / 1e6,
        count: g.sweep.count,
        sweptBytes: g.sweep.sweptBytes,
        reclaimedBytes: g.sweep.reclaimedBytes,
        shareOfCpu: share(g.sweep.totalNs, durationNs * procs),
      },
    },
    heap: h,
    goroutines: goroutines.finish(endNs),
    user: userSpans.finish(),
    mmu: mmuCurve(goUtil.times, goUtil.utils),
    mmuEndsEarlyAtNs: goEnd !== undefined && goEnd < endNs ? goEnd - startNs : null,
  };
  return { ...summary, findings: traceFindings(summary) };
}

/** The collectors' bits in the masks by event type (a Uint8Array: at most eight). */
const GC = 1;
const HEAP = 2;
const GOROUTINES = 4;
const UTIL = 8;
const PROCS = 16;
const USER = 32;

/** For each event type, the bits of the collectors that handle it. */
function typeMasks(collectors: readonly (readonly [TraceCollector, number])[]): Uint8Array {
  const masks = new Uint8Array(256);
  for (const [c, bit] of collectors) for (const t of c.types) masks[t]! |= bit;
  return masks;
}

function share(part: number, whole: number): number {
  return whole > 0 ? part / whole : 0;
}

function pausesByReason(stw: readonly TraceStw[]): TraceSummary['gc']['pausesByReason'] {
  const by = new Map<string, { reason: string; count: number; totalMs: number; maxMs: number }>();
  for (const p of stw) {
    const ms = (p.endNs - p.startNs) / 1e6;
    const r = by.get(p.reason) ?? { reason: p.reason, count: 0, totalMs: 0, maxMs: 0 };
    r.count++;
    r.totalMs += ms;
    r.maxMs = Math.max(r.maxMs, ms);
    by.set(p.reason, r);
  }
  return [...by.values()].sort((a, b) => b.totalMs - a.totalMs);
}

/** Wraps a source to report how many bytes were read (for progress). */
function countingSource(input: ByteSource, onRead: (n: number) => void): ByteSource {
  return {
    read(into, offset, length) {
      const n = input.read(into, offset, length);
      onRead(n);
      return n;
    },
    close: () => input.close?.(),
  };
}
