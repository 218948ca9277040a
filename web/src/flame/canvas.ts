import { diffColour, DIMMED_COLOUR, frameColour, MATCH_COLOUR, MERGED_COLOUR } from './colour.js';
import { frameName, type Tree } from './tree.js';
import { visibleBoxes } from './walk.js';

export const ROW_HEIGHT = 18;
const FONT = '12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';
/** Boxes narrower than this merge with their neighbours (half a CSS pixel: a hairline still shows). */
const MIN_PX = 0.5;

export type Orientation = 'icicle' | 'flame';

/** What one draw put where, for hover and click: node, left, width, row of each box drawn. */
interface Drawn {
  node: Int32Array;
  left: Float64Array;
  width: Float64Array;
  row: Int32Array;
  count: number;
}

/** Draws a Tree on a 2D canvas; draws only the visible boxes (walk.ts), and finds the box under a point. */
export class FlameCanvas {
  readonly canvas: HTMLCanvasElement;
  tree: Tree | undefined;
  root = 0;
  orientation: Orientation = 'icicle';
  /** The first row drawn: 1 hides the root (a sandwich's root is a placeholder above the function). */
  firstRow = 0;
  private colours: { tree: Tree | undefined; byFrame: string[] } = { tree: undefined, byFrame: [] };
  /** Per frame, 1 when a search matches it (undefined: no search). */
  marked: Uint8Array | undefined;
  private drawn: Drawn = { node: new Int32Array(0), left: new Float64Array(0), width: new Float64Array(0), row: new Int32Array(0), count: 0 };
  private charWidth = 7.2;
  /** Nodes looked at and boxes drawn by the last draw (shown in the status line, and read by the benchmark). */
  stats = { visited: 0, boxes: 0, merged: 0, ms: 0 };

  constructor(readonly label: string) {
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'flame';
    this.canvas.setAttribute('aria-label', label);
  }

  /** Rows the zoomed subtree needs (its deepest node), so a zoom into a shallow part leaves no empty canvas. */
  rows(): number {
    return this.tree ? this.tree.deepest[this.root]! + 1 - this.firstRow : 0;
  }

  private y(row: number): number {
    const r = row - this.firstRow;
    return this.orientation === 'icicle' ? r * ROW_HEIGHT : (this.rows() - 1 - r) * ROW_HEIGHT;
  }

  draw(widthPx: number): void {
    const t0 = performance.now();
    const tree = this.tree;
    if (!tree) return;
    const dpr = window.devicePixelRatio || 1;
    const heightPx = this.rows() * ROW_HEIGHT;
    if (this.canvas.width !== Math.round(widthPx * dpr) || this.canvas.height !== Math.round(heightPx * dpr)) {
      this.canvas.width = Math.round(widthPx * dpr);
      this.canvas.height = Math.round(heightPx * dpr);
      this.canvas.style.width = `${widthPx}px`;
      this.canvas.style.height = `${heightPx}px`;
    }
    const ctx = this.canvas.getContext('2d', { alpha: false })!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, widthPx, heightPx);
    ctx.font = FONT;
    ctx.textBaseline = 'middle';
    this.charWidth = ctx.measureText('m').width;
    this.reset(2048);
    let merged = 0;
    const visited = visibleBoxes(tree, { root: this.root, widthPx, minPx: MIN_PX, firstRow: this.firstRow, lastRow: this.firstRow + this.rows() - 1 }, {
      box: (node, left, width, row) => {
        this.paintBox(ctx, tree, node, left, width, row);
        this.remember(node, left, width, row);
      },
      merged: (left, width, row) => {
        merged++;
        ctx.fillStyle = MERGED_COLOUR;
        ctx.fillRect(left, this.y(row) + 1, Math.max(width, 0.5), ROW_HEIGHT - 2);
      },
    });
    // this.drawn, not a local: remember() replaces it when it grows.
    this.stats = { visited, boxes: this.drawn.count, merged, ms: performance.now() - t0 };
  }

  private colour(tree: Tree, node: number): string {
    const f = tree.frame[node]!;
    if (this.marked) return f >= 0 && this.marked[f] ? MATCH_COLOUR : DIMMED_COLOUR;
    if (tree.base) return diffColour(tree.value[node]!, tree.width[node]!);
    if (f < 0) return 'hsl(0, 0%, 80%)';
    // One colour string per function, made once: a draw sets thousands of boxes' fills.
    if (this.colours.tree !== tree) this.colours = { tree, byFrame: [] };
    return (this.colours.byFrame[f] ??= frameColour(tree.frames[f]!.name));
  }

  private paintBox(ctx: CanvasRenderingContext2D, tree: Tree, node: number, left: number, width: number, row: number): void {
    const y = this.y(row);
    ctx.fillStyle = this.colour(tree, node);
    // A 1 px gap between neighbours and rows keeps boxes apart.
    ctx.fillRect(left, y + 1, Math.max(width - 1, 0.5), ROW_HEIGHT - 2);
    const chars = Math.floor((width - 6) / this.charWidth);
    if (chars < 3) return;
    const name = frameName(tree, node);
    ctx.fillStyle = '#1d1d1f';
    ctx.fillText(name.length <= chars ? name : `${name.slice(0, chars - 1)}…`, left + 3, y + ROW_HEIGHT / 2);
  }

  private reset(capacity: number): Drawn {
    if (this.drawn.node.length < capacity) {
      this.drawn = { node: new Int32Array(capacity), left: new Float64Array(capacity), width: new Float64Array(capacity), row: new Int32Array(capacity), count: 0 };
    }
    this.drawn.count = 0;
    return this.drawn;
  }

  private remember(node: number, left: number, width: number, row: number): void {
    let d = this.drawn;
    if (d.count === d.node.length) {
      const bigger = { node: new Int32Array(d.count * 2), left: new Float64Array(d.count * 2), width: new Float64Array(d.count * 2), row: new Int32Array(d.count * 2), count: d.count };
      bigger.node.set(d.node);
      bigger.left.set(d.left);
      bigger.width.set(d.width);
      bigger.row.set(d.row);
      d = this.drawn = bigger;
    }
    d.node[d.count] = node;
    d.left[d.count] = left;
    d.width[d.count] = width;
    d.row[d.count] = row;
    d.count++;
  }

  /** The node drawn at canvas coordinates (CSS pixels), or -1. */
  nodeAt(x: number, y: number): number {
    const rowFromTop = Math.floor(y / ROW_HEIGHT);
    const row = this.firstRow + (this.orientation === 'icicle' ? rowFromTop : this.rows() - 1 - rowFromTop);
    const d = this.drawn;
    for (let i = 0; i < d.count; i++) if (d.row[i] === row && x >= d.left[i]! && x < d.left[i]! + d.width[i]!) return d.node[i]!;
    return -1;
  }

  /** Every box of the last draw (tests and the benchmark read them through the page). */
  boxes(): { node: number; left: number; width: number; row: number; name: string; colour: string }[] {
    const d = this.drawn;
    const out = [];
    for (let i = 0; i < d.count; i++) {
      const node = d.node[i]!;
      out.push({ node, left: d.left[i]!, width: d.width[i]!, row: d.row[i]!, name: frameName(this.tree!, node), colour: this.colour(this.tree!, node) });
    }
    return out;
  }
}
