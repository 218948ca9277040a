import uPlot from 'uplot';
import { getJson, type Session } from './api.js';
import { AXIS_WIDTH, ChartGroup, timeAxis } from './chart.js';
import { h, markReady } from './dom.js';
import { formatBytes, formatDuration, formatFraction } from './format.js';
import { align } from './timeline.js';

interface SeriesPoint {
  t: number;
  min: number;
  max: number;
  last: number;
}

interface TraceView {
  startNs: number;
  endNs: number;
  durationNs: number;
  gomaxprocs: number | null;
  gc: {
    cycles: { startNs: number; endNs: number | null }[];
    stw: { startNs: number; endNs: number; reason: string; gc: boolean }[];
    cpuFraction: number | null;
    assists: { totalMs: number; activity: { t: number; widthNs: number; busyNs: number }[] };
    sweep: { totalMs: number; count: number };
  };
  heap: { alloc: SeriesPoint[]; goalSteps: [number, number][]; peakAllocBytes: number };
  goroutines: { alive: SeriesPoint[]; maxAlive: number };
}

const LANES = ['GC (mark)', 'stop-the-world', 'mark assist', 'sweep'];
const LANE_HEIGHT = 22;

/** Spans [start, end) in seconds, drawn in one lane at least 1 px wide, only where the scale shows them. */
function drawSpans(u: uPlot, lane: number, spans: [number, number, number][], colour: (weight: number) => string): void {
  const ctx = u.ctx;
  const dpr = window.devicePixelRatio || 1;
  const { min = 0, max = 1 } = u.scales['x']!;
  const top = u.bbox.top + lane * LANE_HEIGHT * dpr + 3 * dpr;
  let lastRight = -Infinity;
  for (const [s, e, weight] of spans) {
    if (e < min || s > max) continue;
    const x0 = u.valToPos(Math.max(s, min), 'x', true);
    const x1 = u.valToPos(Math.min(e, max), 'x', true);
    // Many spans in one pixel draw once: the rest would only paint over it.
    if (x1 <= lastRight && x1 - x0 < 1) continue;
    ctx.fillStyle = colour(weight);
    ctx.fillRect(x0, top, Math.max(x1 - x0, dpr), (LANE_HEIGHT - 6) * dpr);
    lastRight = Math.max(x0 + dpr, x1);
  }
}

export async function renderTrace(root: HTMLElement, session: Session, params: URLSearchParams): Promise<void> {
  const d = params.get('d') ?? '0';
  const a = await getJson<TraceView>('trace', { d });
  const sec = (ns: number) => (ns - a.startNs) / 1e9;
  const picker = h('select', { 'aria-label': 'trace', onchange: (e: Event) => (location.hash = `#trace?d=${(e.target as HTMLSelectElement).value}`) });
  session.traces.forEach((name, i) => picker.append(h('option', { value: String(i), text: name, selected: String(i) === d })));
  const charts = h('div', { class: 'charts' });
  root.replaceChildren(
    h('div', { class: 'toolbar' }, picker),
    h('h2', {
      text:
        `${formatDuration(a.durationNs)} traced · ${a.gc.cycles.length} GC cycles · ${a.gc.stw.length} stop-the-world pauses · ` +
        `GC CPU ${a.gc.cpuFraction === null ? 'unknown' : formatFraction(a.gc.cpuFraction)} · peak heap ${formatBytes(a.heap.peakAllocBytes)}`,
    }),
    h('p', { class: 'caption', text: `Drag to zoom (down to microseconds: pauses and GC spans are exact), double-click to zoom out. Sweep: ${formatDuration(a.gc.sweep.totalMs * 1e6)} in ${a.gc.sweep.count} sweeps; the analysis keeps no per-interval sweep times, so its lane shows the total only.` }),
    charts,
  );
  const width = Math.max(400, charts.clientWidth || 1000);
  const group = new ChartGroup();
  const end = sec(a.endNs);
  const procs = a.gomaxprocs ?? 1;
  const gcSpans: [number, number, number][] = a.gc.cycles.map((c) => [sec(c.startNs), sec(c.endNs ?? a.endNs), 1]);
  const stwSpans: [number, number, number][] = a.gc.stw.map((p) => [sec(p.startNs), sec(p.endNs), p.gc ? 1 : 0]);
  const assistSpans: [number, number, number][] = a.gc.assists.activity.filter((x) => x.busyNs > 0).map((x) => [sec(x.t), sec(x.t + x.widthNs), Math.min(1, x.busyNs / (x.widthNs * procs))]);
  group.add(
    {
      title: 'Lanes',
      width,
      height: LANES.length * LANE_HEIGHT + 60,
      scales: { x: { time: false, range: [0, end] }, y: { range: [0, 1] } },
      legend: { show: false },
      axes: [timeAxis, { values: () => [], size: AXIS_WIDTH, ticks: { show: false }, grid: { show: false } }],
      series: [{}, { stroke: 'transparent' }],
      hooks: {
        draw: [
          (u) => {
            drawSpans(u, 0, gcSpans, () => 'hsl(140, 45%, 55%)');
            drawSpans(u, 1, stwSpans, (gc) => (gc ? 'hsl(0, 70%, 50%)' : 'hsl(30, 80%, 50%)'));
            drawSpans(u, 2, assistSpans, (w) => `hsla(215, 75%, 45%, ${0.25 + 0.75 * w})`);
            const ctx = u.ctx;
            const dpr = window.devicePixelRatio || 1;
            ctx.fillStyle = '#333';
            ctx.font = `${11 * dpr}px system-ui, sans-serif`;
            ctx.textBaseline = 'middle';
            ctx.textAlign = 'right';
            LANES.forEach((name, i) => ctx.fillText(name, u.bbox.left - 8 * dpr, u.bbox.top + (i + 0.5) * LANE_HEIGHT * dpr));
            ctx.textAlign = 'left';
            ctx.fillText(`total ${formatDuration(a.gc.sweep.totalMs * 1e6)}`, u.bbox.left + 6 * dpr, u.bbox.top + 3.5 * LANE_HEIGHT * dpr);
          },
        ],
      },
    },
    [
      [0, end],
      [0, 0],
    ],
    charts,
  );
  const heapT = a.heap.alloc.map((p) => sec(p.t));
  const goalT = a.heap.goalSteps.map(([t]) => sec(t));
  const mib = (_u: uPlot, v: number) => (v === null || v === undefined ? '–' : formatBytes(v * 2 ** 20));
  group.add(
    {
      title: 'Heap (MiB)',
      width,
      height: 260,
      scales: { x: { time: false, range: [0, end] } },
      axes: [timeAxis, { size: AXIS_WIDTH }],
      series: [
        { label: 'time' },
        { label: 'heap in use (max per interval)', stroke: '#d9480f', width: 1.5, spanGaps: true, value: mib },
        { label: 'heap goal', stroke: '#777', dash: [6, 4], width: 1.5, spanGaps: true, paths: uPlot.paths.stepped!({ align: 1 }), value: mib },
      ],
    },
    align([
      [heapT, a.heap.alloc.map((p) => p.max / 2 ** 20)],
      [goalT, a.heap.goalSteps.map(([, g]) => g / 2 ** 20)],
    ]),
    charts,
  );
  group.add(
    {
      title: 'Goroutines alive',
      width,
      height: 180,
      scales: { x: { time: false, range: [0, end] } },
      axes: [timeAxis, { size: AXIS_WIDTH }],
      series: [{ label: 'time' }, { label: 'goroutines', stroke: '#5f3dc4', width: 1.5, paths: uPlot.paths.stepped!({ align: 1 }), value: (_u: uPlot, v: number) => (v === null || v === undefined ? '–' : String(v)) }],
    },
    [a.goroutines.alive.map((p) => sec(p.t)), a.goroutines.alive.map((p) => p.last)],
    charts,
  );
  new ResizeObserver(() => group.resize(Math.max(400, charts.clientWidth))).observe(charts);
  markReady('trace');
}
