import { isDiffBaseSample } from '../model/labels.js';
import { GrowableFloat64, GrowableInt32 } from '../model/growable.js';
import { FrameTable, type Frame } from './frames.js';
import type { Report } from './report.js';

/**
 * A report's samples merged into one call tree, for a flame graph: node 0 is
 * the root (all samples), each other node is a frame reached by one path.
 * Nodes are in pre-order with siblings sorted by frame name (as Brendan
 * Gregg's flame graphs order them, so two graphs of one program line up);
 * a node's subtree is the run of nodes after it with a greater depth. Held
 * as one typed array per field: a 400k-stack profile makes millions of nodes.
 */
export interface FlameTree {
  frames: Frame[];
  /** Per node: 0 for the root. */
  depth: Uint16Array;
  /** Per node: index into `frames`, -1 for the root. */
  frame: Int32Array;
  /** Per node: the sum of the selected sample value of every sample through it (signed under --diff_base: new − base). */
  value: Float64Array;
  /** Under --diff_base only: per node, what the base profile put there (≥ 0); the new profile's is `value + base`. */
  base: Float64Array | undefined;
}

/** Deepest stack a flame tree keeps: depths are 16-bit; frames past it are cut off (Go prints 100 frames at most). */
export const MAX_FLAME_DEPTH = 65_535;

/**
 * Builds the flame tree of a report: its filters (focus, ignore, hide,
 * show, tag filters, drop_frames) already applied to `rpt.work`, its sample
 * type, inlined frames expanded unless --noinlines. Pass one `table` for
 * several trees of one profile and their frame indexes agree.
 */
export function flameTree(rpt: Report, table = new FrameTable(rpt.profile)): FlameTree {
  const p = rpt.profile;
  const baseKey = p.strings.indexOf('pprof::base');
  const diff = baseKey >= 0;
  const nodes = new NodeBuilder(diff);
  const stack: number[] = [];
  for (const s of rpt.work.samples) {
    const value = rpt.sampleValue.value(s);
    if (value === 0) continue;
    const fromBase = diff && isDiffBaseSample(p, s, baseKey) ? -value : 0;
    table.stackOf(rpt.work, s, rpt.options.noInlines, stack);
    let node = 0;
    nodes.add(0, value, fromBase);
    const depth = Math.min(stack.length, MAX_FLAME_DEPTH);
    for (let i = 0; i < depth; i++) {
      node = nodes.child(node, stack[i]!);
      nodes.add(node, value, fromBase);
    }
  }
  return nodes.preorder(table.frames);
}

/**
 * The tree under construction: parent/frame per node in creation order and
 * an open-addressing hash of (parent, frame) → node over typed arrays (a Map
 * keyed by strings or pairs costs ~100 bytes a node; this costs ~8).
 */
class NodeBuilder {
  private readonly parent = new GrowableInt32();
  private readonly frame = new GrowableInt32();
  private readonly value = new GrowableFloat64();
  private readonly base: GrowableFloat64 | undefined;
  private slots = new Int32Array(1 << 12).fill(-1);

  constructor(diff: boolean) {
    this.base = diff ? new GrowableFloat64() : undefined;
    this.push(-1, -1);
  }

  get count(): number {
    return this.parent.length;
  }

  add(node: number, value: number, fromBase: number): void {
    this.value.data[node]! += value;
    if (this.base) this.base.data[node]! += fromBase;
  }

  private push(parent: number, frame: number): number {
    this.parent.push(parent);
    this.frame.push(frame);
    this.value.push(0);
    this.base?.push(0);
    return this.parent.length - 1;
  }

  private slotOf(parent: number, frame: number): number {
    const mask = this.slots.length - 1;
    let h = (Math.imul(parent, 0x9e3779b1) ^ Math.imul(frame + 1, 0x85ebca6b)) & mask;
    for (;;) {
      const n = this.slots[h]!;
      if (n < 0 || (this.parent.data[n] === parent && this.frame.data[n] === frame)) return h;
      h = (h + 1) & mask;
    }
  }

  /** The child of `parent` for `frame`, made when new. */
  child(parent: number, frame: number): number {
    const h = this.slotOf(parent, frame);
    const found = this.slots[h]!;
    if (found >= 0) return found;
    const n = this.push(parent, frame);
    this.slots[h] = n;
    // Keep the table at most half full, so probes stay short.
    if (this.count * 2 > this.slots.length) this.rehash();
    return n;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(-1);
    for (let n = 1; n < this.count; n++) this.slots[this.slotOf(this.parent.data[n]!, this.frame.data[n]!)] = n;
  }

  /** The nodes in pre-order, siblings by frame name (then file, so the order does not depend on sample order). */
  preorder(frames: Frame[]): FlameTree {
    const count = this.count;
    const parent = this.parent.view();
    const frame = this.frame.view();
    const { childStart, children } = childrenByRank(parent, frame, frameRanks(frames), frames.length);
    const out: FlameTree = {
      frames,
      depth: new Uint16Array(count),
      frame: new Int32Array(count),
      value: new Float64Array(count),
      base: this.base ? new Float64Array(count) : undefined,
    };
    // Iterative depth-first walk: a stack of nodes still to emit, last child pushed first.
    const todo = new Int32Array(count);
    const depthOf = new Uint16Array(count);
    let top = 0;
    todo[top++] = 0;
    let i = 0;
    while (top > 0) {
      const n = todo[--top]!;
      out.depth[i] = depthOf[n]!;
      out.frame[i] = frame[n]!;
      out.value[i] = this.value.data[n]!;
      if (out.base) out.base[i] = this.base!.data[n]!;
      i++;
      for (let c = childStart[n + 1]! - 1; c >= childStart[n]!; c--) {
        const child = children[c]!;
        depthOf[child] = depthOf[n]! + 1;
        todo[top++] = child;
      }
    }
    return out;
  }
}

/**
 * Each node's children, contiguous per parent (`childStart[n]` to
 * `childStart[n + 1]` in `children`) and in frame-rank order: a stable
 * counting sort of the nodes by rank, then one by parent. Linear, where a
 * comparison sort per node cost over a second on 4 million nodes.
 */
function childrenByRank(parent: Int32Array, frame: Int32Array, rank: Int32Array, frameCount: number): { childStart: Int32Array; children: Int32Array } {
  const count = parent.length;
  const rankStart = new Int32Array(frameCount + 1);
  for (let n = 1; n < count; n++) rankStart[rank[frame[n]!]! + 1]!++;
  for (let r = 0; r < frameCount; r++) rankStart[r + 1]! += rankStart[r]!;
  const byRank = new Int32Array(Math.max(count - 1, 0));
  for (let n = 1; n < count; n++) byRank[rankStart[rank[frame[n]!]!]!++] = n;
  const childStart = new Int32Array(count + 1);
  for (let n = 1; n < count; n++) childStart[parent[n]! + 1]!++;
  for (let n = 0; n < count; n++) childStart[n + 1]! += childStart[n]!;
  const children = new Int32Array(byRank.length);
  const fill = childStart.slice(0, count);
  for (const n of byRank) children[fill[parent[n]!]!++] = n;
  return { childStart, children };
}

/** Each frame's position when frames are sorted by name, then file, then line. */
function frameRanks(frames: Frame[]): Int32Array {
  const order = frames.map((_, i) => i);
  order.sort((a, b) => {
    const x = frames[a]!;
    const y = frames[b]!;
    return x.name < y.name ? -1 : x.name > y.name ? 1 : x.file < y.file ? -1 : x.file > y.file ? 1 : x.line - y.line;
  });
  const rank = new Int32Array(frames.length);
  order.forEach((f, i) => (rank[f] = i));
  return rank;
}
