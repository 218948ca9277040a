import type { HeapGraph } from './graph.js';

/**
 * Breadth-first search from node 0: every reachable node's parent edge on a
 * shortest path, so a chain from a root is a walk up `parentEdge`. Roots are
 * one step from node 0, so an object only one root reaches gets its shortest
 * path from that root.
 *
 * Finalizer edges are searched last (graph.ts): the search first runs
 * without them, then each one whose object is still unreached is put back
 * and the search goes on from it; the others are removed from the graph for
 * good, so the dominator tree sees only what finalizers alone keep.
 */
export interface Reach {
  /** The edge each node was first reached through; -1 unreached, -2 for node 0. */
  parentEdge: Int32Array;
  /** The node at the start of that edge. */
  parent: Int32Array;
  reached: number;
}

export function reachFromRoots(g: HeapGraph): Reach {
  const n = g.nodeCount;
  const parentEdge = new Int32Array(n).fill(-1);
  const parent = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  const held = Int32Array.from(g.conditional, (e) => g.target[e]!);
  for (const e of g.conditional) g.target[e] = -1;
  parentEdge[0] = -2;
  queue[0] = 0;
  let tail = 1;
  tail = drain(g, queue, 0, tail, parentEdge, parent);
  const head = tail;
  for (let k = 0; k < g.conditional.length; k++) {
    const e = g.conditional[k]!;
    const w = held[k]!;
    if (parentEdge[w] !== -1) continue;
    g.target[e] = w;
    parentEdge[w] = e;
    parent[w] = sourceOf(g, e);
    queue[tail++] = w;
  }
  tail = drain(g, queue, head, tail, parentEdge, parent);
  return { parentEdge, parent, reached: tail };
}

function drain(g: HeapGraph, queue: Int32Array, head: number, tail: number, parentEdge: Int32Array, parent: Int32Array): number {
  const { start, target } = g;
  while (head < tail) {
    const v = queue[head++]!;
    for (let e = start[v]!, end = start[v + 1]!; e < end; e++) {
      const w = target[e]!;
      if (w < 0 || parentEdge[w] !== -1) continue;
      parentEdge[w] = e;
      parent[w] = v;
      queue[tail++] = w;
    }
  }
  return tail;
}

/** The node an edge starts at (a binary search over the row starts). */
export function sourceOf(g: HeapGraph, edge: number): number {
  let lo = 0;
  let hi = g.nodeCount - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (g.start[mid]! <= edge) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
