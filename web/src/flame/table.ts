import type { Tree } from './tree.js';

/** One row of the table beside the graph: a function's flat and cum within the shown subtree. */
export interface TableRow {
  frame: number;
  flat: number;
  cum: number;
}

/**
 * pprof's flat and cum per function over the subtree of `root`, from the tree
 * alone: flat is a node's value less its children's (each node adds its value
 * to its own frame and takes it from its parent's), cum counts a node only
 * when no ancestor inside the subtree has the same function (recursion counts
 * once, as pprof counts it). Sorted by |flat|, then |cum|, then name.
 */
export function tableRows(tree: Tree, root: number): TableRow[] {
  const frames = tree.frames.length;
  const flat = new Float64Array(frames);
  const cum = new Float64Array(frames);
  const seen = new Uint8Array(frames);
  const onPath = new Int32Array(frames);
  const stack: number[] = [];
  for (let i = root, stop = tree.end[root]!; i < stop; i++) {
    const d = tree.depth[i]!;
    while (stack.length > 0 && tree.depth[stack[stack.length - 1]!]! >= d) {
      const f = tree.frame[stack.pop()!]!;
      if (f >= 0) onPath[f]!--;
    }
    const f = tree.frame[i]!;
    const v = tree.value[i]!;
    stack.push(i);
    if (f < 0) continue;
    seen[f] = 1;
    flat[f]! += v;
    if (i !== root) {
      const pf = tree.frame[tree.parent[i]!]!;
      if (pf >= 0) flat[pf]! -= v;
    }
    if (onPath[f] === 0) cum[f]! += v;
    onPath[f]!++;
  }
  const rows: TableRow[] = [];
  for (let f = 0; f < frames; f++) if (seen[f]) rows.push({ frame: f, flat: flat[f]!, cum: cum[f]! });
  const name = (r: TableRow) => tree.frames[r.frame]!.name;
  return rows.sort((a, b) => Math.abs(b.flat) - Math.abs(a.flat) || Math.abs(b.cum) - Math.abs(a.cum) || (name(a) < name(b) ? -1 : 1));
}

/**
 * The total of the nodes whose frame is marked, inside the subtree of `root`:
 * a match's descendants are not counted again (a recursive match counts
 * once). Also returns how many nodes matched.
 */
export function matchedTotal(tree: Tree, root: number, marked: Uint8Array): { total: number; nodes: number } {
  let total = 0;
  let nodes = 0;
  for (let i = root, stop = tree.end[root]!; i < stop; ) {
    const f = tree.frame[i]!;
    if (f >= 0 && marked[f]) {
      total += tree.value[i]!;
      nodes++;
      // Nodes inside the match are counted in it; count the matches among them for the tally only.
      for (let j = i + 1; j < tree.end[i]!; j++) if (marked[tree.frame[j]!]) nodes++;
      i = tree.end[i]!;
    } else i++;
  }
  return { total, nodes };
}
