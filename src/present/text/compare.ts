import type { Comparison, FindingChange } from '../../analyze/compare.js';
import { changeTag, countsText, headlineTable, severityText, sizeText } from '../compare.js';
import { findingLines } from '../findings.js';
import type { Style } from '../style.js';
import { table } from './table.js';

/**
 * `--compare OLD NEW` on a terminal: the headline figures side by side, then
 * each finding's fate. New and worse findings are shown whole (evidence and
 * advice: they are what to act on); the others by title, with how their size
 * moved.
 */
export function comparisonText(c: Comparison, style: Style, extra = ''): string {
  const t = headlineTable(c);
  const out = [style.bold(`${c.before} → ${c.after}`), '', table([t.header, ...t.rows], t.numeric), ''];
  if (extra) out.push(extra);
  out.push(style.bold(`Findings: ${countsText(c)}`), '');
  for (const f of c.findings) {
    for (const line of changeLines(f, style)) out.push(line);
    out.push('');
  }
  return out.join('\n');
}

function changeLines(c: FindingChange, style: Style): string[] {
  const f = c.after ?? c.before!;
  const tag = `${changeTag(c).padEnd(6)} ${severityText(c).padEnd(6)}`;
  const whole = c.change === 'new' || c.change === 'worse';
  const lines = findingLines(f, style, { tag, brief: !whole });
  const size = c.change === 'same' ? undefined : sizeText(c);
  if (size) lines.splice(f.location ? 2 : 1, 0, `${' '.repeat(tag.length + 1)}${size}`);
  return lines;
}
