import type { Diagnosis, RssBreakdown } from '../../analyze/doctor/types.js';
import { formatBytes, formatCount, formatDuration, formatFraction } from '../../model/units.js';
import { cards, escapeHtml, findingHtml, page, table } from './page.js';
import { legend, lineChart } from './svg.js';

/** The doctor's page: findings, the RSS as a waterfall, and the heap and goroutines over the window. */
export function renderDoctorPage(d: Diagnosis): string {
  const body = [
    `<h1>footprint doctor</h1><p class="sub">${escapeHtml(d.target)} · ${escapeHtml(formatDuration((d.window.elapsedMs ?? d.window.windowMs) * 1e6))} from ${escapeHtml(d.window.startedAt)}${d.window.interrupted ? ' · interrupted' : ''}</p>`,
    cards(summaryCards(d)),
    '<h2>Findings, most costly first</h2>',
    d.findings.length ? d.findings.map((f) => findingHtml(f.seenIn.length > 1 ? { ...f, evidence: [...f.evidence, { label: 'seen in', value: f.seenIn.join(', ') }] } : f)).join('\n') : '<p>No findings.</p>',
    d.rss ? rssSection(d.rss) : '',
    curves(d),
    notes(d),
  ];
  return page(`footprint doctor: ${d.target}`, body.join('\n'));
}

function summaryCards(d: Diagnosis): [string, string][] {
  const out: [string, string][] = [['findings', String(d.findings.length)]];
  if (d.rss) out.push(['RSS', formatBytes(d.rss.bytes)]);
  const heap = d.figures.heap?.inuseBytes;
  if (heap?.length) out.push(['heap in use (last)', formatBytes(heap.at(-1)!.bytes)]);
  const g = d.figures.goroutines;
  if (g?.end !== null && g?.end !== undefined) out.push(['goroutines (end)', formatCount(g.end)]);
  if (d.figures.gc?.cpuFraction !== null && d.figures.gc?.cpuFraction !== undefined) out.push(['GC share of CPU', formatFraction(d.figures.gc.cpuFraction)]);
  return out;
}

const WATERFALL = { width: 960, rowHeight: 22, label: 300, value: 110 };

/** Each part as a bar starting where the previous ended, so the bars walk from 0 to the RSS (a negative part walks back). */
function rssSection(r: RssBreakdown): string {
  const { width, rowHeight, label, value } = WATERFALL;
  const plot = width - label - value - 16;
  let at = 0;
  let lo = 0;
  let hi = r.bytes;
  for (const p of r.parts) {
    at += p.bytes;
    lo = Math.min(lo, at);
    hi = Math.max(hi, at);
  }
  const x = (v: number) => label + ((v - lo) / Math.max(1, hi - lo)) * plot;
  const rows: string[] = [];
  at = 0;
  r.parts.forEach((p, i) => {
    const from = at;
    at += p.bytes;
    const y = i * rowHeight;
    const x0 = x(Math.min(from, at));
    const w = Math.max(1, Math.abs(x(at) - x(from)));
    rows.push(
      `<text x="${label - 8}" y="${y + 15}" text-anchor="end">${escapeHtml(p.name)}</text>` +
        `<rect class="part" x="${x0.toFixed(1)}" y="${y + 4}" width="${w.toFixed(1)}" height="${rowHeight - 8}" fill="${p.bytes < 0 ? '#c62828' : '#2a7ab0'}"><title>${escapeHtml(`${p.name}: ${formatBytes(p.bytes)} — ${p.basis}`)}</title></rect>` +
        `<text x="${width - 8}" y="${y + 15}" text-anchor="end">${escapeHtml(formatBytes(p.bytes))}</text>`,
    );
  });
  const total = r.parts.length * rowHeight;
  rows.push(
    `<rect class="total" x="${x(0).toFixed(1)}" y="${total + 4}" width="${Math.max(1, x(r.bytes) - x(0)).toFixed(1)}" height="${rowHeight - 8}" fill="#1d2330"><title>RSS ${escapeHtml(formatBytes(r.bytes))}</title></rect>` +
      `<text x="${label - 8}" y="${total + 15}" text-anchor="end">RSS</text><text x="${width - 8}" y="${total + 15}" text-anchor="end">${escapeHtml(formatBytes(r.bytes))}</text>`,
  );
  const height = total + rowHeight + 4;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="RSS waterfall">${rows.join('')}</svg>`;
  const levers = r.levers.length ? `<ul>${r.levers.map((l) => `<li><b>${escapeHtml(l.name)}</b>: ${escapeHtml(l.text)}</li>`).join('')}</ul>` : '';
  const basis = table(['part', 'bytes', 'share of RSS', 'from'], r.parts.map((p) => [p.name, formatBytes(p.bytes), formatFraction(p.bytes / r.bytes), p.basis]), [false, true, true, false]);
  return `<h2>Resident memory: ${escapeHtml(formatBytes(r.bytes))}, part by part</h2>${svg}${levers}${basis}`;
}

function curves(d: Diagnosis): string {
  const start = Date.parse(d.window.startedAt);
  const out: string[] = [];
  const heap = d.figures.heap?.inuseBytes.filter((p) => p.atMs !== null) ?? [];
  if (heap.length >= 2) {
    const series = [{ name: 'heap in use (MiB)', color: '#2a7ab0', points: heap.map((p): [number, number] => [Math.max(0, (p.atMs! - start) / 1000), p.bytes / 2 ** 20]) }];
    out.push('<h2>Heap in use over the window</h2>', legend(series), lineChart({ width: 960, height: 220, series, xLabel: 'seconds into the window', yLabel: 'MiB' }));
  }
  const t = d.figures.traceCurves;
  if (t && t.heapBytes.length >= 2) {
    // One time axis: the heap and the goroutines of the same trace, one chart above the other.
    // Both run to the same last instant (a series holds its last value), so the two charts share their x axis.
    const end = Math.max(t.heapBytes.at(-1)![0], t.goroutines.at(-1)?.[0] ?? 0);
    const toEnd = (pts: [number, number][]): [number, number][] => (pts.length && pts.at(-1)![0] < end ? [...pts, [end, pts.at(-1)![1]]] : pts);
    const heapSeries = [{ name: 'heap allocated (MiB)', color: '#2a7ab0', points: toEnd(t.heapBytes.map(([ms, b]): [number, number] => [ms, b / 2 ** 20])) }];
    const gSeries = [{ name: 'goroutines alive', color: '#ef8f00', points: toEnd(t.goroutines) }];
    out.push(
      '<h2>Heap and goroutines over the trace, on one time axis</h2>',
      legend([...heapSeries, ...gSeries]),
      lineChart({ width: 960, height: 180, series: heapSeries, xLabel: 'ms into the trace', yLabel: 'MiB' }),
      lineChart({ width: 960, height: 160, series: gSeries, xLabel: 'ms into the trace', yLabel: 'goroutines' }),
    );
  }
  const work = d.figures.goroutineWork ?? [];
  if (work.length) {
    const rows = [...work].sort((a, b) => (b.allocatedBytes ?? 0) - (a.allocatedBytes ?? 0) || b.created - a.created).slice(0, 12);
    out.push(
      '<h2>Goroutines by what they run</h2>',
      table(
        ['runs', 'started by', 'created (trace)', 'ended', 'mean life', 'allocated (window)'],
        rows.map((r) => [r.function, r.creator, formatCount(r.created), formatCount(r.ended), r.meanLifeNs === null ? '-' : formatDuration(r.meanLifeNs), r.allocatedBytes === null ? '?' : formatBytes(r.allocatedBytes)]),
        [false, false, true, true, true, true],
      ),
    );
  }
  const g = d.figures.goroutines;
  if (g && g.start !== null && g.end !== null) {
    const seconds = (d.window.elapsedMs ?? d.window.windowMs) / 1000;
    const series = [{ name: 'goroutines', color: '#ef8f00', points: [[0, g.start], [seconds, g.end]] as [number, number][] }];
    out.push('<h2>Goroutines, start and end of the window</h2>', legend(series), lineChart({ width: 960, height: 180, series, xLabel: 'seconds into the window', yLabel: 'goroutines' }));
  }
  return out.join('\n');
}

function notes(d: Diagnosis): string {
  const failed = d.captures.filter((c) => c.status === 'failed');
  const rest = d.notes.filter((n) => !failed.some((c) => n.startsWith(`${c.name}:`)));
  const parts: string[] = [];
  if (failed.length) parts.push('<h2>Could not collect</h2>', `<ul>${failed.map((c) => `<li>${escapeHtml(`${c.name}: ${c.error ?? 'failed'} (${c.from})`)}</li>`).join('')}</ul>`);
  if (rest.length) parts.push('<h2>Notes</h2>', `<ul>${rest.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>`);
  return parts.join('\n');
}
