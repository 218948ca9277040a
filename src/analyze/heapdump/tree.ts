import { runLength } from './retainers.js';
import { alike, isObject, stepOf, type Solution } from './solve.js';
import type { TreeNode } from './types.js';

/**
 * The dominator tree cut to what a page can show: level by level from the
 * top, a node's children that retain at least `minShare` of the reachable
 * heap, the `maxChildren` largest (the others summed into one "more" entry),
 * up to `maxNodes` in all. A run of alike objects each holding the next (a
 * list, a ring: the tree would nest them a thousand deep) becomes one "run"
 * entry, and the tree goes on below its last link.
 */
export interface TreeLimits {
  maxNodes: number;
  maxChildren: number;
  minShare: number;
}

export const TREE_LIMITS: TreeLimits = { maxNodes: 1500, maxChildren: 25, minShare: 0.001 };

export function prunedTree(s: Solution, reachableBytes: number, limits: TreeLimits = TREE_LIMITS): TreeNode[] {
  const children = childLists(s);
  const minBytes = Math.max(1, reachableBytes * limits.minShare);
  const out: TreeNode[] = [];
  const queue: { node: number; at: number }[] = [{ node: 0, at: -1 }];
  for (let head = 0; head < queue.length && out.length < limits.maxNodes; head++) {
    const { node, at } = queue[head]!;
    const kids: number[] = [];
    let restBytes = 0;
    let restObjects = 0;
    let restCount = 0;
    for (let k = children.start[node]!; k < children.start[node + 1]!; k++) {
      const c = children.list[k]!;
      if (s.retained[c]! >= minBytes) kids.push(c);
      else {
        restBytes += s.retained[c]!;
        restObjects += s.retainedObjects[c]!;
        restCount++;
      }
    }
    kids.sort((a, b) => s.retained[b]! - s.retained[a]! || a - b);
    for (const c of kids.slice(limits.maxChildren)) {
      restBytes += s.retained[c]!;
      restObjects += s.retainedObjects[c]!;
      restCount++;
    }
    for (const c of kids.slice(0, limits.maxChildren)) {
      if (out.length >= limits.maxNodes) break;
      if (s.heavy[node] === c && alike(s, node, c)) continue; // a link of the run drawn above
      const index = out.push(treeNode(s, c, at)) - 1;
      queue.push({ node: c, at: index });
      const run = runLength(s, c);
      // A run whose links retain less than the limit is not drawn: its first link goes into c's "more".
      if (run === 0 || s.retained[s.heavy[c]!]! < minBytes) continue;
      let last = c;
      for (let i = 0; i < run; i++) last = s.heavy[last]!;
      const next = s.heavy[c]!;
      const runAt =
        out.push({
          parent: index,
          kind: 'run',
          label: `${run} more alike, each holding the next (a list, ring or tree)`,
          retainedBytes: s.retained[next]!,
          retainedObjects: s.retainedObjects[next]!,
        }) - 1;
      queue.push({ node: last, at: runAt });
    }
    if (restCount > 0) {
      out.push({ parent: at, kind: 'more', label: `${restCount} more`, retainedBytes: restBytes, retainedObjects: restObjects });
    }
  }
  return out;
}

function treeNode(s: Solution, node: number, parent: number): TreeNode {
  const step = stepOf(s, node, -1);
  return {
    parent,
    kind: step.kind,
    label: isObject(s, node) ? step.name : s.g.roots[node - 1]!.ref.name,
    ...(step.size !== undefined ? { size: step.size } : {}),
    retainedBytes: s.retained[node]!,
    retainedObjects: s.retainedObjects[node]!,
    ...(step.site ? { site: step.site } : {}),
  };
}

/** Each node's children in the dominator tree (a counting sort of the reached nodes by their dominator). */
function childLists(s: Solution): { start: Int32Array; list: Int32Array } {
  const { order, idom } = s.tree;
  const n = s.g.nodeCount;
  const start = new Int32Array(n + 1);
  for (let i = 1; i < order.length; i++) start[idom[order[i]!]! + 1]!++;
  for (let v = 0; v < n; v++) start[v + 1]! += start[v]!;
  const fill = start.slice(0, n);
  const list = new Int32Array(Math.max(0, order.length - 1));
  for (let i = 1; i < order.length; i++) {
    const v = order[i]!;
    list[fill[idom[v]!]!++] = v;
  }
  return { start, list };
}
