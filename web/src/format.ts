import { formatBytes, formatCount, formatDuration, formatFraction } from '../../src/model/units.js';

export { formatBytes, formatCount, formatDuration, formatFraction };

/** A sample value in its profile's unit, as the rest of footprint writes quantities. */
export function formatValue(v: number, unit: string): string {
  const sign = v < 0 ? '−' : '';
  const a = Math.abs(v);
  switch (unit) {
    case 'bytes':
      return sign + formatBytes(a);
    case 'nanoseconds':
      return sign + formatDuration(a);
    default:
      return sign + formatCount(a) + (unit && unit !== 'count' ? ` ${unit}` : '');
  }
}

/** A share as a percentage with one decimal (pprof's tables use two; people read one). */
export function percent(part: number, whole: number): string {
  if (whole === 0) return '–';
  const p = (part / whole) * 100;
  return `${Math.abs(p) < 0.05 && p !== 0 ? (p < 0 ? '>−0.1' : '<0.1') : p.toFixed(1).replace('-', '−')}%`;
}

/** A signed change with an explicit + (diffs). */
export function signed(v: number, unit: string): string {
  return (v > 0 ? '+' : '') + formatValue(v, unit);
}
