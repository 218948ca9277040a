import { maxOf, minOf } from '../analyze/stats.js';

const BARS = '▁▂▃▄▅▆▇█';

/** A one-line picture of a series: each character is the maximum of its bucket. */
export function sparkline(values: readonly number[], width: number): string {
  if (values.length === 0) return '';
  const buckets = Math.min(width, values.length);
  const maxima: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * values.length) / buckets);
    const to = Math.max(from + 1, Math.floor(((b + 1) * values.length) / buckets));
    maxima.push(maxOf(values.slice(from, to)));
  }
  const lo = minOf(maxima);
  const hi = maxOf(maxima);
  return maxima.map((v) => BARS[hi > lo ? Math.round(((v - lo) / (hi - lo)) * (BARS.length - 1)) : 0]).join('');
}
