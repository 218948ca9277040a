import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { layoutTree, pathTo, type FlameData, type Tree } from './tree.js';
import { decodeFlame } from './wire.js';
import { visibleBoxes, type Viewport } from './walk.js';
import { matchedTotal, tableRows } from './table.js';
import { sandwich } from './sandwich.js';
import { diffColour, diffSign } from './colour.js';

/**
 * The app's tree code against the server's: trees come from the library
 * (built into dist/ beside this test) through the real wire encoding, and the
 * table, search totals and sandwich are checked against pprof-compatible
 * reports over the same profiles.
 */

interface Lib {
  decodeProfile(bytes: Uint8Array, name: string): unknown;
  Report: new (p: unknown, cmd: string, o: Record<string, unknown>) => { total: number };
  flameTree(rpt: unknown): FlameData;
  encodeFlame(tree: FlameData, meta: Record<string, unknown>): Uint8Array;
  topReport(rpt: unknown): { rows: { name: string; flat: number; cum: number }[] };
  combineSources(s: unknown[], o: Record<string, unknown>): unknown;
}

const dist = new URL('../../../../', import.meta.url);
async function lib(): Promise<Lib> {
  const load = (p: string) => import(new URL(p, dist).href) as Promise<Record<string, unknown>>;
  const [formats, report, flame, wire, top, sources] = await Promise.all(
    ['formats/index.js', 'report/report.js', 'report/flame.js', 'server/wire.js', 'report/top.js', 'report/sources.js'].map(load),
  );
  return { ...formats, ...report, ...flame, ...wire, ...top, ...sources } as unknown as Lib;
}

const testdata = (p: string) => readFileSync(new URL(`../../../../../testdata/${p}`, import.meta.url));

async function treeOf(file: string, options: Record<string, unknown>, base?: string): Promise<{ tree: Tree; l: Lib; profile: unknown }> {
  const l = await lib();
  let profile = l.decodeProfile(testdata(file), file);
  if (base) profile = l.combineSources([profile], { base: [l.decodeProfile(testdata(base), base)], baseMode: 'diff_base' });
  const encoded = l.encodeFlame(l.flameTree(new l.Report(profile, 'top', options)), { sampleType: 'x', unit: 'bytes', total: 0, warnings: [] });
  const copy = encoded.slice().buffer;
  return { tree: layoutTree(decodeFlame(copy).data), l, profile };
}

test('the wire round trip keeps every node field, diff bases included', async () => {
  const l = await lib();
  for (const base of [undefined, 'go1.26/diff/before.heap.pb.gz']) {
    let p = l.decodeProfile(testdata('go1.26/diff/after.heap.pb.gz'), 'after');
    if (base) p = l.combineSources([p], { base: [l.decodeProfile(testdata(base), base)], baseMode: 'diff_base' });
    const tree = l.flameTree(new l.Report(p, 'top', { sampleIndex: 'inuse_space' }));
    const { header, data } = decodeFlame(l.encodeFlame(tree, { sampleType: 'inuse_space', unit: 'bytes', total: 7, warnings: ['w'] }).slice().buffer);
    assert.equal(header.nodes, tree.depth.length);
    assert.equal(header.diff, base !== undefined);
    assert.deepEqual([...data.depth], [...tree.depth]);
    assert.deepEqual([...data.frame], [...tree.frame]);
    assert.deepEqual([...data.value], [...tree.value]);
    assert.deepEqual(data.base && [...data.base], tree.base && [...tree.base]);
    assert.deepEqual(data.frames, tree.frames);
    assert.deepEqual(header.warnings, ['w']);
  }
});

test('layout: each node sits inside its parent, siblings side by side, subtree ends match depths', async () => {
  const { tree } = await treeOf('go1.26/heap/heap.pb.gz', { sampleIndex: 'alloc_space' });
  for (let i = 1; i < tree.count; i++) {
    const p = tree.parent[i]!;
    assert.equal(tree.depth[p], tree.depth[i]! - 1);
    assert.ok(tree.x[i]! >= tree.x[p]! && tree.x[i]! + tree.width[i]! <= tree.x[p]! + tree.width[p]! + 1e-6);
    let deepest = tree.depth[i]!;
    for (let j = i + 1; j < tree.end[i]!; j++) {
      assert.ok(tree.depth[j]! > tree.depth[i]!);
      deepest = Math.max(deepest, tree.depth[j]!);
    }
    assert.equal(tree.deepest[i], deepest, 'the deepest row of the subtree');
    if (tree.end[i]! < tree.count) assert.ok(tree.depth[tree.end[i]!]! <= tree.depth[i]!);
  }
  assert.equal(tree.deepest[0], tree.maxDepth);
  assert.equal(tree.end[0], tree.count);
  assert.deepEqual(pathTo(tree, tree.count - 1)[0], 0);
});

test('the table at the root is footprint top: flat and cum per function, signs included under --diff_base', async () => {
  for (const [file, base, si] of [
    ['go1.26/heap/heap.pb.gz', undefined, 'alloc_space'],
    ['go1.26/heap/heap.pb.gz', undefined, 'inuse_objects'],
    ['go1.26/diff/after.heap.pb.gz', 'go1.26/diff/before.heap.pb.gz', 'inuse_space'],
    ['go1.26/diff/after.allocs.pb.gz', 'go1.26/diff/before.allocs.pb.gz', 'alloc_space'],
  ] as const) {
    const { tree, l, profile } = await treeOf(file, { sampleIndex: si }, base);
    const top = l.topReport(new l.Report(profile, 'top', { sampleIndex: si, trim: false }));
    const rows = new Map(tableRows(tree, 0).map((r) => [tree.frames[r.frame]!.name, r]));
    assert.ok(top.rows.length > 5);
    for (const row of top.rows) {
      const mine = rows.get(row.name);
      assert.ok(mine, `${row.name} is in the table`);
      assert.equal(mine.flat, row.flat, `${row.name} flat`);
      assert.equal(mine.cum, row.cum, `${row.name} cum`);
    }
    if (base) {
      assert.ok(top.rows.some((r) => r.cum > 0) && top.rows.some((r) => r.cum < 0), 'the diff has growth and shrinkage');
      // The colour of a node whose function appears once is the sign of its row.
      let checked = 0;
      for (const row of top.rows) {
        const nodes = [...tree.frame.keys()].filter((i) => tree.frame[i]! >= 0 && tree.frames[tree.frame[i]!]!.name === row.name);
        if (nodes.length !== 1) continue;
        const n = nodes[0]!;
        assert.equal(diffSign(diffColour(tree.value[n]!, tree.width[n]!)), Math.sign(row.cum), row.name);
        checked++;
      }
      assert.ok(checked >= 3, `colours checked for ${checked} functions`);
    }
  }
});

test('the search total is what --focus on the same expression keeps', async () => {
  const { tree, l, profile } = await treeOf('go1.26/heap/heap.pb.gz', { sampleIndex: 'alloc_space' });
  for (const re of ['^main\\.(buildIndex|appendJournal)$', 'strings\\.', 'main\\.']) {
    const js = new RegExp(re);
    const marked = new Uint8Array(tree.frames.length);
    tree.frames.forEach((f, i) => (marked[i] = js.test(f.name) ? 1 : 0));
    const focused = l.flameTree(new l.Report(profile, 'top', { sampleIndex: 'alloc_space', focus: re }));
    assert.equal(matchedTotal(tree, 0, marked).total, focused.value[0], re);
  }
});

test('visible boxes: every box wider than the limit is drawn inside the canvas, the rest merge, the zoomed node fills the width', async () => {
  const { tree } = await treeOf('go1.26/heap/heap.pb.gz', { sampleIndex: 'alloc_space' });
  for (const [root, widthPx] of [
    [0, 1000],
    [0, 90],
    [tree.parent[tree.count - 1]!, 600],
  ] as const) {
    const vp: Viewport = { root, widthPx, minPx: 0.5, firstRow: 0, lastRow: tree.maxDepth };
    const drawn = new Map<number, { left: number; width: number }>();
    let mergedWidth = 0;
    visibleBoxes(tree, vp, { box: (n, left, width) => drawn.set(n, { left, width }), merged: (_l, w) => (mergedWidth += w) });
    assert.deepEqual(drawn.get(root), { left: 0, width: widthPx });
    for (const a of pathTo(tree, root).slice(0, -1)) assert.deepEqual(drawn.get(a), { left: 0, width: widthPx }, 'ancestors span the width');
    const scale = widthPx / tree.width[root]!;
    // Brute force: a node in the zoomed subtree is drawn exactly when it and all its ancestors up to the root are at least minPx wide.
    for (let i = root; i < tree.end[root]!; i++) {
      let wide = true;
      for (let a = i; a !== tree.parent[root]; a = tree.parent[a]!) wide &&= tree.width[a]! * scale >= vp.minPx;
      assert.equal(drawn.has(i), wide, `node ${i}`);
      const b = drawn.get(i);
      if (b) assert.ok(b.left >= -1e-9 && b.left + b.width <= widthPx + 1e-6);
    }
    if (widthPx === 90) assert.ok(mergedWidth > 0, 'a narrow canvas merges small boxes');
  }
});

test('the walk skips what it does not draw: a large generated tree at a small width looks at few nodes', () => {
  // A complete 4-ary tree of depth 9 (349,525 nodes), equal weights, in pre-order.
  const depth: number[] = [];
  const value: number[] = [];
  const walk = (d: number): number => {
    const at = depth.length;
    depth.push(d);
    value.push(0);
    let v = 1;
    if (d < 9) for (let c = 0; c < 4; c++) v += walk(d + 1);
    value[at] = v;
    return v;
  };
  walk(0);
  const tree = layoutTree({ frames: [{ name: 'f', file: '', line: 0 }], depth: Uint16Array.from(depth), frame: Int32Array.from(depth, (d) => (d ? 0 : -1)), value: Float64Array.from(value), base: undefined });
  let boxes = 0;
  let merged = 0;
  const visited = visibleBoxes(tree, { root: 0, widthPx: 1200, minPx: 0.5, firstRow: 0, lastRow: 9 }, { box: () => boxes++, merged: () => merged++ });
  assert.equal(tree.count, 349_525);
  assert.ok(visited < tree.count / 50, `looked at ${visited} nodes of ${tree.count}`);
  assert.ok(boxes > 1000 && merged > 0);
});

test('sandwich: callers and callees of a function weigh what the function does', async () => {
  const { tree } = await treeOf('go1.26/heap/heap.pb.gz', { sampleIndex: 'alloc_space' });
  const rows = tableRows(tree, 0);
  for (const name of ['main.makeKey', 'main.main', 'strings.Repeat']) {
    const frame = tree.frames.findIndex((f) => f.name === name);
    const s = sandwich(tree, frame)!;
    const cum = rows.find((r) => r.frame === frame)!.cum;
    assert.equal(s.callers.value[0], cum, `${name}: callers weigh its cum`);
    assert.equal(s.callees.value[0], cum, `${name}: callees weigh its cum`);
    assert.equal(s.callers.frame[1], frame);
    assert.equal(s.callees.frame[1], frame);
    // Its callers are one level up: each caller node is a frame that called it.
    const callerTable = tableRows(s.callees, 1);
    assert.equal(callerTable.find((r) => r.frame === frame)!.cum, cum);
  }
  assert.equal(sandwich(tree, tree.frames.length + 5), undefined);
});
