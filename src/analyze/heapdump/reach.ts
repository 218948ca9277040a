import type { HeapGraph } from './graph.js';

/**
 * Breadth-first search from node 0: every reachable node's parent edge on a
 * shortest path, so a chain from a root is a walk up `parentEdge`. Roots are
 * one step from node 0, so an object only one root reaches gets its shortest
 * path from that root.
 *
 * Runs after dominators(): that search has removed the weak edges of pending
 * finalizers whose object another root keeps (graph.ts), so what is left is
 * the graph the dominator tree was built on.
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
  parentEdge[0] = -2;
  queue[0] = 0;
  const reached = drain(g, queue, 0, 1, parentEdge, parent);
  return { parentEdge, parent, reached };
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
