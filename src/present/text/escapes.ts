import { CAUSE_LABEL, classifySite } from '../../analyze/escapes/causes.js';
import { explainUnexplained } from '../../analyze/escapes/findings.js';
import { heapCount } from '../../analyze/escapes/summary.js';
import { formatPos, type EscapeReport } from '../../model/escapes.js';
import { formatBytes, formatCount, formatFraction } from '../../model/units.js';
import { renderFindings } from '../findings.js';
import type { Style } from '../style.js';
import type { DecisionCounts, EscapeAnalysis, EscapeSummary } from '../../analyze/escapes/types.js';
import { printableData } from '../printable.js';

/** The escapes report: the summary, and with a profile the ranking, unexplained lines and findings. */
export function escapesText(escapes: EscapeReport, analysis: EscapeAnalysis, profile: string | undefined, top: number, style: Style): string {
  const [report, a, profilePath] = printableData([escapes, analysis, profile] as const);
  const parts = [summaryText(a.summary)];
  if (a.join && profilePath !== undefined) parts.push(rankingText(report, a, profilePath, top), renderFindings(a.findings, style));
  return parts.join('\n');
}

function sum(c: DecisionCounts): number {
  return Object.values(c).reduce((x, y) => x + y, 0);
}

function counts(c: DecisionCounts): string {
  return `heap ${heapCount(c)} (escapes ${c.escapes}, moved ${c['moved-to-heap']}) · leaking params ${c['leaking-param'] + c['leaking-param-content']} · stack ${c['does-not-escape']}`;
}

function summaryText(s: EscapeSummary): string {
  const form = { m: '-m', m2: '-m=2', json: '-json' }[s.form];
  const lines = [
    `Escape analysis (${form}${s.goVersion ? `, ${s.goVersion}` : ''}): ${formatCount(sum(s.counts))} decisions in ${s.packages.length} package(s)`,
    `  ${counts(s.counts)} · inlined copies ${s.inlinedCopies}`,
    '',
  ];
  lines.push('Causes of heap sites:');
  for (const c of s.causes) lines.push(`  ${String(c.sites).padStart(5)}  ${c.label}${c.inferred > 0 ? `  (${c.inferred} inferred from the expression)` : ''}`);
  lines.push('', 'By package, file and function (heap / all decisions):');
  for (const p of s.packages) {
    lines.push(`  ${p.package || '(no package header)'}  ${heapCount(p.counts)} / ${sum(p.counts)}`);
    for (const f of p.files) {
      lines.push(`    ${f.file}  ${heapCount(f.counts)} / ${sum(f.counts)}`);
      for (const fn of f.functions.filter((x) => heapCount(x.counts) > 0)) lines.push(`      ${(fn.function || '?').padEnd(28)} ${heapCount(fn.counts)} / ${sum(fn.counts)}`);
    }
  }
  return lines.join('\n') + '\n';
}

function rankingText(report: EscapeReport, a: EscapeAnalysis, profilePath: string, top: number): string {
  const j = a.join!;
  const share = (b: number) => formatFraction(j.totalBytes > 0 ? b / j.totalBytes : 0).padStart(6);
  const joined = j.groups.reduce((t, g) => t + g.bytes, 0);
  const unexplained = j.unexplained.reduce((t, u) => t + u.bytes, 0);
  const lines = [
    `Joined with ${profilePath}: ${formatBytes(j.totalBytes)} allocated (alloc_space) in ${formatCount(j.totalObjects)} objects`,
    `  on escape sites ${formatBytes(joined)} (${share(joined).trim()}) · not explained by an escape ${formatBytes(unexplained)} (${share(unexplained).trim()})`,
    '',
    ' Rank      Bytes       %    Objects  Where / what',
  ];
  j.groups.slice(0, top).forEach((g, i) => {
    lines.push(`${String(i + 1).padStart(5)} ${formatBytes(g.bytes).padStart(10)} ${share(g.bytes)} ${formatCount(g.objects).padStart(10)}  ${g.frame.function} ${formatPos(g.sites[0]!)}`);
    for (const s of g.sites) {
      const { cause } = classifySite(s, report);
      const copy = s.origin ? `, inlined from ${s.inlinedFrom?.join(' → ') ?? '?'} (${formatPos(s.origin)})` : '';
      lines.push(`${' '.repeat(42)}${s.expr} ${s.decision === 'moved-to-heap' ? 'moved to heap' : 'escapes'} — ${CAUSE_LABEL[cause]}${copy}`);
    }
  });
  if (j.groups.length > top) lines.push(`  … ${j.groups.length - top} more (--top=0 for all)`);
  lines.push('', 'Allocation lines no escape explains:');
  for (const u of j.unexplained.slice(0, top)) {
    lines.push(`  ${formatBytes(u.bytes).padStart(10)} ${share(u.bytes)}  ${u.frame.function} ${u.frame.file}:${u.frame.line} — ${explainUnexplained(u).title}`);
  }
  const amp = a.amplification!;
  lines.push('', `Amplification: interface conversions ${share(amp.interfaceBytes).trim()} · reflect ${share(amp.reflectBytes).trim()} of allocated bytes`, '');
  return lines.join('\n') + '\n';
}
