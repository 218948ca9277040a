import uPlot from 'uplot';
import { getJson, type Session } from './api.js';
import { AXIS_WIDTH, ChartGroup, timeAxis } from './chart.js';
import { h, markReady, notice } from './dom.js';
import { formatBytes, formatFraction } from './format.js';

interface Cycle {
  n: number;
  atSeconds: number;
  clockMs: { sweepTermination: number; mark: number; markTermination: number };
  cpuMs: { assist: number };
  heapMB: { start: number; end: number; live: number };
  goalMB: number;
  forced: boolean;
}

interface SimulatedCycle {
  allocatedMB: number;
  endMB: number;
  goalMB: number;
}

interface WhatIfRow {
  gogc: number | 'off';
  gomemlimit: number | null;
  cycles: number | null;
  peakHeapBytes: number | null;
  gcCpuFraction: number | null;
  refusal?: string;
  trust?: string;
}

interface GcView {
  cycles: Cycle[];
  summary: { cycles: number; gcCpuFraction: number | null; peakHeapMB: number };
  baseline: { setting: WhatIfRow; observed: WhatIfRow };
  whatIf: WhatIfRow[];
  whatIfSeries: SimulatedCycle[][];
  /** The log replayed at its own setting: ties allocation (the replay's clock) to the log's time. */
  baselineSeries: SimulatedCycle[];
}

const WHAT_IF_COLOURS = ['#7b3fa0', '#0f8f6f', '#c46a00', '#3b6fc4'];

/** `gogc=50, gogc=off, limit=256MiB` → the API's what-if specs (gogc:50, limit:268435456). */
export function parseWhatIfs(text: string): string[] {
  const units: Record<string, number> = { b: 1, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, kb: 1e3, mb: 1e6, gb: 1e9 };
  return text
    .split(/[;\n]|,\s*(?=gogc|limit|gomemlimit)/i)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((spec) =>
      spec
        .split(/\s*,\s*|\s+/)
        .map((part) => {
          const [k = '', v = ''] = part.split('=');
          if (/^gogc$/i.test(k)) return `gogc:${v.toLowerCase()}`;
          const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(v);
          if (/^(go)?memlimit|limit$/i.test(k) && m) return `limit:${Math.round(Number(m[1]) * (units[(m[2] || 'b').toLowerCase()] ?? NaN))}`;
          return `bad:${part}`;
        })
        .join(','),
    );
}

/** Allocation (MiB) → seconds, through the replay of the log's own setting, cycle by cycle. */
export function allocationClock(baseline: SimulatedCycle[], cycles: Cycle[]): (mb: number) => number {
  const n = Math.min(baseline.length, cycles.length);
  const a = baseline.slice(0, n).map((c) => c.allocatedMB);
  const t = cycles.slice(0, n).map((c) => c.atSeconds);
  return (mb) => {
    if (n === 0) return NaN;
    if (n === 1) return t[0]!;
    let i = a.findIndex((v) => v >= mb);
    if (i < 0) i = n - 1;
    if (i === 0) i = 1;
    const span = a[i]! - a[i - 1]!;
    return span > 0 ? t[i - 1]! + ((mb - a[i - 1]!) / span) * (t[i]! - t[i - 1]!) : t[i]!;
  };
}

/** Series on different x values, on one x axis (uPlot's aligned data), with gaps where a series has no point. */
export function align(series: [number[], (number | null)[]][]): uPlot.AlignedData {
  const xs = [...new Set(series.flatMap(([x]) => x))].filter(Number.isFinite).sort((p, q) => p - q);
  const at = new Map(xs.map((x, i) => [x, i]));
  const ys = series.map(([x, y]) => {
    const out: (number | null)[] = new Array(xs.length).fill(null);
    x.forEach((xv, i) => at.has(xv) && (out[at.get(xv)!] = y[i]!));
    return out;
  });
  return [xs, ...ys] as uPlot.AlignedData;
}

function settingLabel(w: WhatIfRow): string {
  const parts = [`GOGC=${w.gogc}`];
  if (w.gomemlimit !== null) parts.push(`GOMEMLIMIT=${formatBytes(w.gomemlimit)}`);
  return parts.join(' ');
}

export async function renderTimeline(root: HTMLElement, session: Session, params: URLSearchParams): Promise<void> {
  const d = params.get('d') ?? '0';
  const whatIfText = params.get('whatif') ?? 'gogc=50; gogc=200';
  const input = h('input', { type: 'text', class: 'wide', value: whatIfText, 'aria-label': 'what-if settings', title: 'e.g. gogc=50; gogc=off, limit=256MiB' });
  const form = h(
    'form',
    { class: 'filters', onsubmit: (e: Event) => (e.preventDefault(), (location.hash = `#timeline?${new URLSearchParams({ d, whatif: input.value })}`)) },
    h('label', { text: 'What if ' }),
    input,
    h('button', { type: 'submit', text: 'Replay' }),
  );
  const picker = h('select', { 'aria-label': 'log', onchange: (e: Event) => (location.hash = `#timeline?d=${(e.target as HTMLSelectElement).value}`) });
  session.gcLogs.forEach((name, i) => picker.append(h('option', { value: String(i), text: name, selected: String(i) === d })));
  let a: GcView;
  try {
    a = await getJson<GcView>('gc', { d, whatif: parseWhatIfs(whatIfText) });
  } catch (err) {
    root.replaceChildren(h('div', { class: 'toolbar' }, picker, form), notice(String((err as Error).message), 'error'));
    markReady('timeline');
    return;
  }
  const charts = h('div', { class: 'charts' });
  root.replaceChildren(
    h('div', { class: 'toolbar' }, picker, form),
    h('h2', { text: `${a.summary.cycles} GC cycles · GC CPU ${a.summary.gcCpuFraction === null ? 'unknown' : formatFraction(a.summary.gcCpuFraction)} · peak heap ${formatBytes(a.summary.peakHeapMB * 2 ** 20)}` }),
    h('p', { class: 'caption', text: 'Drag across a chart to zoom (both charts follow), double-click to zoom out. What-ifs replay the log\'s allocation through the pacer; their time axis comes from replaying the log at its own setting.' }),
    charts,
    whatIfTable(a),
  );
  drawCharts(charts, a);
  markReady('timeline');
}

function drawCharts(parent: HTMLElement, a: GcView): void {
  const c = a.cycles;
  const t = c.map((x) => x.atSeconds);
  const clock = allocationClock(a.baselineSeries, c);
  const whatIfs: [number[], (number | null)[]][] = a.whatIfSeries.map((s) => [s.map((x) => clock(x.allocatedMB)), s.map((x) => x.endMB)]);
  const heap = align([[t, c.map((x) => x.goalMB)], [t, c.map((x) => x.heapMB.start)], [t, c.map((x) => x.heapMB.live)], ...whatIfs]);
  const width = Math.max(400, parent.clientWidth || 1000);
  const group = new ChartGroup();
  const mib = (_u: uPlot, v: number) => (v === null || v === undefined ? '–' : `${(+v).toFixed(1)} MiB`);
  group.add(
    {
      title: 'Heap (MiB)',
      width,
      height: 320,
      scales: { x: { time: false } },
      axes: [timeAxis, { size: AXIS_WIDTH }],
      series: [
        { label: 'time' },
        { label: 'heap goal', stroke: '#999', dash: [6, 4], width: 1.5, spanGaps: true, paths: uPlot.paths.stepped!({ align: 1 }), value: mib },
        { label: 'heap at GC start', stroke: '#d9480f', width: 1.5, spanGaps: true, value: mib },
        { label: 'live heap (marked)', stroke: '#2b8a3e', width: 2, spanGaps: true, value: mib },
        ...a.whatIf.map((w, i) => ({ label: `what if ${settingLabel(w)} (end heap)`, stroke: WHAT_IF_COLOURS[i % WHAT_IF_COLOURS.length]!, dash: [2, 3], width: 1.5, spanGaps: true, value: mib })),
      ],
    },
    heap,
    parent,
  );
  const ms = (_u: uPlot, v: number) => (v === null || v === undefined ? '–' : `${(+v).toFixed(3)} ms`);
  group.add(
    {
      title: 'Stop-the-world pauses and mark assists (ms per cycle)',
      width,
      height: 200,
      scales: { x: { time: false } },
      axes: [timeAxis, { size: AXIS_WIDTH }],
      series: [
        { label: 'time' },
        { label: 'stop-the-world (clock)', stroke: '#c92a2a', width: 0, points: { show: true, size: 5, fill: '#c92a2a' }, value: ms },
        { label: 'mark assist (CPU)', stroke: '#1971c2', width: 0, points: { show: true, size: 5, fill: '#1971c2' }, value: ms },
      ],
    },
    [t, c.map((x) => x.clockMs.sweepTermination + x.clockMs.markTermination), c.map((x) => x.cpuMs.assist)],
    parent,
  );
  new ResizeObserver(() => group.resize(Math.max(400, parent.clientWidth))).observe(parent);
}

function whatIfTable(a: GcView): HTMLElement {
  const row = (label: string, w: WhatIfRow, cls = '') =>
    h(
      'tr',
      { class: cls },
      h('td', { text: label }),
      h('td', { class: 'num', text: w.cycles === null ? '–' : String(w.cycles) }),
      h('td', { class: 'num', text: w.peakHeapBytes === null ? '–' : formatBytes(w.peakHeapBytes) }),
      h('td', { class: 'num', text: w.gcCpuFraction === null ? '–' : formatFraction(w.gcCpuFraction) }),
      h('td', { text: w.refusal ?? w.trust ?? '' }),
    );
  return h(
    'table',
    { class: 'rows whatif' },
    h('thead', {}, h('tr', {}, h('th', { text: 'setting' }), ...['GC cycles', 'peak heap', 'GC CPU'].map((x) => h('th', { class: 'num', text: x })), h('th', { text: 'trust' }))),
    h('tbody', {}, row(`observed (${settingLabel(a.baseline.setting)})`, a.baseline.observed, 'observed'), ...a.whatIf.map((w) => row(`what if ${settingLabel(w)}`, w))),
  );
}
