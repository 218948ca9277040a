import type { Tree } from './tree.js';

/** What is on screen: the zoomed node and the canvas's width, and which rows are scrolled into view. */
export interface Viewport {
  /** The zoomed node: its subtree fills the width, its ancestors are drawn full width above it. */
  root: number;
  widthPx: number;
  /** Boxes narrower than this are not drawn one by one: neighbours at one depth merge into one box. */
  minPx: number;
  /** Rows (depths) to emit, inclusive; deeper subtrees are skipped whole. */
  firstRow: number;
  lastRow: number;
}

export interface BoxSink {
  box(node: number, left: number, width: number, row: number): void;
  /** `count` adjacent boxes each narrower than minPx, drawn as one. */
  merged(left: number, width: number, row: number, count: number): void;
}

/**
 * Emits the boxes the viewport shows, in pre-order, touching only what is
 * visible: a subtree that is off screen, too narrow or too deep is skipped in
 * one step (`end`), so the cost follows what is drawn, not the tree's size.
 * Returns how many nodes were looked at.
 */
export function visibleBoxes(tree: Tree, vp: Viewport, sink: BoxSink): number {
  const { depth, x, width, end } = tree;
  const root = vp.root;
  for (let a = tree.parent[root]!; a >= 0; a = tree.parent[a]!) {
    if (depth[a]! >= vp.firstRow && depth[a]! <= vp.lastRow) sink.box(a, 0, vp.widthPx, depth[a]!);
  }
  if (width[root]! <= 0) return 1;
  const scale = vp.widthPx / width[root]!;
  const x0 = x[root]!;
  const runs = new MergedRuns(sink);
  let visited = 0;
  for (let i = root, stop = end[root]!; i < stop; ) {
    visited++;
    const d = depth[i]!;
    const w = width[i]! * scale;
    const left = (x[i]! - x0) * scale;
    if (d > vp.lastRow || w <= 0 || left >= vp.widthPx || left + w <= 0) {
      i = end[i]!;
      continue;
    }
    if (w < vp.minPx) {
      if (d >= vp.firstRow) runs.add(left, w, d);
      i = end[i]!;
      continue;
    }
    if (d >= vp.firstRow) sink.box(i, left, w, d);
    i++;
  }
  runs.flush();
  return visited;
}

/** Narrow neighbours at one depth, gathered until a gap ends the run. */
class MergedRuns {
  private readonly open = new Map<number, { left: number; right: number; count: number }>();
  constructor(private readonly sink: BoxSink) {}

  add(left: number, w: number, row: number): void {
    const run = this.open.get(row);
    // Touching (or within a hair, for float error) extends the run; a gap starts a new one.
    if (run && left - run.right < 0.01) {
      run.right = left + w;
      run.count++;
      return;
    }
    if (run) this.sink.merged(run.left, run.right - run.left, row, run.count);
    this.open.set(row, { left, right: left + w, count: 1 });
  }

  flush(): void {
    for (const [row, run] of this.open) this.sink.merged(run.left, run.right - run.left, row, run.count);
    this.open.clear();
  }
}
