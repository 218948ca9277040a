import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeProfile } from '../formats/index.js';
import { foldStacks } from './export.js';
import { flameTree, type FlameTree } from './flame.js';
import { Report } from './report.js';
import { combineSources } from './sources.js';

const load = (path: string) => decodeProfile(readFileSync(new URL(`../../testdata/${path}`, import.meta.url)), path);

/** The tree's own stacks: every node whose value exceeds its children's, as folded text → self value. */
function stacksOf(tree: FlameTree): Map<string, number> {
  const out = new Map<string, number>();
  const path: string[] = [];
  const n = tree.depth.length;
  for (let i = 1; i < n; i++) {
    const d = tree.depth[i]!;
    path.length = d - 1;
    path.push(tree.frames[tree.frame[i]!]!.name);
    let children = 0;
    for (let j = i + 1; j < n && tree.depth[j]! > d; j++) if (tree.depth[j] === d + 1) children += tree.value[j]!;
    const self = tree.value[i]! - children;
    if (self !== 0) out.set(path.join(';'), (out.get(path.join(';')) ?? 0) + self);
  }
  return out;
}

function foldedOf(rpt: Report): Map<string, number> {
  const f = foldStacks(rpt);
  const out = new Map<string, number>();
  f.stacks.forEach((s, i) => {
    const text = s.map((x) => f.frames[x]!.name).join(';');
    out.set(text, (out.get(text) ?? 0) + f.values[i]!);
  });
  return out;
}

test('the flame tree holds exactly the folded stacks, in pre-order with sorted siblings', () => {
  for (const sampleIndex of ['alloc_space', 'inuse_objects']) {
    const rpt = new Report(load('go1.26/heap/heap.pb.gz'), 'top', { sampleIndex });
    const tree = flameTree(rpt);
    assert.deepEqual(stacksOf(tree), foldedOf(rpt));
    assert.equal(tree.value[0], foldStacks(rpt).total, 'the root holds every sample');
    assert.equal(tree.depth[0], 0);
    assert.equal(tree.frame[0], -1);
    // Pre-order: each node's depth is at most one more than the node before it.
    for (let i = 1; i < tree.depth.length; i++) assert.ok(tree.depth[i]! <= tree.depth[i - 1]! + 1);
    // Siblings ascend by name.
    const last = new Map<number, string>();
    for (let i = 1; i < tree.depth.length; i++) {
      const d = tree.depth[i]!;
      for (const k of [...last.keys()]) if (k > d) last.delete(k);
      const name = tree.frames[tree.frame[i]!]!.name;
      const prev = last.get(d);
      assert.ok(prev === undefined || prev <= name, `${prev} before ${name}`);
      last.set(d, name);
    }
  }
});

test('filters apply as in the report: a focused tree holds only stacks through the focus, hidden frames are gone', () => {
  const profile = load('go1.26/heap/heap.pb.gz');
  const rpt = new Report(profile, 'top', { sampleIndex: 'alloc_space', focus: 'main\\.(buildIndex|growRegistry)', hide: 'runtime\\.main' });
  const tree = flameTree(rpt);
  assert.deepEqual(stacksOf(tree), foldedOf(rpt));
  assert.ok(tree.frames.every((f, i) => !tree.frame.includes(i) || f.name !== 'runtime.main'));
  assert.ok(tree.value[0]! < new Report(profile, 'top', { sampleIndex: 'alloc_space' }).total);
});

test('under --diff_base each node keeps the base part: value = new − base, as top --diff_base signs it', () => {
  const before = load('go1.26/diff/before.heap.pb.gz');
  const after = load('go1.26/diff/after.heap.pb.gz');
  const combined = combineSources([after], { base: [before], baseMode: 'diff_base', normalize: false });
  const tree = flameTree(new Report(combined, 'top', { sampleIndex: 'inuse_space' }));
  assert.ok(tree.base, 'a diff tree has base values');
  const total = (p: typeof before) => flameTree(new Report(p, 'top', { sampleIndex: 'inuse_space' })).value[0]!;
  assert.equal(tree.base![0], total(before));
  assert.equal(tree.value[0]! + tree.base![0]!, total(after));
  for (let i = 0; i < tree.base!.length; i++) assert.ok(tree.base![i]! >= 0);
});
