import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prng } from '../../testkit/prng.js';
import { dominators, retainedSums, type Digraph } from './dominators.js';

/** A graph from an edge list; `-1` targets are kept as dead slots, as the heap graph keeps pointers that lead nowhere. */
function graph(n: number, edges: [number, number][]): Digraph {
  const start = new Int32Array(n + 1);
  for (const [from] of edges) start[from + 1]!++;
  for (let v = 0; v < n; v++) start[v + 1]! += start[v]!;
  const fill = start.slice(0, n);
  const target = new Int32Array(edges.length);
  for (const [from, to] of edges) target[fill[from]!++] = to;
  return { nodeCount: n, start, target };
}

/** Nodes reachable from the root when `removed` is taken out of the graph. */
function reachable(edges: [number, number][], removed: number): Set<number> {
  const seen = new Set<number>();
  if (removed === 0) return seen;
  const work = [0];
  seen.add(0);
  while (work.length) {
    const v = work.pop()!;
    for (const [from, to] of edges) if (from === v && to >= 0 && to !== removed && !seen.has(to)) (seen.add(to), work.push(to));
  }
  return seen;
}

/**
 * Dominators by their definition: d dominates v when v cannot be reached
 * without d. The immediate dominator is the strict dominator that every
 * other strict dominator dominates: the one with the most dominators.
 */
function bruteForce(n: number, edges: [number, number][]): Int32Array {
  const all = reachable(edges, -1);
  const doms: Set<number>[] = Array.from({ length: n }, () => new Set<number>());
  for (let d = 0; d < n; d++) {
    const without = reachable(edges, d);
    for (const v of all) if (v !== d && !without.has(v)) doms[v]!.add(d);
  }
  const idom = new Int32Array(n).fill(-1);
  for (const v of all) {
    if (v === 0) continue;
    let best = -1;
    for (const d of doms[v]!) if (best < 0 || doms[d]!.size > doms[best]!.size) best = d;
    idom[v] = best;
  }
  return idom;
}

function randomGraph(seed: number): { n: number; edges: [number, number][] } {
  const rnd = prng(seed);
  const n = 2 + Math.floor(rnd() * 14);
  const m = Math.floor(rnd() * n * 3);
  const edges: [number, number][] = [];
  for (let i = 0; i < m; i++) {
    const from = Math.floor(rnd() * n);
    // Mostly forward edges with some back edges and self loops, and a few dead slots: heap-like.
    const to = rnd() < 0.05 ? -1 : Math.floor(rnd() * n);
    edges.push([from, to]);
  }
  return { n, edges };
}

test('dominators agree with the definition on 3,000 small random graphs (cycles, self loops, unreachable nodes, dead slots)', () => {
  for (let seed = 1; seed <= 3000; seed++) {
    const { n, edges } = randomGraph(seed);
    const got = dominators(graph(n, edges));
    const want = bruteForce(n, edges);
    assert.deepEqual([...got.idom], [...want], `seed ${seed}: ${JSON.stringify(edges)}`);
    const reach = reachable(edges, -1);
    assert.equal(got.order.length, reach.size, `seed ${seed}: every reachable node is numbered`);
  }
});

test('retained sums: each node keeps itself and every node it dominates', () => {
  for (let seed = 1; seed <= 500; seed++) {
    const { n, edges } = randomGraph(seed);
    const tree = dominators(graph(n, edges));
    const own = Float64Array.from({ length: n }, (_, i) => i + 1);
    const sums = retainedSums(tree, own, new Float64Array(n));
    const reach = reachable(edges, -1);
    for (const v of reach) {
      // v keeps u when every path to u passes v: the nodes that become unreachable without v, plus v.
      const without = reachable(edges, v);
      let want = 0;
      for (const u of reach) if (!without.has(u)) want += own[u]!;
      assert.equal(sums[v], want, `seed ${seed}, node ${v}`);
    }
  }
});

test('a list a million nodes long: no recursion, each node dominates the rest', () => {
  const n = 1_000_000;
  const edges: [number, number][] = [];
  for (let v = 0; v + 1 < n; v++) edges.push([v, v + 1]);
  edges.push([n - 1, 1]); // a ring behind the root
  const tree = dominators(graph(n, edges));
  assert.equal(tree.idom[n - 1], n - 2);
  const sums = retainedSums(tree, new Float64Array(n).fill(1), new Float64Array(n));
  assert.equal(sums[1], n - 1);
});

test('weak nodes: an edge of theirs counts only when nothing searched before reached its target', () => {
  // 0 → strong root 1 → object 3; 0 → weak root 2 → objects 3 and 4 (a pending finalizer's object
  // another root also keeps, and one only the finalizer keeps).
  const g = graph(5, [
    [0, 1],
    [0, 2],
    [1, 3],
    [2, 3],
    [2, 4],
  ]);
  const tree = dominators(g, 0, { from: 2, to: 3 });
  assert.deepEqual([...tree.idom], [-1, 0, 0, 1, 2]);
  assert.deepEqual([...g.target], [1, 2, 3, -1, 4], 'the weak edge to 3 is removed from the graph');
  const pred = [...tree.pred.source.subarray(tree.pred.start[3]!, tree.pred.start[4]!)];
  assert.deepEqual(pred, [1], 'and from its predecessors');
});
