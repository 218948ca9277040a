import { layoutTree, type FlameData, type Tree } from './tree.js';

/**
 * A sandwich view of one function: who calls it (callers, merged from the
 * function outward) and what it calls (callees, merged from the function
 * down), over every place it appears. Each is a tree rooted at the function,
 * so the same renderer draws it. Only outermost occurrences count (a
 * recursive function's inner calls are inside the outer ones already).
 */
export function sandwich(tree: Tree, frame: number): { callers: Tree; callees: Tree } | undefined {
  const callers = new Merged(tree, frame);
  const callees = new Merged(tree, frame);
  let found = false;
  for (let i = 1; i < tree.count; ) {
    if (tree.frame[i] !== frame) {
      i++;
      continue;
    }
    found = true;
    // Callers: the path from i up to the root's child, i first.
    let node = 0;
    for (let a = i; a > 0; a = tree.parent[a]!) {
      node = callers.child(node, tree.frame[a]!);
      callers.add(node, i);
    }
    // Callees: i's subtree, each node placed under its merged parent.
    const at: number[] = [];
    const d0 = tree.depth[i]!;
    for (let j = i; j < tree.end[i]!; j++) {
      const r = tree.depth[j]! - d0;
      at[r] = callees.child(r === 0 ? 0 : at[r - 1]!, tree.frame[j]!);
      callees.add(at[r]!, j);
    }
    i = tree.end[i]!;
  }
  if (!found) return undefined;
  return { callers: layoutTree(callers.finish()), callees: layoutTree(callees.finish()) };
}

/** A tree being merged from paths: node 0 is a synthetic root whose only child is the function. */
class Merged {
  private readonly parent: number[] = [-1];
  private readonly frame: number[] = [-1];
  private readonly value: number[] = [0];
  private readonly base: number[] | undefined;
  private readonly index = new Map<number, number>();

  constructor(
    private readonly src: Tree,
    readonly root: number,
  ) {
    this.base = src.base ? [0] : undefined;
  }

  child(parent: number, frame: number): number {
    const key = parent * (this.src.frames.length + 1) + frame + 1;
    let n = this.index.get(key);
    if (n === undefined) {
      n = this.parent.length;
      this.parent.push(parent);
      this.frame.push(frame);
      this.value.push(0);
      this.base?.push(0);
      this.index.set(key, n);
    }
    return n;
  }

  /** Adds source node `from`'s value (and base) to merged node `n`. */
  add(n: number, from: number): void {
    this.value[n]! += this.src.value[from]!;
    if (this.base) this.base[n]! += this.src.base![from]!;
  }

  /** Pre-order with siblings by name, as the server orders the main tree; the synthetic root takes its one child's value. */
  finish(): FlameData {
    const count = this.parent.length;
    const children: number[][] = Array.from({ length: count }, () => []);
    for (let n = 1; n < count; n++) children[this.parent[n]!]!.push(n);
    const name = (n: number) => this.src.frames[this.frame[n]!]!.name;
    for (const c of children) if (c.length > 1) c.sort((a, b) => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0));
    this.value[0] = children[0]!.reduce((t, c) => t + this.value[c]!, 0);
    if (this.base) this.base[0] = children[0]!.reduce((t, c) => t + this.base![c]!, 0);
    const out: FlameData = {
      frames: this.src.frames,
      depth: new Uint16Array(count),
      frame: new Int32Array(count),
      value: new Float64Array(count),
      base: this.base ? new Float64Array(count) : undefined,
    };
    const todo: [number, number][] = [[0, 0]];
    let i = 0;
    while (todo.length > 0) {
      const [n, d] = todo.pop()!;
      out.depth[i] = d;
      out.frame[i] = this.frame[n]!;
      out.value[i] = this.value[n]!;
      if (out.base) out.base[i] = this.base![n]!;
      i++;
      const c = children[n]!;
      for (let k = c.length - 1; k >= 0; k--) todo.push([c[k]!, d + 1]);
    }
    return out;
  }
}
