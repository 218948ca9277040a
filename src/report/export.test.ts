import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeProfile } from '../formats/index.js';
import type { Profile } from '../model/profile.js';
import { collapsedText, ExportError, filteredProfile, foldStacks, speedscopeFile, speedscopeUnit } from './export.js';
import { Report } from './report.js';
import { tracesReport } from './traces.js';
import { combineSources } from './sources.js';

const GO123 = new URL('../../testdata/go1.23/', import.meta.url).pathname;
const load = (rel: string): Profile => decodeProfile(readFileSync(GO123 + rel), rel);
const heap = load('heap/heap.pb.gz');
const mutex = load('contention/mutex.pb.gz');
const diff = combineSources([load('diff/after.heap.pb.gz')], { base: [load('diff/before.heap.pb.gz')], baseMode: 'diff_base' });

/** Parses folded text back into [stack, value] pairs. */
function parseCollapsed(text: string): [string, number][] {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => {
      const at = l.lastIndexOf(' ');
      return [l.slice(0, at), Number(l.slice(at + 1))];
    });
}

for (const [name, p, si] of [
  ['heap default (inuse_space)', heap, ''],
  ['heap alloc_space', heap, 'alloc_space'],
  ['heap alloc_objects', heap, 'alloc_objects'],
  ['mutex default (delay)', mutex, ''],
  ['mutex contentions', mutex, 'contentions'],
] as const) {
  test(`collapsed total equals the top report total: ${name}`, () => {
    const rpt = new Report(p, 'traces', { sampleIndex: si });
    const lines = parseCollapsed(collapsedText(foldStacks(rpt)));
    const sum = lines.reduce((t, [, v]) => t + v, 0);
    assert.equal(sum, new Report(p, 'top', { sampleIndex: si }).total);
    assert.ok(sum > 0);
    assert.ok(lines.every(([, v]) => Number.isInteger(v) && v > 0), 'no zero or negative lines');
    const stacks = lines.map(([s]) => s);
    assert.equal(new Set(stacks).size, stacks.length, 'each stack once');
    assert.deepEqual(stacks, [...stacks].sort(), 'sorted');
  });
}

test('collapsed stacks are root first with inlined frames expanded', () => {
  const lines = new Map(parseCollapsed(collapsedText(foldStacks(new Report(heap, 'traces', {})))));
  // newSmall is inlined into makeKey, inlined into buildIndex: one Location, three frames.
  assert.ok(lines.get('runtime.main;main.main;main.buildIndex;main.makeKey;main.newSmall')! > 0);
  // The same stacks as pprof -traces prints leaf first (inline frames included), reversed and summed.
  const want = new Map<string, number>();
  for (const t of tracesReport(new Report(heap, 'traces', {})).traces) {
    const key = t.frames.map((f) => f.name).reverse().join(';');
    want.set(key, (want.get(key) ?? 0) + t.value);
  }
  for (const [k, v] of want) if (v === 0) want.delete(k);
  assert.deepEqual(new Map([...lines].sort()), new Map([...want].sort()));
});

test('--noinlines folds inlined frames into their caller', () => {
  const text = collapsedText(foldStacks(new Report(heap, 'traces', { noInlines: true })));
  assert.ok(!text.includes('main.newSmall'));
  assert.ok(!text.includes('main.makeKey'));
  const inlined = new Report(heap, 'traces', {});
  const total = parseCollapsed(text).reduce((t, [, v]) => t + v, 0);
  assert.equal(total, inlined.total);
});

test('a diff_base comparison keeps negative values and sums to the net change', () => {
  const si = diff.sampleTypes.findIndex((t) => t.type === 'alloc_space');
  const folded = foldStacks(new Report(diff, 'traces', { sampleIndex: 'alloc_space' }));
  const lines = parseCollapsed(collapsedText(folded));
  let net = 0;
  for (let i = 0; i < diff.samples.count; i++) net += diff.samples.values[i * diff.sampleTypes.length + si]!;
  assert.equal(lines.reduce((t, [, v]) => t + v, 0), net);
  assert.ok(lines.some(([s, v]) => s.endsWith(';main.parseInput') && v < 0));
  assert.ok(folded.negative > 0);
  assert.throws(() => speedscopeFile(folded, { name: 'd', unit: 'bytes', exporter: 't' }), ExportError);
});

test('focus and hide apply to the folded stacks', () => {
  const rpt = new Report(heap, 'traces', { sampleIndex: 'alloc_space', focus: 'main\\.buildTree', hide: 'runtime\\.' });
  const lines = parseCollapsed(collapsedText(foldStacks(rpt)));
  assert.ok(lines.length > 0);
  for (const [s] of lines) {
    assert.ok(s.includes('main.buildTree'), s);
    assert.ok(!s.includes('runtime.'), s);
  }
});

test('speedscope: frames, samples and weights are consistent', () => {
  const rpt = new Report(heap, 'traces', { sampleIndex: 'alloc_space' });
  const folded = foldStacks(rpt);
  const doc = speedscopeFile(folded, { name: 'heap alloc_space', unit: rpt.sampleUnit, exporter: 'test' });
  const prof = doc.profiles[0]!;
  assert.equal(prof.unit, 'bytes');
  assert.equal(prof.samples.length, prof.weights.length);
  assert.equal(prof.endValue, rpt.total);
  assert.equal(prof.weights.reduce((a, b) => a + b, 0), rpt.total);
  const frames = doc.shared.frames;
  const keys = frames.map((f) => `${f.name}|${f.file}|${f.line}`);
  assert.equal(new Set(keys).size, keys.length, 'frames are distinct');
  for (const s of prof.samples) for (const f of s) assert.ok(f >= 0 && f < frames.length);
  const used = new Set(prof.samples.flat());
  assert.equal(used.size, frames.length, 'every frame is used');
  // Root first: no sample starts at a leaf allocator, and the inlined chain reads caller to callee.
  const names = prof.samples.map((s) => s.map((f) => frames[f]!.name).join(';'));
  assert.ok(names.includes('runtime.main;main.main;main.buildIndex;main.makeKey;main.newSmall'));
  for (const s of prof.samples) assert.notEqual(frames[s[0]!]!.name, 'main.newSmall');
  const leaf = frames.find((f) => f.name === 'main.newSmall')!;
  assert.match(leaf.file!, /main\.go$/);
  assert.ok(leaf.line! > 0);
});

test('speedscope units follow the sample unit', () => {
  assert.equal(speedscopeUnit('bytes'), 'bytes');
  assert.equal(speedscopeUnit('nanoseconds'), 'nanoseconds');
  assert.equal(speedscopeUnit('count'), 'none');
  assert.equal(speedscopeUnit(''), 'none');
  const rpt = new Report(mutex, 'traces', {});
  assert.equal(speedscopeFile(foldStacks(rpt), { name: 'm', unit: rpt.sampleUnit, exporter: 't' }).profiles[0]!.unit, 'nanoseconds');
});

test('filteredProfile is the profile itself without filters, and the filtered samples with them', () => {
  assert.equal(filteredProfile(new Report(heap, 'traces', {})), heap);
  const rpt = new Report(heap, 'traces', { focus: 'main\\.buildTree' });
  const p = filteredProfile(rpt);
  assert.equal(p.samples.count, rpt.work.samples.length);
  assert.ok(p.samples.count > 0 && p.samples.count < heap.samples.count);
  const n = p.sampleTypes.length;
  for (let t = 0; t < n; t++) {
    let want = 0;
    for (const s of rpt.work.samples) want += heap.samples.values[s * n + t]!;
    let got = 0;
    for (let i = 0; i < p.samples.count; i++) got += p.samples.values[i * n + t]!;
    assert.equal(got, want);
  }
  const again = new Report(p, 'top', { sampleIndex: 'alloc_space' });
  assert.equal(again.total, foldStacks(new Report(heap, 'traces', { sampleIndex: 'alloc_space', focus: 'main\\.buildTree' })).total);
});
