import type { MmuPoint } from './types.js';
/**
 * Minimum mutator utilization, as go tool trace's MMU view computes it
 * (Go's internal/trace/gc.go, MMUCurve): MMU(w) is the lowest mean
 * utilization over every window of width w inside the trace, w cut to the
 * trace's length. The utilization function comes from trace-utilization.ts
 * as (time, utilization) change points.
 */
export const MMU_WINDOWS_NS: readonly number[] = [1e6, 10e6, 100e6, 1e9];

/**
 * MMU for a window: the mean of a step function over a window is linear
 * between the positions where either edge crosses a change point, so the
 * minimum is at a window starting or ending on a change point. Both edge
 * sets are swept once with a moving integrator: O(changes) per window.
 */
export function mmu(times: Float64Array, utils: Float64Array, windowNs: number, prefix = cumulative(times, utils)): number | null {
  const n = times.length;
  if (n < 2) return null;
  const t0 = times[0]!;
  const tEnd = times[n - 1]!;
  const w = Math.min(windowNs, tEnd - t0);
  if (w <= 0) return null;
  const lastStart = tEnd - w;
  let best = Infinity;
  // Two moving cursors: li is the change point at or before the window's start, ri at or before its end.
  let li = 0;
  let ri = 0;
  let i = 0;
  let j = 0;
  while (i < n || j < n) {
    const byStart = i < n ? times[i]! : Infinity;
    const byEnd = j < n ? times[j]! - w : Infinity;
    let s: number;
    if (byStart <= byEnd) {
      // As the start passes a change point the mean's slope rises only if utilization falls there: only then can it be a minimum.
      const k = i++;
      if (k > 0 && k < n - 1 && utils[k]! > utils[k - 1]!) continue;
      s = byStart;
    } else {
      // Likewise as the end passes a point where utilization rises.
      const k = j++;
      if (k > 0 && k < n - 1 && utils[k]! < utils[k - 1]!) continue;
      s = byEnd;
    }
    if (s < t0) s = t0;
    else if (s > lastStart) s = lastStart;
    const e = s + w;
    while (li + 1 < n && times[li + 1]! <= s) li++;
    while (ri + 1 < n && times[ri + 1]! <= e) ri++;
    const right = prefix[ri]! + utils[ri]! * (e - times[ri]!);
    const left = prefix[li]! + utils[li]! * (s - times[li]!);
    const mean = (right - left) / w;
    if (mean < best) best = mean;
  }
  return Math.min(1, Math.max(0, best));
}

/** ∫ utilization from the first change point to each change point. */
function cumulative(times: Float64Array, utils: Float64Array): Float64Array {
  const prefix = new Float64Array(times.length);
  for (let i = 1; i < times.length; i++) prefix[i] = prefix[i - 1]! + utils[i - 1]! * (times[i]! - times[i - 1]!);
  return prefix;
}

export function mmuCurve(times: Float64Array, utils: Float64Array, windows: readonly number[] = MMU_WINDOWS_NS): MmuPoint[] {
  const out: MmuPoint[] = [];
  const prefix = cumulative(times, utils);
  for (const windowNs of windows) {
    const v = mmu(times, utils, windowNs, prefix);
    if (v !== null) out.push({ windowNs, mmu: v });
  }
  return out;
}
