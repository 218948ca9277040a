/**
 * A squarified treemap layout (Bruls, Huizing and van Wijk, "Squarified
 * Treemaps", 2000): items laid in rows along the shorter side, a row closed
 * when adding the next item would make its worst aspect ratio worse.
 */

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Rectangles for `values` (largest first works best) filling `box`, in the order given. */
export function squarify(values: readonly number[], box: Rect): Rect[] {
  const total = values.reduce((s, v) => s + Math.max(v, 0), 0);
  const out: Rect[] = new Array(values.length);
  if (total <= 0 || box.w <= 0 || box.h <= 0) {
    for (let i = 0; i < values.length; i++) out[i] = { x: box.x, y: box.y, w: 0, h: 0 };
    return out;
  }
  const scale = (box.w * box.h) / total;
  const areas = values.map((v) => Math.max(v, 0) * scale);
  let rest = { ...box };
  let i = 0;
  while (i < areas.length) {
    const side = Math.min(rest.w, rest.h);
    let j = i + 1;
    let best = worst(areas, i, j, side);
    while (j < areas.length) {
      const next = worst(areas, i, j + 1, side);
      if (next > best) break;
      best = next;
      j++;
    }
    rest = layRow(areas, i, j, rest, out);
    i = j;
  }
  return out;
}

/** The worst aspect ratio of areas[i, j) laid along a side of length `side`. */
function worst(areas: readonly number[], i: number, j: number, side: number): number {
  let sum = 0;
  let max = 0;
  let min = Infinity;
  for (let k = i; k < j; k++) {
    sum += areas[k]!;
    max = Math.max(max, areas[k]!);
    min = Math.min(min, areas[k]!);
  }
  if (sum === 0 || min === 0) return Infinity;
  const s2 = side * side;
  const sum2 = sum * sum;
  return Math.max((s2 * max) / sum2, sum2 / (s2 * min));
}

function layRow(areas: readonly number[], i: number, j: number, box: Rect, out: Rect[]): Rect {
  let sum = 0;
  for (let k = i; k < j; k++) sum += areas[k]!;
  if (box.w >= box.h) {
    const w = box.h > 0 ? sum / box.h : 0;
    let y = box.y;
    for (let k = i; k < j; k++) {
      const h = w > 0 ? areas[k]! / w : 0;
      out[k] = { x: box.x, y, w, h };
      y += h;
    }
    return { x: box.x + w, y: box.y, w: Math.max(0, box.w - w), h: box.h };
  }
  const h = box.w > 0 ? sum / box.w : 0;
  let x = box.x;
  for (let k = i; k < j; k++) {
    const w = h > 0 ? areas[k]! / h : 0;
    out[k] = { x, y: box.y, w, h };
    x += w;
  }
  return { x: box.x, y: box.y + h, w: box.w, h: Math.max(0, box.h - h) };
}
