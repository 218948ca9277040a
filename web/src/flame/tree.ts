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
  maxDepth: number;
}

/** Computes layout, parents and subtree ends in two linear passes over the pre-order arrays. */
export function layoutTree(data: FlameData): Tree {
  const n = data.depth.length;
  const width = new Float64Array(n);
  for (let i = 0; i < n; i++) width[i] = data.base ? data.value[i]! + 2 * data.base[i]! : Math.abs(data.value[i]!);
  const x = new Float64Array(n);
  const parent = new Int32Array(n);
  const end = new Int32Array(n);
  let maxDepth = 0;
  for (const d of data.depth) if (d > maxDepth) maxDepth = d;
  // Per depth: the next free x for a child at that depth, and the last node seen there.
  const nextX = new Float64Array(maxDepth + 2);
  const last = new Int32Array(maxDepth + 2).fill(-1);
  parent[0] = -1;
  const open: number[] = [];
  for (let i = 0; i < n; i++) {
    const d = data.depth[i]!;
    while (open.length > 0 && data.depth[open[open.length - 1]!]! >= d) end[open.pop()!] = i;
    open.push(i);
    if (i > 0) {
      parent[i] = last[d - 1]!;
      x[i] = nextX[d]!;
    }
    nextX[d] = x[i]! + width[i]!;
    nextX[d + 1] = x[i]!;
    last[d] = i;
  }
  while (open.length > 0) end[open.pop()!] = n;
  return { ...data, count: n, width, x, parent, end, maxDepth };
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
