import { formatBytes, formatCount, formatDuration, formatFraction } from '../../model/units.js';
import { renderFindings } from '../findings.js';
import { sparkline } from '../sparkline.js';
import type { Style } from '../style.js';
import type { HeapAnalysis, HeapSite } from '../../analyze/heap/types.js';
import { printableData } from '../printable.js';

const orDash = <T>(v: T | null | undefined, f: (x: T) => string) => (v === null || v === undefined ? '-' : f(v));
const size = (b: number | null | undefined) => orDash(b, formatBytes);
const share = (x: number | null | undefined) => orDash(x, formatFraction);

/** The heap doctor's report: findings, the site table, the trend and where the memory sits. */
export function heapText(analysis: HeapAnalysis, nodecount: number, style: Style): string {
  const a = printableData(analysis);
  const out: string[] = [];
  const n = a.order.sources.length;
  out.push(style.bold(headerText(a)));
  out.push('');
  out.push(style.bold('Findings'));
  out.push(renderFindings(a.findings, style));
  if (n === 1) out.push('(One profile: growth needs several. Take heap profiles a few minutes apart and pass them all.)\n');
  out.push(style.bold(`Sites in the ${n > 1 ? 'latest ' : ''}profile, per line`));
  out.push(siteTable(a.sites.slice(0, nodecount)));
  if (a.trend) out.push('', trendLines(a, style).join('\n'));
  if (a.memory && a.memstats) {
    out.push('');
    out.push(style.bold(`Where the memory sits (MemStats from ${a.memstats.source}; Sys ${size(a.memstats.Sys)})`));
    for (const p of a.memory) out.push(`  ${p.part.padEnd(22)} ${size(p.bytes).padStart(10)} ${share(p.share).padStart(6)}  ${p.note}`);
    if (a.memstats.NextGC !== undefined) out.push(`  next GC at ${size(a.memstats.NextGC)}; ${a.memstats.NumGC ?? '?'} GCs so far`);
    for (const p of a.memoryProblems ?? []) out.push(style.severity('medium', `  not shown: ${p}`));
  }
  return out.join('\n') + '\n';
}

function headerText(a: HeapAnalysis): string {
  const { sources, oneProcess } = a.order;
  if (sources.length === 1) return `${sources[0]}: one heap profile`;
  if (!oneProcess) return `${sources.length} heap profiles of different processes: only the latest, ${sources.at(-1)}, is read (see the warning)`;
  const span = a.trend?.spanMinutes;
  return `${sources.length} heap profiles of one process${span != null ? ` over ${formatDuration(span * 60e9)}` : ` (${a.order.noRate ?? 'no timestamps'}: growth per snapshot, no rate)`}`;
}

function trendLines(a: HeapAnalysis, style: Style): string[] {
  const trend = a.trend!;
  const perMinute = trend.spanMinutes != null;
  const rate = (bytes: number) => `${size(bytes)}${perMinute ? '/min' : ''}`;
  const out = [style.bold(`Trend of inuse bytes, fastest growing first (${perMinute ? 'per minute' : 'per snapshot'})`)];
  out.push(`  ${'total'.padEnd(48)} ${sparkline(trend.total.inuseBytes, 24).padEnd(24)} ${rate(trend.total.bytesPerMinute).padStart(14)}`);
  const growing = trend.sites.filter((s) => s.bytesPerMinute > 0).slice(0, 5);
  if (growing.length === 0) out.push('  no site grows');
  for (const s of growing) {
    const name = `${s.function}:${s.line ?? ''}`.slice(0, 48);
    out.push(`  ${name.padEnd(48)} ${sparkline(s.inuseBytes, 24).padEnd(24)} ${rate(s.bytesPerMinute).padStart(14)}  confidence ${s.confidence.toFixed(2)}`);
  }
  return out;
}

function siteTable(sites: readonly HeapSite[]): string {
  const header = `${'inuse'.padStart(10)} ${'objects'.padStart(9)} ${'avg'.padStart(9)} ${'alloc'.padStart(10)} ${'objects'.padStart(10)} ${'avg'.padStart(9)} ${'kept'.padStart(6)} ${'heap%'.padStart(6)}  site`;
  const rows = sites.map(
    (s) =>
      `${size(s.inuseBytes).padStart(10)} ${formatCount(Math.round(s.inuseObjects)).padStart(9)} ${size(s.avgInuseBytes).padStart(9)} ` +
      `${size(s.allocBytes).padStart(10)} ${formatCount(Math.round(s.allocObjects)).padStart(10)} ${size(s.avgAllocBytes).padStart(9)} ` +
      `${share(s.retention).padStart(6)} ${share(s.inuseShare).padStart(6)}  ${s.function}${s.file ? ` ${s.file}:${s.line}` : ''}${s.via ? ` → ${s.via}` : ''}`,
  );
  return [header, ...rows].join('\n');
}
