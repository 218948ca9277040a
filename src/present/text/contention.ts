import type { ContentionAnalysis, ContentionSite } from '../../analyze/contention/index.js';
import { formatCount, formatDuration, formatFraction } from '../../model/units.js';
import type { TopResult } from '../../report/top.js';
import { renderFindings } from '../findings.js';
import type { Style } from '../style.js';
import { table } from './table.js';
import { printable, printableData } from '../printable.js';

/** One mutex or block profile: top sites by delay and count, who calls into the heaviest, findings. */
export function contentionText(analysis: ContentionAnalysis, file: string, style: Style, rows: number): string {
  const a = printableData(analysis);
  const out = [
    style.bold(`${printable(file)}: ${a.kind} profile, ${formatDuration(a.totalDelayNanos)} of delay in ${formatCount(a.totalContentions)} contentions`),
    style.dim(a.caveat),
    '',
    style.bold('Top sites by delay') + style.dim(' (as go tool pprof -top -sample_index=delay)'),
    topTable(a.byDelay, rows, formatDuration),
    '',
    style.bold('Top sites by count') + style.dim(' (as go tool pprof -top -sample_index=contentions)'),
    topTable(a.byCount, rows, formatCount),
    '',
    style.bold('Who calls into the heaviest sites') + style.dim(" (share of the site's delay; first hop as pprof -peek)"),
    ...a.sites.flatMap((s) => siteLines(s)),
    style.bold('Findings'),
    renderFindings(a.findings, style),
  ];
  return out.join('\n');
}

function topTable(t: TopResult, rows: number, fmt: (v: number) => string): string {
  if (t.rows.length === 0) return '  (no samples)';
  const shown = t.rows.slice(0, rows);
  const share = (x: number) => formatFraction(x / 100);
  const body = shown.map((r) => [fmt(r.flat), share(r.flatPercent), fmt(r.cum), share(r.cumPercent), `${r.name}${r.inline ? ` (${r.inline})` : ''}`]);
  const text = table([['flat', 'flat%', 'cum', 'cum%', 'name'], ...body], [true, true, true, true, false]);
  const more = t.rows.length > shown.length ? `\n  … ${formatCount(t.rows.length - shown.length)} more rows (--rows 0)` : '';
  return text.replace(/^/gm, '  ') + more;
}

function siteLines(s: ContentionSite): string[] {
  const lines = [`  ${s.name}: ${formatDuration(s.delay.flat)} flat, ${formatCount(s.contentions.flat)} contentions`];
  for (const c of s.callers) lines.push(`    ${formatFraction(c.percent / 100).padStart(6)}  ← ${c.name}${c.inline ? ' (inline)' : ''}`);
  if (s.chains.length) lines.push('    chains:');
  for (const c of s.chains) {
    lines.push(`    ${formatFraction(c.share).padStart(6)}  ${c.callers.length ? `← ${c.callers.join(' ← ')}` : '(no callers recorded)'}`);
  }
  lines.push('');
  return lines;
}
