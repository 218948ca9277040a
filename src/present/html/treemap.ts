/**
 * A squarified treemap (Bruls, Huizing and van Wijk, "Squarified Treemaps",
 * 2000): rows of rectangles laid along the shorter side, a row closed when
 * adding the next item would make its worst aspect ratio worse.
 */

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Rectangles for `values` (descending, positive) filling `box`, in the same order. */
export function squarify(values: readonly number[], box: Rect): Rect[] {
  const out: Rect[] = [];
  let total = 0;
  for (const v of values) total += v;
  if (total <= 0) return values.map(() => ({ x: box.x, y: box.y, w: 0, h: 0 }));
  const scale = (box.w * box.h) / total;
  let free = { ...box };
  let row: number[] = [];
  let i = 0;
  while (i < values.length) {
    const area = values[i]! * scale;
    const side = Math.min(free.w, free.h);
    if (row.length === 0 || worst(row.concat(area), side) <= worst(row, side)) {
      row.push(area);
      i++;
      continue;
    }
    free = layRow(row, free, out);
    row = [];
  }
  if (row.length > 0) layRow(row, free, out);
  return out;
}

/** The worst aspect ratio of a row of areas along a side. */
function worst(row: readonly number[], side: number): number {
  let sum = 0;
  let max = 0;
  let min = Infinity;
  for (const a of row) {
    sum += a;
    if (a > max) max = a;
    if (a < min) min = a;
  }
  const s2 = side * side;
  const sum2 = sum * sum;
  return Math.max((s2 * max) / sum2, sum2 / (s2 * min));
}

/** Lays a row along the shorter side of `free`, appends its rectangles, returns what is left. */
function layRow(row: readonly number[], free: Rect, out: Rect[]): Rect {
  let sum = 0;
  for (const a of row) sum += a;
  if (free.w >= free.h) {
    const w = free.h > 0 ? sum / free.h : 0;
    let y = free.y;
    for (const a of row) {
      const h = w > 0 ? a / w : 0;
      out.push({ x: free.x, y, w, h });
      y += h;
    }
    return { x: free.x + w, y: free.y, w: Math.max(0, free.w - w), h: free.h };
  }
  const h = free.w > 0 ? sum / free.w : 0;
  let x = free.x;
  for (const a of row) {
    const w = h > 0 ? a / h : 0;
    out.push({ x, y: free.y, w, h });
    x += w;
  }
  return { x: free.x, y: free.y + h, w: free.w, h: Math.max(0, free.h - h) };
}
