import type { HeapDump } from '../../model/heapdump.js';
import { dominators, retainedSums, type DominatorTree, type Predecessors } from './dominators.js';
import type { Namer } from './globals.js';
import { buildGraph, type HeapGraph } from './graph.js';
import { reachFromRoots, type Reach } from './reach.js';
import { allocationSites, type Sites } from './sites.js';
import type { ChainStep } from './types.js';

/**
 * A dump taken apart: its graph, what the roots reach and by which shortest
 * paths, the dominator tree, what each node retains, and where objects were
 * allocated. Everything the report reads is here, in typed arrays indexed
 * by node (see graph.ts for the numbering).
 */
export interface Solution {
  dump: HeapDump;
  g: HeapGraph;
  pred: Predecessors;
  reach: Reach;
  tree: DominatorTree;
  /** Bytes and objects each node keeps alive, itself included (0 for unreached nodes). */
  retained: Float64Array;
  retainedObjects: Float64Array;
  /** Each node's child in the dominator tree that retains the most, or -1. */
  heavy: Int32Array;
  sites: Sites;
}

export function solve(dump: HeapDump, namer: Namer | undefined, onPhase: (what: string) => void = () => {}): Solution {
  onPhase('linking objects');
  const g = buildGraph(dump, namer);
  onPhase('computing dominators');
  // First: its search drops the weak finalizer edges reachFromRoots must not follow.
  const tree = dominators(g, 0, g.weak);
  const pred = tree.pred;
  onPhase('following references from the roots');
  const reach = reachFromRoots(g);
  const n = g.nodeCount;
  const own = new Float64Array(n);
  own.set(dump.objects.size.subarray(0, dump.objects.count), g.objectBase);
  const retained = retainedSums(tree, own, new Float64Array(n));
  own.fill(0, 0, g.objectBase).fill(1, g.objectBase);
  const retainedObjects = retainedSums(tree, own, new Float64Array(n));
  const heavy = new Int32Array(n).fill(-1);
  for (let i = 1; i < tree.order.length; i++) {
    const v = tree.order[i]!;
    const p = tree.idom[v]!;
    const h = heavy[p]!;
    if (h < 0 || retained[v]! > retained[h]!) heavy[p] = v;
  }
  onPhase('reading allocation sites');
  const sites = allocationSites(dump, g.index);
  return { dump, g, pred, reach, tree, retained, retainedObjects, heavy, sites };
}

const hex = (n: number) => `0x${n.toString(16)}`;

export function isObject(s: Solution, node: number): boolean {
  return node >= s.g.objectBase;
}

/** Two objects alike enough to be links of one structure (list, ring, tree): same size, same allocation site (or both unsampled). */
export function alike(s: Solution, a: number, b: number): boolean {
  if (!isObject(s, a) || !isObject(s, b)) return false;
  const i = a - s.g.objectBase;
  const j = b - s.g.objectBase;
  return s.dump.objects.size[i] === s.dump.objects.size[j] && s.sites.ofObject[i] === s.sites.ofObject[j];
}

/** A node as a chain step; `edge` is the edge it was reached through (for the slot and how far into the object it points). */
export function stepOf(s: Solution, node: number, edge: number): ChainStep {
  const g = s.g;
  if (!isObject(s, node)) return { ...g.roots[node - 1]!.step };
  const i = node - g.objectBase;
  const address = s.dump.objects.address[i]!;
  const site = s.sites.ofObject[i]!;
  const step: ChainStep = {
    kind: 'object',
    name: hex(address),
    address: hex(address),
    size: s.dump.objects.size[i]!,
    retainedBytes: s.retained[node]!,
    ...(site >= 0 ? { site: s.sites.list[site]! } : {}),
  };
  const slot = edge < 0 ? -1 : edge < g.rootEdges ? g.rootEdgeSlot[edge]! : s.dump.objects.pointers.offset[edge - g.rootEdges]!;
  const to = edge < 0 ? 0 : edge < g.rootEdges ? g.rootEdgeAddress[edge]! : s.dump.objects.pointers.target[edge - g.rootEdges]!;
  if (slot >= 0) step.via = { slot, into: to - address };
  return step;
}
