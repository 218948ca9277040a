import { maxOf } from '../../analyze/stats.js';
import { cards, escapeHtml, findingHtml, page, table } from './page.js';
import { legend, lineChart, type Marker, type Series } from './svg.js';
import type { GcAnalysis, GcProcessesReport } from '../../analyze/gc/types.js';
import { rejectedText } from '../gclog.js';
import { settingLabel, whatIfTable } from '../whatif.js';

const COLORS = { live: '#1f77b4', start: '#ff7f0e', goal: '#2ca02c', pause: '#7b5ea7', forced: '#c62828' };
const WHAT_IF_COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
const f1 = (x: number) => (Math.round(x * 10) / 10).toString();
const pct = (x: number | null) => (x === null ? '-' : `${f1(x * 100)}%`);

/** The gc report as one page: heap, goal and pauses over time, the what-if table, the findings. */
export function renderGcPage(a: GcAnalysis, file: string): string {
  return page(`footprint gc — ${file}`, `<h1>GC of ${escapeHtml(file)}</h1>\n${analysisHtml(a)}`);
}

/** A log of several processes: a table of them, then one section per process. */
export function renderGcProcessesPage(r: GcProcessesReport, file: string): string {
  const n = r.processes.length;
  const body = [
    `<h1>GC of ${escapeHtml(file)}</h1>`,
    `<p class="sub">The log holds the GCs of ${n} processes (cycle numbers restart, time goes back): each is shown on its own.</p>`,
    table(
      ['process', 'cycles', 'lines', 'span', 'peak heap', 'GC CPU', 'findings', 'go build step'],
      r.processes.map((p) => [
        String(p.process.index),
        String(p.summary.cycles),
        `${p.process.lines.first}–${p.process.lines.last}`,
        `${f1(p.summary.spanSeconds)} s`,
        `${p.summary.peakHeapMB} MiB`,
        pct(p.summary.gcCpuFraction),
        String(p.findings.length),
        p.process.label ?? '',
      ]),
      [true, true, false, true, true, true, true, false],
    ),
    ...r.processes.map(
      (p) => `<section><h2>Process ${p.process.index} of ${n}${p.process.label ? ` — ${escapeHtml(p.process.label)}` : ''}</h2>\n${analysisHtml(p)}</section>`,
    ),
  ];
  return page(`footprint gc — ${file}`, body.join('\n'));
}

function analysisHtml(a: GcAnalysis): string {
  const s = a.summary;
  return [
    `<p class="sub">${s.cycles} cycles over ${f1(s.spanSeconds)} s on ${s.procs} P · footprint gc</p>`,
    cards([
      ['GC cycles per second', s.gcPerSecond === null ? '-' : f1(s.gcPerSecond)],
      ['GC CPU share', pct(s.gcCpuFraction)],
      ['Pause p99 / max', `${f1(s.pausesMs.p99)} / ${f1(s.pausesMs.max)} ms`],
      ['Assists of GC CPU', pct(s.markAssistShareOfGcCpu)],
      ['Live heap at end', `${s.liveHeap.lastMB} MiB`],
      ['Peak heap', `${s.peakHeapMB} MiB`],
      ['Effective GOGC', s.inferredGogc === null ? 'not steady' : `≈ ${s.inferredGogc}`],
      ['Goal pinned by limit', `${s.limitBoundCycles} cycles`],
    ]),
    s.rejectedRecords ? `<p class="sub">${escapeHtml(rejectedText(s))}</p>` : '',
    '<h2>Heap over time</h2>',
    heapChart(a),
    '<h2>What if</h2>',
    '<p class="sub">The log\'s workload (allocation and live heap) replayed through the Go pacer\'s rules.</p>',
    whatIfHtml(a),
    a.whatIfSeries.length ? whatIfChart(a) : '',
    '<h2>Findings</h2>',
    a.findings.length ? a.findings.map(findingHtml).join('\n') : '<p>No findings.</p>',
  ].join('\n');
}

function heapChart(a: GcAnalysis): string {
  const c = a.cycles;
  const endOf = (x: (typeof c)[number]) => x.atSeconds + (x.clockMs.sweepTermination + x.clockMs.mark + x.clockMs.markTermination) / 1000;
  const series: Series[] = [
    { name: 'heap goal', color: COLORS.goal, points: c.map((x) => [x.atSeconds, x.goalMB]), step: true, dashed: true },
    { name: 'heap at GC start', color: COLORS.start, points: c.map((x) => [x.atSeconds, x.heapMB.start]) },
    { name: 'live heap (marked)', color: COLORS.live, points: c.map((x) => [endOf(x), x.heapMB.live]) },
  ];
  const maxPause = Math.max(1e-9, maxOf(c.map(stwMs)));
  const markers: Marker[] = c.map((x) => ({
    x: x.atSeconds,
    size: stwMs(x) / maxPause,
    color: x.forced || x.periodic ? COLORS.forced : COLORS.pause,
    title: `gc ${x.n} @${x.atSeconds}s: stop-the-world ${x.clockMs.sweepTermination} + ${x.clockMs.markTermination} ms${x.forced ? ' (forced)' : ''}`,
  }));
  return (
    lineChart({ width: 1060, height: 400, series, markers, markerLabel: 'STW', xLabel: 'seconds since start', yLabel: 'MiB' }) +
    legend([...series, { name: 'stop-the-world pause (height: duration)', color: COLORS.pause }, { name: 'forced GC', color: COLORS.forced }])
  );
}

function stwMs(x: GcAnalysis['cycles'][number]): number {
  return x.clockMs.sweepTermination + x.clockMs.markTermination;
}

function whatIfHtml(a: GcAnalysis): string {
  const t = whatIfTable(a);
  const notes = t.notes.length ? `<ol class="sub">${t.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ol>` : '';
  return table(t.header, t.rows, t.numeric) + notes;
}

function whatIfChart(a: GcAnalysis): string {
  const series: Series[] = a.whatIfSeries.map((cycles, i) => ({
    name: settingLabel(a.whatIf[i]!),
    color: WHAT_IF_COLORS[i % WHAT_IF_COLORS.length]!,
    points: cycles.map((c) => [c.allocatedMB, c.endMB] as [number, number]),
  }));
  return (
    '<p class="sub">Predicted heap at the end of each GC, by how much the program had allocated.</p>' +
    lineChart({ width: 1060, height: 300, series, xLabel: 'MiB allocated since start', yLabel: 'MiB' }) +
    legend(series)
  );
}

