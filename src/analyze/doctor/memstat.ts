import type { MemStats } from '../../model/profile.js';

/** A MemStats field as a number (0 when absent): expvar gives numbers, the debug=1 footer may give bigints. */
export function memStat(m: MemStats, field: string): number {
  const v = m[field];
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : 0;
}
