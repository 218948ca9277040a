/**
 * Dominators over a graph in compressed-sparse-row form: node v's edges
 * are `target[start[v] .. start[v+1])`, a negative target being no edge (a
 * pointer that led nowhere keeps its slot, so edge indexes stay aligned with
 * the dump's pointer tables).
 *
 * The algorithm is Lengauer and Tarjan's ("A fast algorithm for finding
 * dominators in a flowgraph", TOPLAS 1979), the simple version: path
 * compression without balanced linking, O(E log V). Everything is in typed
 * arrays indexed by DFS preorder number, and the DFS and the path compression
 * are iterative: a heap has linked lists millions of objects long.
 */
export interface Digraph {
  nodeCount: number;
  start: Int32Array;
  target: Int32Array;
}

export interface DominatorTree {
  /** Reachable nodes in DFS preorder; order[0] is the root. A dominator always comes before the nodes it dominates. */
  order: Int32Array;
  /** The immediate dominator of each node; -1 for the root and for nodes the root does not reach. */
  idom: Int32Array;
  /** The graph's reversed edges (after weak edges were dropped). */
  pred: Predecessors;
}

/**
 * Nodes [from, to) whose edges are weak: an edge of theirs counts only if
 * nothing searched before reached its target; otherwise it is removed from
 * the graph (its target set to -1). The search takes the root's edges in
 * order, so weak nodes placed last among them see everything the others
 * reach first. (A heap dump's pending finalizers: graph.ts.)
 */
export interface WeakNodes {
  from: number;
  to: number;
}

export function dominators(g: Digraph, root = 0, weak: WeakNodes = { from: 0, to: 0 }): DominatorTree {
  const n = g.nodeCount;
  const dfn = new Int32Array(n).fill(-1);
  const { vertex, parent, reached } = depthFirst(g, root, dfn, weak);
  const pred = predecessors(g);
  const semi = new Int32Array(reached);
  const label = new Int32Array(reached);
  const ancestor = new Int32Array(reached).fill(-1);
  const idom = new Int32Array(reached);
  const bucketHead = new Int32Array(reached).fill(-1);
  const bucketNext = new Int32Array(reached);
  const stack = new Int32Array(reached);
  for (let i = 0; i < reached; i++) {
    semi[i] = i;
    label[i] = i;
  }

  // EVAL(v) with COMPRESS unrolled: walk up to the forest root, then relabel on the way down.
  const evaluate = (v: number): number => {
    if (ancestor[v]! < 0) return v;
    let sp = 0;
    let x = v;
    while (ancestor[ancestor[x]!]! >= 0) {
      stack[sp++] = x;
      x = ancestor[x]!;
    }
    while (sp > 0) {
      const y = stack[--sp]!;
      const a = ancestor[y]!;
      if (semi[label[a]!]! < semi[label[y]!]!) label[y] = label[a]!;
      ancestor[y] = ancestor[a]!;
    }
    return label[v]!;
  };

  for (let w = reached - 1; w > 0; w--) {
    const node = vertex[w]!;
    for (let e = pred.start[node]!; e < pred.start[node + 1]!; e++) {
      const v = dfn[pred.source[e]!]!;
      if (v < 0) continue;
      const u = evaluate(v);
      if (semi[u]! < semi[w]!) semi[w] = semi[u]!;
    }
    bucketNext[w] = bucketHead[semi[w]!]!;
    bucketHead[semi[w]!] = w;
    const p = parent[w]!;
    ancestor[w] = p;
    for (let v = bucketHead[p]!; v >= 0; v = bucketNext[v]!) {
      const u = evaluate(v);
      idom[v] = semi[u]! < semi[v]! ? u : p;
    }
    bucketHead[p] = -1;
  }
  for (let w = 1; w < reached; w++) if (idom[w] !== semi[w]) idom[w] = idom[idom[w]!]!;

  const byNode = new Int32Array(n).fill(-1);
  for (let w = 1; w < reached; w++) byNode[vertex[w]!] = vertex[idom[w]!]!;
  return { order: vertex, idom: byNode, pred };
}

/** Iterative DFS from the root: preorder numbers in `dfn`, the nodes by number, and each one's DFS parent (by number). */
function depthFirst(g: Digraph, root: number, dfn: Int32Array, weak: WeakNodes): { vertex: Int32Array; parent: Int32Array; reached: number } {
  const n = g.nodeCount;
  const vertex = new Int32Array(n);
  const parent = new Int32Array(n);
  const stackNode = new Int32Array(n);
  const stackEdge = new Int32Array(n);
  let reached = 0;
  let sp = 0;
  dfn[root] = reached;
  vertex[reached++] = root;
  parent[0] = -1;
  stackNode[sp] = root;
  stackEdge[sp++] = g.start[root]!;
  while (sp > 0) {
    const v = stackNode[sp - 1]!;
    const e = stackEdge[sp - 1]!;
    if (e >= g.start[v + 1]!) {
      sp--;
      continue;
    }
    stackEdge[sp - 1] = e + 1;
    const w = g.target[e]!;
    if (w < 0) continue;
    if (dfn[w]! >= 0) {
      if (v >= weak.from && v < weak.to) g.target[e] = -1;
      continue;
    }
    dfn[w] = reached;
    parent[reached] = dfn[v]!;
    vertex[reached++] = w;
    stackNode[sp] = w;
    stackEdge[sp++] = g.start[w]!;
  }
  return { vertex: vertex.subarray(0, reached), parent: parent.subarray(0, reached), reached };
}

/** The reversed edges, in the same compressed form: the sources of the edges into each node. */
export interface Predecessors {
  start: Int32Array;
  source: Int32Array;
}

export function predecessors(g: Digraph): Predecessors {
  const n = g.nodeCount;
  const start = new Int32Array(n + 1);
  for (let e = 0; e < g.target.length; e++) {
    const w = g.target[e]!;
    if (w >= 0) start[w + 1]!++;
  }
  for (let v = 0; v < n; v++) start[v + 1]! += start[v]!;
  const fill = start.slice(0, n);
  const source = new Int32Array(start[n]!);
  for (let v = 0; v < n; v++) {
    for (let e = g.start[v]!; e < g.start[v + 1]!; e++) {
      const w = g.target[e]!;
      if (w >= 0) source[fill[w]!++] = v;
    }
  }
  return { start, source };
}

/**
 * Sums `own` up the dominator tree: what each node keeps alive, itself
 * included. A node's dominator precedes it in `order`, so one backward pass
 * adds every subtree before its parent is added to its own parent.
 */
export function retainedSums(tree: DominatorTree, own: ArrayLike<number>, out: Float64Array): Float64Array {
  for (let i = 0; i < tree.order.length; i++) out[tree.order[i]!] = own[tree.order[i]!]!;
  for (let i = tree.order.length - 1; i > 0; i--) {
    const v = tree.order[i]!;
    out[tree.idom[v]!]! += out[v]!;
  }
  return out;
}
