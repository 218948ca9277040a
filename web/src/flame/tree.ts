/**
 * The flame tree as the app holds it: the server's pre-order typed arrays
 * (src/server/wire.ts) plus what drawing needs, computed once: each node's
 * width and left edge in value units, its parent and the end of its subtree
 * (so a walk can skip a whole subtree in one step).
 */
export interface Frame {
  name: string;
  file: string;
  line: number;
}

export interface FlameData {
  frames: Frame[];
  depth: Uint16Array;
  frame: Int32Array;
  /** Signed: under a diff, new − base. */
  value: Float64Array;
  /** Under a diff: the base profile's part (≥ 0). */
  base: Float64Array | undefined;
}

export interface Tree extends FlameData {
  count: number;
  /** What a box's width stands for: |value|, or new + base under a diff (so shrunk frames still show). */
  width: Float64Array;
  /** Left edge, in the same units as width; the root spans [0, width[0]). */
  x: Float64Array;
  parent: Int32Array;
  /** Index just past the node's subtree. */
  end: Int32Array;
  /** The greatest depth inside the node's subtree (how many rows a zoom on it needs). */
  deepest: Uint16Array;
  maxDepth: number;
}

/** Computes layout, parents and subtree ends in two linear passes over the pre-order arrays. */
export function layoutTree(data: FlameData): Tree {
  const n = data.depth.length;
  const width = boxWidths(data);
  const x = new Float64Array(n);
  const parent = new Int32Array(n);
  const end = new Int32Array(n);
  let maxDepth = 0;
  for (let i = 0; i < n; i++) if (data.depth[i]! > maxDepth) maxDepth = data.depth[i]!;
  // Per depth: the next free x for a child at that depth, and the last node seen there.
  const nextX = new Float64Array(maxDepth + 2);
  const last = new Int32Array(maxDepth + 2).fill(-1);
  parent[0] = -1;
  // The open ancestors of node i, by depth: a subtree ends where a node at its depth or above starts.
  const open = new Int32Array(maxDepth + 1);
  let top = 0;
  for (let i = 0; i < n; i++) {
    const d = data.depth[i]!;
    while (top > 0 && data.depth[open[top - 1]!]! >= d) end[open[--top]!] = i;
    open[top++] = i;
    if (i > 0) {
      parent[i] = last[d - 1]!;
      x[i] = nextX[d]!;
    }
    nextX[d] = x[i]! + width[i]!;
    nextX[d + 1] = x[i]!;
    last[d] = i;
  }
  while (top > 0) end[open[--top]!] = n;
  // Children come after their parents: one backward pass carries each subtree's depth up.
  const deepest = data.depth.slice();
  for (let i = n - 1; i > 0; i--) if (deepest[i]! > deepest[parent[i]!]!) deepest[parent[i]!] = deepest[i]!;
  return { ...data, count: n, width, x, parent, end, deepest, maxDepth };
}

/** Box widths: the values themselves when none is negative (no copy: a big tree's arrays are tens of MB). */
function boxWidths(data: FlameData): Float64Array {
  const { value, base } = data;
  let negative = false;
  for (let i = 0; i < value.length && !negative; i++) negative = value[i]! < 0;
  if (!base && !negative) return value;
  const width = new Float64Array(value.length);
  for (let i = 0; i < value.length; i++) width[i] = base ? value[i]! + 2 * base[i]! : Math.abs(value[i]!);
  return width;
}

/** The path from the root to `node`, root first. */
export function pathTo(tree: Tree, node: number): number[] {
  const out: number[] = [];
  for (let i = node; i >= 0; i = tree.parent[i]!) out.push(i);
  return out.reverse();
}

export function frameName(tree: Pick<Tree, 'frames' | 'frame'>, node: number): string {
  const f = tree.frame[node]!;
  return f < 0 ? 'all' : tree.frames[f]!.name;
}
