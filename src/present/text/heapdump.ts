import type { HeapDumpAnalysis, Retainer, SiteBytes } from '../../analyze/heapdump/index.js';
import { formatBytes, formatCount, formatFraction } from '../../model/units.js';
import { renderFindings } from '../findings.js';
import { chainLines, rootText, siteText } from '../heapdump.js';
import type { Style } from '../style.js';
import { table } from './table.js';

/** Retainers printed in text (JSON has them all). */
export const TEXT_RETAINERS = 10;

/** `footprint heapdump`: the heap's totals, the top retainers with their chains, garbage, findings, notes. */
export function heapDumpText(a: HeapDumpAnalysis, file: string, style: Style, retainers = TEXT_RETAINERS): string {
  const d = a.dump;
  const out: string[] = [];
  out.push(style.bold(`${file}: heap dump of a ${d.goVersion} ${d.goarch} program, ${formatBytes(d.bytes)}, ${formatCount(d.goroutines)} goroutines, ${formatCount(d.roots)} roots`));
  out.push('');
  const ms = d.memStats ? `  (MemStats: HeapAlloc ${formatBytes(d.memStats.heapAlloc)}, ${formatCount(d.memStats.heapObjects)} objects, ${formatCount(d.memStats.numGC)} GCs)` : '';
  out.push(`Heap       ${formatBytes(a.heapBytes)} in ${formatCount(a.objects)} objects${ms}`);
  out.push(`Reachable  ${formatBytes(a.reachableBytes)} in ${formatCount(a.reachableObjects)} objects`);
  out.push(`Garbage    ${formatBytes(a.garbageBytes)} in ${formatCount(a.garbageObjects)} objects: no root reaches them (allocated since the last GC); not counted below`);
  out.push('');
  out.push(style.bold('What keeps the heap alive'));
  out.push(style.dim('(each root with what would be freed if it let go, and the shortest chain from it to the object that holds most of it)'));
  for (const r of a.retainers.slice(0, retainers)) for (const line of retainerLines(r, style)) out.push(line);
  if (a.retainers.length === 0) out.push('  nothing: no root reaches any object');
  if (a.garbageSites.length > 0) {
    out.push('');
    out.push(style.bold('Garbage by allocation site'));
    out.push(siteTable(a.garbageSites, '  '));
  }
  out.push('');
  out.push(style.bold('Findings'));
  out.push(renderFindings(a.findings, style).trimEnd());
  if (a.notes.length > 0) {
    out.push('');
    for (const n of a.notes) out.push(style.dim(`Note: ${n}`));
  }
  return out.join('\n') + '\n';
}

function retainerLines(r: Retainer, style: Style): string[] {
  const head = `  ${formatBytes(r.retainedBytes).padStart(9)}  ${formatFraction(r.share).padStart(6)}  ${style.bold(rootText(r.root))}, ${formatCount(r.retainedObjects)} object${r.retainedObjects === 1 ? '' : 's'}`;
  const indent = ' '.repeat(21);
  const chain = chainLines(r).map((l, i) => `${indent}${i === 0 ? '' : '→ '}${l}`);
  const madeOf = r.sites.length > 1 ? [`${indent}${style.dim('made of:')}`, siteTable(r.sites.slice(0, 3), `${indent}  `)] : [];
  return [head, ...chain, ...madeOf];
}

function siteTable(sites: readonly SiteBytes[], indent: string): string {
  const rows = sites.map((s) => [formatBytes(s.bytes), `${formatCount(s.objects)} obj`, siteText(s.site)]);
  return table(rows, [true, true, false])
    .split('\n')
    .map((l) => indent + l)
    .join('\n');
}
