import type { Diagnosis, DoctorFinding, DomainFigures, GoroutineWork, RssBreakdown } from '../../analyze/doctor/types.js';
import { formatBytes, formatCount, formatDuration, formatFraction } from '../../model/units.js';
import { maxOf } from '../../analyze/stats.js';
import { renderFindings } from '../findings.js';
import type { Style } from '../style.js';
import { printableData } from '../printable.js';
import { table } from './table.js';
import { userSpanLines } from './trace.js';

/** The doctor's report: findings first, then where the resident memory is, the window's figures and what could not be read. */
export function doctorText(diagnosis: Diagnosis, style: Style, capture?: string): string {
  // Names come from the service (functions, tasks, labels): printed inert, as every text report.
  const d = printableData(diagnosis);
  const out: string[] = [header(d, capture), ''];
  out.push(style.bold('Findings, most costly first'));
  out.push(renderFindings(withSeenIn(d.findings), style));
  if (d.rss) out.push(rssText(d.rss, style));
  out.push(figuresText(d.figures, style));
  if (d.figures.goroutineWork?.length) out.push(goroutineWorkText(d.figures.goroutineWork, style));
  if (d.figures.tasks) out.push(`${userSpanLines(d.figures.tasks).join('\n')}\n`);
  const failed = d.captures.filter((c) => c.status === 'failed');
  const notes = d.notes.filter((n) => !failed.some((c) => n.startsWith(`${c.name}:`)));
  if (failed.length) out.push(style.bold('Could not collect'), ...failed.map((c) => `  - ${c.name}: ${c.error ?? 'failed'} (${c.from})`), '');
  if (notes.length) out.push(style.bold('Notes'), ...notes.map((n) => `  - ${n}`), '');
  return `${out.join('\n').trimEnd()}\n`;
}

function header(d: Diagnosis, capture: string | undefined): string {
  const elapsed = d.window.elapsedMs ?? d.window.windowMs;
  const ok = d.captures.filter((c) => c.status === 'ok').length;
  return (
    `footprint doctor: ${d.target}, a ${formatDuration(elapsed * 1e6)} window from ${d.window.startedAt}` +
    `${d.window.interrupted ? ' (interrupted)' : ''}; ${ok} of ${d.captures.length} artefacts read` +
    (capture ? `\ncapture: ${capture} (re-read it with: footprint doctor ${capture})` : '')
  );
}

/** The merged domains become one evidence line, so a reader sees one cause seen several ways. */
function withSeenIn(findings: readonly DoctorFinding[]): DoctorFinding[] {
  return findings.map((f) => (f.seenIn.length > 1 ? { ...f, evidence: [...f.evidence, { label: 'seen in', value: f.seenIn.join(', ') }] } : f));
}

const BAR_WIDTH = 24;

function rssText(r: RssBreakdown, style: Style): string {
  const biggest = Math.max(1, maxOf(r.parts.map((p) => Math.abs(p.bytes))));
  const rows = r.parts.map((p) => [
    `  ${p.name}`,
    formatBytes(p.bytes),
    formatFraction(p.bytes / r.bytes),
    `${p.bytes < 0 ? '-' : ''}${'█'.repeat(Math.round((Math.abs(p.bytes) / biggest) * BAR_WIDTH))}`,
  ]);
  const lines = [style.bold(`Resident memory: ${formatBytes(r.bytes)} (RSS), in parts that add up to it`), table(rows, [false, true, true, false])];
  if (r.levers.length) lines.push('  What would change it:', ...r.levers.map((l) => `  - ${l.name}: ${l.text}`));
  return `${lines.join('\n')}\n`;
}

function figuresText(f: DomainFigures, style: Style): string {
  const rows: string[][] = [];
  if (f.heap) {
    const points = f.heap.inuseBytes;
    rows.push(['  heap in use', `${formatBytes(points[0]!.bytes)} → ${formatBytes(points.at(-1)!.bytes)} over ${points.length} profiles`]);
    if (f.heap.allocatedBytesPerSecond !== null) rows.push(['  allocation', `${formatBytes(f.heap.allocatedBytesPerSecond)}/s`]);
  }
  if (f.goroutines) rows.push(['  goroutines', `${count(f.goroutines.start)} → ${count(f.goroutines.end)}`]);
  if (f.gc) {
    const parts = [
      f.gc.cyclesPerSecond !== null ? `${f.gc.cyclesPerSecond.toFixed(1)} cycles/s` : null,
      f.gc.cpuFraction !== null ? `${formatFraction(f.gc.cpuFraction)} of the CPU the program used (trace)` : null,
      f.gc.pauseNsPerSecond !== null ? `pauses ${formatDuration(f.gc.pauseNsPerSecond)} per second` : null,
    ].filter((p): p is string => p !== null);
    if (parts.length) rows.push(['  GC', parts.join(', ')]);
  }
  if (f.contention) {
    const c = f.contention;
    const parts = [c.mutexDelayNs !== null ? `mutex ${formatDuration(c.mutexDelayNs)}/s` : null, c.blockDelayNs !== null ? `blocked ${formatDuration(c.blockDelayNs)}/s` : null].filter((p): p is string => p !== null);
    if (parts.length) rows.push(['  waiting', parts.join(', ')]);
  }
  if (rows.length === 0) return '';
  return `${style.bold('Over the window')}\n${table(rows, [false, false])}\n`;
}

const WORK_ROWS = 8;

/** Goroutines over the heap: per function goroutines run, how many started and how long they lived (trace), what they allocated (window). */
function goroutineWorkText(rows: readonly GoroutineWork[], style: Style): string {
  const sorted = [...rows].sort((a, b) => (b.allocatedBytes ?? 0) - (a.allocatedBytes ?? 0) || b.created - a.created).slice(0, WORK_ROWS);
  const traceSeconds = rows[0]!.traceNs / 1e9;
  const table_ = [
    ['  goroutines run', 'started by', 'created', 'ended', 'mean life', 'longest', 'allocated'],
    ...sorted.map((r) => [
      `  ${r.function}`,
      r.creator,
      formatCount(r.created),
      formatCount(r.ended),
      r.meanLifeNs === null ? '-' : formatDuration(r.meanLifeNs),
      r.maxLifeNs === null ? '-' : formatDuration(r.maxLifeNs),
      r.allocatedBytes === null ? '?' : formatBytes(r.allocatedBytes),
    ]),
  ];
  return `${style.bold(`Goroutines by what they run (created and lives: the ${traceSeconds.toFixed(1)} s trace; allocated: the window)`)}\n${table(table_, [false, false, true, true, true, true, true])}\n`;
}

function count(n: number | null): string {
  return n === null ? '?' : formatCount(n);
}

