/**
 * The one units module: the units footprint's own quantities carry, and how
 * each is written for a person. Sizes are IEC (KiB, MiB: what the Go runtime
 * and GOMEMLIMIT use), durations pick ns…h, shares are percentages.
 *
 * Analyses keep numbers as numbers (evidence is `{label, value, unit}`) and
 * use these functions only to word a finding's title; everything else a
 * person reads is written by `present/`. Reports that must print exactly
 * what `go tool pprof` prints (top, peek, traces) use pprof's own units
 * instead (report/measurement.ts).
 */

export type Unit =
  /** A size. */
  | 'bytes'
  /** A size per second, and per minute (how fast a leak grows). */
  | 'bytes/s'
  | 'bytes/min'
  /** A number of heap objects. */
  | 'objects'
  | 'objects/s'
  | 'goroutines'
  /** A number of things that are not objects or goroutines: cycles, contentions, snapshots. */
  | 'count'
  /** How often something happens (GC cycles per second). */
  | 'per-second'
  /** A duration or a point in time, in nanoseconds. */
  | 'ns'
  /** A share, 0–1, written as a percentage. */
  | 'fraction'
  /** A dimensionless number such as a confidence or a ratio of two sizes. */
  | 'ratio';

export interface Quantity {
  value: number;
  unit: Unit;
}

const IEC = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

/** Three significant digits, without trailing zeros: 1.5, 12.3, 123, 1024. */
function sig3(v: number): string {
  const abs = Math.abs(v);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return v.toFixed(digits).replace(/\.0+$|(\.\d*?)0+$/, '$1');
}

/** `512 B`, `1.5 KiB`, `43.8 MiB`, `2 GiB`. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return String(bytes);
  let v = bytes;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < IEC.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? Math.round(v) : sig3(v)} ${IEC[i]}`;
}

const DURATIONS: readonly [number, string][] = [
  [3600e9, 'h'],
  [60e9, 'min'],
  [1e9, 's'],
  [1e6, 'ms'],
  [1e3, 'µs'],
];

/** `850 ns`, `12.3 µs`, `4.56 ms`, `1.23 s`, `2.5 min`, `1.25 h`. */
export function formatDuration(ns: number): string {
  if (!Number.isFinite(ns)) return String(ns);
  const abs = Math.abs(ns);
  for (const [scale, name] of DURATIONS) if (abs >= scale) return `${sig3(ns / scale)} ${name}`;
  return `${Math.round(ns)} ns`;
}

/** `12.3%`, `0.5%`, `100.0%`, `<0.1%` (never a misleading `0.0%` for a small non-zero share), and `0%` for none. */
export function formatFraction(f: number): string {
  if (!Number.isFinite(f)) return String(f);
  const p = f * 100;
  if (p === 0) return '0%';
  if (Math.abs(p) < 0.1) return p > 0 ? '<0.1%' : '>-0.1%';
  return `${p.toFixed(1)}%`;
}

/** Whole numbers with thousands separators (`18,075`); others with three significant digits. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-US');
  return sig3(n);
}

/** Any quantity, with its unit written the way a person reads it. */
export function formatQuantity(value: number, unit: Unit): string {
  switch (unit) {
    case 'bytes':
      return formatBytes(value);
    case 'bytes/s':
      return `${formatBytes(value)}/s`;
    case 'bytes/min':
      return `${formatBytes(value)}/min`;
    case 'objects':
      return `${formatCount(value)} objects`;
    case 'objects/s':
      return `${formatCount(value)} objects/s`;
    case 'goroutines':
      return `${formatCount(value)} goroutine${value === 1 ? '' : 's'}`;
    case 'count':
      return formatCount(value);
    case 'per-second':
      return `${formatCount(value)}/s`;
    case 'ns':
      return formatDuration(value);
    case 'fraction':
      return formatFraction(value);
    case 'ratio':
      return formatCount(value);
  }
}

/** `3 MiB → 7.1 MiB`: a change of one quantity, both ends in the same unit. */
export function formatChange(from: number, to: number, unit: Unit): string {
  return `${formatQuantity(from, unit)} → ${formatQuantity(to, unit)}`;
}
