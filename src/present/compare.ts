import type { Comparison, FindingChange, FindingChangeKind, HeadlineChange } from '../analyze/compare.js';
import { formatCount, formatFraction, formatQuantity, type Unit } from '../model/units.js';

/**
 * A comparison's cells and phrases, for the terminal and the page alike
 * (text/compare.ts, html/compare-page.ts).
 */

/** A value in a table cell: counts of objects or goroutines without the word (the row's label says it). */
function cell(value: number | null, unit: Unit): string {
  if (value === null) return '-';
  return unit === 'objects' || unit === 'goroutines' ? formatCount(value) : formatQuantity(value, unit);
}

const sign = (x: number) => (x > 0 ? '+' : x < 0 ? '−' : '±');

/** How far a figure moved, relatively: `+11.5%`; a share moves in points (`+1.9 pts`), not in percent of itself. */
function movedText(delta: number, relative: number | null, unit: Unit): string | undefined {
  if (unit === 'fraction') return `${sign(delta)}${(Math.abs(delta) * 100).toFixed(1)} pts`;
  return relative !== null ? `${sign(relative)}${formatFraction(Math.abs(relative))}` : undefined;
}

/** `+734 KiB (+11.5%)`, `+1.9 pts`, `same`. */
export function deltaText(h: Pick<HeadlineChange, 'delta' | 'relative' | 'unit'>): string {
  if (h.delta === null) return '-';
  if (h.delta === 0) return 'same';
  if (h.unit === 'fraction') return movedText(h.delta, h.relative, h.unit)!;
  const moved = movedText(h.delta, h.relative, h.unit);
  return `${sign(h.delta)}${cell(Math.abs(h.delta), h.unit)}${moved ? ` (${moved})` : ''}`;
}

export interface HeadlineTable {
  header: string[];
  numeric: boolean[];
  rows: string[][];
}

export function headlineTable(c: Comparison): HeadlineTable {
  return {
    header: ['', 'before', 'after', 'change'],
    numeric: [false, true, true, true],
    rows: c.headlines.map((h) => [h.label, cell(h.before, h.unit), cell(h.after, h.unit), deltaText(h)]),
  };
}

/** `1 new, 2 gone, 1 worse, 3 the same`: only the kinds of change that happened. */
export function countsText(c: Comparison): string {
  const words: Record<FindingChangeKind, string> = { new: 'new', worse: 'worse', grew: 'grew', gone: 'gone', better: 'better', shrank: 'shrank', same: 'the same' };
  const parts = (Object.keys(words) as FindingChangeKind[]).filter((k) => c.counts[k] > 0).map((k) => `${c.counts[k]} ${words[k]}`);
  return parts.length ? parts.join(', ') : 'no findings before or after';
}

/** How a finding changed, in a word: NEW, GONE, WORSE … */
export function changeTag(c: FindingChange): string {
  return c.change === 'same' ? 'SAME' : c.change.toUpperCase();
}

/** `MEDIUM → HIGH` when the severity moved, else the severity. */
export function severityText(c: FindingChange): string {
  const before = c.before?.severity;
  const after = c.after?.severity;
  return (before && after && before !== after ? `${before} → ${after}` : c.severity).toUpperCase();
}

/** `allocated: 8 MiB → 12 MiB (+50.0%)`, when both findings give the same quantity. */
export function sizeText(c: FindingChange): string | undefined {
  const s = c.size;
  if (!s) return undefined;
  const moved = s.after !== s.before ? movedText(s.after - s.before, s.relative, s.unit) : undefined;
  return `${s.label}: ${formatQuantity(s.before, s.unit)} → ${formatQuantity(s.after, s.unit)}${moved ? ` (${moved})` : ''}`;
}
