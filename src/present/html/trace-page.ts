import { maxOf } from '../../analyze/stats.js';
import { cards, escapeHtml, findingHtml, page, table } from './page.js';
import { legend, lineChart, type Band, type Marker, type Series } from './svg.js';
import type { BusyInterval, TraceAnalysis } from '../../analyze/trace/types.js';

const COLORS = { alloc: '#1f77b4', goal: '#2ca02c', gc: '#9467bd', stwGc: '#7b5ea7', stwOther: '#c62828', assist: '#ef8f00', goroutines: '#17becf' };
const MiB = 2 ** 20;
/** The charts' width in the viewBox (about pixels on a laptop screen). */
export const TRACE_CHART_WIDTH = 1060;
const f1 = (x: number) => (Math.round(x * 10) / 10).toString();
const f2 = (x: number) => (Math.round(x * 100) / 100).toString();
const pct = (x: number | null) => (x === null ? '-' : `${f1(x * 100)}%`);

/** The trace report as one page: a timeline of heap, goal, GC cycles, pauses and assists; goroutines; tables; findings. */
export function renderTracePage(a: TraceAnalysis, file: string): string {
  const g = a.gc;
  const mmu10 = a.mmu.find((m) => m.windowNs === 10e6);
  const body = [
    `<h1>Execution trace ${escapeHtml(file)}</h1>`,
    `<p class="sub">Go ${escapeHtml(a.goVersion.slice(2))} trace · ${f2(a.durationNs / 1e6)} ms · ${a.generations} generations · GOMAXPROCS ${a.gomaxprocs ?? '?'} · footprint trace</p>`,
    cards([
      ['GC cycles', `${g.cycles.length} (${f1(g.perSecond)}/s)`],
      ['GC CPU share', pct(g.cpuFraction)],
      ['Pause p99 / max', `${f2(g.pausesMs.p99)} / ${f2(g.pausesMs.max)} ms`],
      ['Mark assists', `${f1(g.assists.totalMs)} ms`],
      ['Peak HeapAlloc', `${f1(a.heap.peakAllocBytes / MiB)} MiB`],
      ['Goroutines created', String(a.goroutines.created)],
      ['Max goroutines alive', String(a.goroutines.maxAlive)],
      ['MMU at 10 ms', mmu10 ? `${pct(mmu10.mmu)}${a.mmuEndsEarlyAtNs !== null ? ` (first ${f2(a.mmuEndsEarlyAtNs / 1e6)} ms only)` : ''}` : '-'],
    ]),
    '<h2>Heap, GC and pauses over time</h2>',
    heapTimeline(a),
    '<h2>Goroutines alive</h2>',
    goroutineChart(a),
    '<h2>Stop-the-world pauses by reason</h2>',
    table(['reason', 'count', 'total ms', 'max ms'], g.pausesByReason.map((r) => [r.reason, String(r.count), f2(r.totalMs), f2(r.maxMs)]), [false, true, true, true]),
    '<h2>Mark assists by goroutine</h2>',
    table(
      ['goroutine', 'function', 'assists', 'total ms', 'share of the trace'],
      g.assists.byGoroutine.map((x) => [`g${x.goroutine}`, x.function || '?', String(x.count), f2(x.totalMs), pct(x.shareOfWall)]),
      [false, false, true, true, true],
    ),
    '<h2>Longest-lived goroutines</h2>',
    table(
      ['goroutine', 'function', 'lived ms', 'note'],
      a.goroutines.longestLived.map((l) => [
        `g${l.goroutine}`,
        l.function || '?',
        f2(((l.endNs ?? a.endNs) - l.startNs) / 1e6),
        [l.existedAtStart ? 'from before the trace' : '', l.endNs === null ? 'still alive' : ''].filter(Boolean).join(', '),
      ]),
      [false, false, true, false],
    ),
    '<h2>Minimum mutator utilization</h2>',
    table(
      ['window', "MMU (go tool trace's definition)"],
      a.mmu.map((m) => [`${m.windowNs / 1e6} ms`, pct(m.mmu)]),
      [false, true],
    ),
    a.mmuEndsEarlyAtNs === null
      ? ''
      : `<p class="sub">go tool trace's utilization stays 0 from ${f2(a.mmuEndsEarlyAtNs / 1e6)} ms on (its count of GC workers drifts), so its MMU covers only the trace before that.</p>`,
    '<h2>Findings</h2>',
    a.findings.length ? a.findings.map(findingHtml).join('\n') : '<p>No findings.</p>',
  ].join('\n');
  return page(`footprint trace — ${file}`, body);
}

function heapTimeline(a: TraceAnalysis): string {
  const ms = (t: number) => (t - a.startNs) / 1e6;
  const series: Series[] = [
    { name: 'HeapAlloc (max per interval)', color: COLORS.alloc, points: a.heap.alloc.map((p) => [ms(p.t), p.max / MiB]) },
    { name: 'heap goal', color: COLORS.goal, points: goalPoints(a), step: true, dashed: true },
  ];
  const spans: Band[] = a.gc.cycles.map((c, i) => ({
    x0: ms(c.startNs),
    x1: ms(c.endNs ?? a.endNs),
    color: COLORS.gc,
    title: `GC ${i + 1}: ${f2(ms(c.startNs))}–${f2(ms(c.endNs ?? a.endNs))} ms${c.startedBeforeTrace ? ' (running as the trace began)' : ''}`,
  }));
  const maxPause = Math.max(1, maxOf(a.gc.stw.map((p) => p.endNs - p.startNs)));
  const markers: Marker[] = a.gc.stw.map((p) => ({
    x: ms(p.startNs),
    size: (p.endNs - p.startNs) / maxPause,
    color: p.gc ? COLORS.stwGc : COLORS.stwOther,
    title: `stop-the-world (${p.reason}) at ${f2(ms(p.startNs))} ms: ${f2((p.endNs - p.startNs) / 1e6)} ms`,
  }));
  const strip = { label: 'assists', bands: assistBands(a.gc.assists.activity, a.gomaxprocs ?? 1, ms) };
  return (
    lineChart({ width: TRACE_CHART_WIDTH, height: 430, series, spans, markers, markerLabel: 'STW', strip, xLabel: 'ms since the trace began', yLabel: 'MiB' }) +
    legend([
      ...series,
      { name: 'GC cycle', color: COLORS.gc },
      { name: 'mark assists (darker: more of the CPU)', color: COLORS.assist },
      { name: 'GC stop-the-world (height: duration)', color: COLORS.stwGc },
      { name: 'other stop-the-world', color: COLORS.stwOther },
    ])
  );
}

/** The heap goal as steps, carried to the end of the trace. */
function goalPoints(a: TraceAnalysis): [number, number][] {
  const pts = a.heap.goalSteps.map(([t, v]): [number, number] => [(t - a.startNs) / 1e6, v / MiB]);
  const last = pts[pts.length - 1];
  if (last !== undefined) pts.push([a.durationNs / 1e6, last[1]]);
  return pts;
}

/**
 * One band per interval with mark assists, as dark as the share of the CPU
 * (GOMAXPROCS × the interval) they took: a few milliseconds of assists in a
 * long trace stay faint instead of painting the whole strip.
 */
function assistBands(activity: readonly BusyInterval[], procs: number, ms: (t: number) => number): Band[] {
  return activity.map((iv) => {
    const share = Math.min(1, iv.busyNs / (iv.widthNs * procs));
    return {
      x0: ms(iv.t),
      x1: ms(iv.t + iv.widthNs),
      color: COLORS.assist,
      opacity: 0.15 + 0.85 * share,
      title: `mark assists ${f2(ms(iv.t))}–${f2(ms(iv.t + iv.widthNs))} ms: ${f2(iv.busyNs / 1e6)} ms, ${pct(share)} of the CPU`,
    };
  });
}

function goroutineChart(a: TraceAnalysis): string {
  const series: Series[] = [{ name: 'goroutines alive (max per interval)', color: COLORS.goroutines, points: a.goroutines.alive.map((p) => [(p.t - a.startNs) / 1e6, p.max]) }];
  return lineChart({ width: TRACE_CHART_WIDTH, height: 220, series, xLabel: 'ms since the trace began', yLabel: 'goroutines' }) + legend(series);
}
