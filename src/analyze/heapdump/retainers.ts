import { alike, isObject, stepOf, type Solution } from './solve.js';
import { topSites } from './sites.js';
import type { ChainStep, Retainer, RootRef } from './types.js';

/**
 * The top of the dominator tree, largest first. A child of the virtual
 * root is either a real root (a global, a goroutine, a finalizer) and keeps
 * what only it reaches, or an object several roots reach, which none of
 * them keeps alone: it is reported as held by "several" roots, named by a
 * bounded search backwards.
 */
export function topRetainers(s: Solution, limit: number, reachableBytes: number): Retainer[] {
  const tops: number[] = [];
  for (let i = 1; i < s.tree.order.length; i++) {
    const v = s.tree.order[i]!;
    if (s.tree.idom[v] === 0 && s.retained[v]! > 0) tops.push(v);
  }
  tops.sort((a, b) => s.retained[b]! - s.retained[a]! || a - b);
  const chosen = tops.slice(0, limit);
  const sites = sitesPerTop(s, chosen);
  return chosen.map((top, k) => {
    const { target, recursive } = descend(s, top);
    return {
      root: isObject(s, top) ? severalRoots(s, top) : s.g.roots[top - 1]!.ref,
      retainedBytes: s.retained[top]!,
      retainedObjects: s.retainedObjects[top]!,
      share: reachableBytes > 0 ? s.retained[top]! / reachableBytes : 0,
      ...chainTo(s, target),
      ...(recursive > 0 ? { recursive } : {}),
      sites: sites[k]!,
    };
  });
}

/** Longest chain kept whole; longer ones keep their two ends. */
const MAX_CHAIN = 40;
/** Steps the descent takes at most. */
const MAX_DESCENT = 64;

/**
 * From a top node down the dominator tree to the object that holds most of
 * what it retains: through a goroutine to its frame, then to the heaviest
 * child while that child still holds half of the top's bytes. It stops at
 * the first of a run of alike objects (a list or ring: each link holds the
 * rest) and says how long the run goes on.
 */
export function descend(s: Solution, top: number): { target: number; recursive: number } {
  let cur = top;
  while (!isObject(s, cur) && s.heavy[cur]! >= 0) cur = s.heavy[cur]!;
  const half = s.retained[top]! / 2;
  for (let steps = 0; steps < MAX_DESCENT && isObject(s, cur); steps++) {
    const next = s.heavy[cur]!;
    if (next < 0 || s.retained[next]! < half) break;
    if (alike(s, cur, next)) return { target: cur, recursive: runLength(s, cur) };
    cur = next;
  }
  return { target: cur, recursive: 0 };
}

/** How many alike objects follow `node` down its heaviest children. */
export function runLength(s: Solution, node: number): number {
  let n = 0;
  for (let cur = node, next = s.heavy[cur]!; next >= 0 && alike(s, cur, next); cur = next, next = s.heavy[cur]!) n++;
  return n;
}

/** The shortest reference chain from a root to `node` (a walk up the search's parent edges). */
export function chainTo(s: Solution, node: number): { chain: ChainStep[]; elidedSteps?: number } {
  const nodes: number[] = [];
  for (let v = node; v > 0; v = s.reach.parent[v]!) nodes.push(v);
  nodes.reverse();
  const steps = nodes.map((v) => stepOf(s, v, s.reach.parentEdge[v]!));
  if (steps.length <= MAX_CHAIN) return { chain: steps };
  const half = MAX_CHAIN / 2;
  return { chain: [...steps.slice(0, half), ...steps.slice(-half)], elidedSteps: steps.length - MAX_CHAIN };
}

/** Root nodes searched backwards from an object several roots hold. */
const SEARCH_BUDGET = 200_000;
const NAMES_SHOWN = 10;

function severalRoots(s: Solution, object: number): RootRef {
  const names: string[] = [];
  const seen = new Set<number>([object]);
  const work = [object];
  let complete = true;
  while (work.length > 0) {
    if (seen.size > SEARCH_BUDGET) {
      complete = false;
      break;
    }
    const v = work.pop()!;
    for (let e = s.pred.start[v]!; e < s.pred.start[v + 1]!; e++) {
      let u = s.pred.source[e]!;
      if (u === 0) continue;
      if (!isObject(s, u)) {
        // A frame stands for its goroutine.
        while (s.g.roots[u - 1]!.parent !== 0) u = s.g.roots[u - 1]!.parent;
        const name = s.g.roots[u - 1]!.ref.name;
        if (!names.includes(name)) names.push(name);
        continue;
      }
      if (!seen.has(u)) {
        seen.add(u);
        work.push(u);
      }
    }
  }
  names.sort();
  const shown = names.slice(0, NAMES_SHOWN);
  const more = names.length > shown.length || !complete ? ', …' : '';
  return { kind: 'several', name: `${shown.join(', ')}${more}`, roots: shown };
}

/** For each chosen top, its objects by allocation site: one pass over the tree, in preorder, carrying the top down. */
function sitesPerTop(s: Solution, tops: number[]): Retainer['sites'][] {
  const n = s.sites.list.length;
  const slot = new Map(tops.map((t, k) => [t, k]));
  const bytes = tops.map(() => new Float64Array(n));
  const objects = tops.map(() => new Float64Array(n));
  const topOf = new Int32Array(s.g.nodeCount).fill(-1);
  const { order, idom } = s.tree;
  for (let i = 1; i < order.length; i++) {
    const v = order[i]!;
    const p = idom[v]!;
    const k = p === 0 ? (slot.get(v) ?? -1) : topOf[p]!;
    topOf[v] = k;
    if (k < 0 || !isObject(s, v)) continue;
    const site = s.sites.ofObject[v - s.g.objectBase]!;
    if (site < 0) continue;
    bytes[k]![site]! += s.dump.objects.size[v - s.g.objectBase]!;
    objects[k]![site]!++;
  }
  return tops.map((_, k) => topSites(s.sites, bytes[k]!, objects[k]!, 5));
}
