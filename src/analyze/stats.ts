/** Small robust statistics shared by the analyses. */

/**
 * The largest value (-Infinity for none), like Math.max but in a loop:
 * `Math.max(...values)` passes every value as an argument and overflows the
 * call stack past about 120,000 of them (a day of gctrace lines).
 */
export function maxOf(values: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) if (values[i]! > max || Number.isNaN(values[i]!)) max = values[i]!;
  return max;
}

/** The smallest value (Infinity for none); see maxOf. */
export function minOf(values: ArrayLike<number>): number {
  let min = Infinity;
  for (let i = 0; i < values.length; i++) if (values[i]! < min || Number.isNaN(values[i]!)) min = values[i]!;
  return min;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

/**
 * Median of pairwise slopes: one point that happened to catch a burst does
 * not tilt it. Pairs are subsampled on long series.
 */
export function theilSen(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  if (n < 2) return 0;
  const step = Math.max(1, Math.floor(n / 200));
  const slopes: number[] = [];
  for (let i = 0; i < n; i += step) {
    for (let j = i + step; j < n; j += step) {
      const dx = xs[j]! - xs[i]!;
      if (dx > 0) slopes.push((ys[j]! - ys[i]!) / dx);
    }
  }
  return slopes.length ? median(slopes) : 0;
}

/** Coefficient of determination of the least-squares line through the points (1 = a perfect line). */
export function rSquared(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  if (n < 3) return n === 2 ? 1 : 0;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
    syy += (ys[i]! - my) ** 2;
  }
  if (sxx === 0 || syy === 0) return 0;
  return (sxy * sxy) / (sxx * syy);
}

/** Share of consecutive steps that do not go down (1 = never decreases). */
export function monotonicity(ys: readonly number[]): number {
  if (ys.length < 2) return 0;
  let up = 0;
  for (let i = 1; i < ys.length; i++) if (ys[i]! >= ys[i - 1]!) up++;
  return up / (ys.length - 1);
}

/** Count, median, 99th percentile, maximum and sum of a set of durations or sizes. */
export interface Distribution {
  count: number;
  p50: number;
  p99: number;
  max: number;
  total: number;
}

export function distribution(values: readonly number[]): Distribution {
  if (values.length === 0) return { count: 0, p50: 0, p99: 0, max: 0, total: 0 };
  return {
    count: values.length,
    p50: quantile(values, 0.5),
    p99: quantile(values, 0.99),
    max: maxOf(values),
    total: values.reduce((a, b) => a + b, 0),
  };
}
