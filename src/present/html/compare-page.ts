import type { Comparison, FindingChange } from '../../analyze/compare.js';
import { changeTag, countsText, headlineTable, severityText, sizeText } from '../compare.js';
import { escapeHtml, findingBlock, page, table } from './page.js';

/**
 * `--compare OLD NEW --html FILE`: the headline figures side by side and each
 * finding's fate, new and worse ones whole. `sections` are a domain's own
 * (goroutines: every group's count before and after), as HTML.
 */
export function renderComparisonPage(c: Comparison, command: string, sections: readonly string[] = []): string {
  const t = headlineTable(c);
  const body = [
    `<h1>${escapeHtml(c.before)} → ${escapeHtml(c.after)}</h1>`,
    `<p class="sub">footprint ${escapeHtml(command)} --compare</p>`,
    table(t.header, t.rows, t.numeric),
    ...sections,
    `<h2>Findings: ${escapeHtml(countsText(c))}</h2>`,
    c.findings.length ? c.findings.map(changeHtml).join('\n') : '<p>No findings before or after.</p>',
  ];
  return page(`footprint ${command} --compare — ${c.before} → ${c.after}`, body.join('\n'));
}

function changeHtml(c: FindingChange): string {
  const f = c.after ?? c.before!;
  if (c.change === 'new' || c.change === 'worse') return findingBlock(f, { tag: `${changeTag(c)} · ${severityText(c)}` });
  const size = c.change === 'same' ? undefined : sizeText(c);
  const improved = c.change === 'gone' || c.change === 'better' || c.change === 'shrank';
  return findingBlock(f, { tag: `${changeTag(c)} · ${severityText(c)}`, lines: size ? [size] : [], advice: false, ...(improved ? { severity: 'low' as const } : {}) });
}
