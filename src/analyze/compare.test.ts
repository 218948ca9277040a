import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeProfile } from '../formats/index.js';
import { Report } from '../report/report.js';
import { topReport } from '../report/top.js';
import { compareFindings, compareHeadlines, regressions, SIZE_CHANGE } from './compare.js';
import type { Finding } from './finding.js';
import { analyzeHeap, compareHeapRuns, heapHeadlines } from './heap/index.js';

function finding(kind: Finding['kind'], severity: Finding['severity'], fn: string | undefined, evidence: Finding['evidence'], line?: number): Finding {
  return {
    kind,
    severity,
    title: `${kind} at ${fn ?? 'the process'}`,
    ...(fn ? { location: { function: fn, file: 'main.go', ...(line !== undefined ? { line } : {}) } } : {}),
    evidence,
    advice: 'fix it',
  };
}

test('findings are matched by kind and function, and each gets its fate: new, gone, worse, better, grew, shrank, same', () => {
  const bytes = (label: string, value: number) => ({ label, value, unit: 'bytes' as const });
  const before = [
    finding('heap-growth', 'medium', 'main.put', [bytes('grew by', 100)]),
    finding('allocation-churn', 'high', 'main.encode', [bytes('allocated', 1000)]),
    finding('allocation-churn', 'low', 'main.format', [bytes('allocated', 1000)]),
    finding('allocation-churn', 'low', 'main.parse', [bytes('allocated', 1000)]),
    finding('gc-pressure', 'low', undefined, [{ label: 'GC CPU', value: 0.1, unit: 'fraction' }]),
    finding('large-object-retention', 'medium', 'main.read', [bytes('inuse', 10)]),
  ];
  const after = [
    finding('heap-growth', 'high', 'main.put', [bytes('grew by', 100)]),
    finding('allocation-churn', 'medium', 'main.encode', [bytes('allocated', 1000)]),
    finding('allocation-churn', 'low', 'main.format', [bytes('allocated', 1000 * (1 + 2 * SIZE_CHANGE))]),
    finding('allocation-churn', 'low', 'main.parse', [bytes('allocated', 1000 * (1 + SIZE_CHANGE / 2))]),
    finding('gc-pressure', 'low', undefined, [{ label: 'GC CPU', value: 0.05, unit: 'fraction' }]),
    finding('goroutine-leak', 'medium', 'main.wait', []),
  ];
  const changes = compareFindings(before, after);
  const fate = Object.fromEntries(changes.map((c) => [`${c.kind} ${c.function ?? ''}`, c.change]));
  assert.deepEqual(fate, {
    'heap-growth main.put': 'worse',
    'allocation-churn main.encode': 'better',
    'allocation-churn main.format': 'grew',
    'allocation-churn main.parse': 'same',
    'gc-pressure ': 'shrank',
    'large-object-retention main.read': 'gone',
    'goroutine-leak main.wait': 'new',
  });
  // Regressions first, then improvements, then the unchanged; within a kind of change, by severity.
  assert.deepEqual(
    changes.map((c) => c.change),
    ['new', 'worse', 'grew', 'gone', 'better', 'shrank', 'same'],
  );
  const grew = changes.find((c) => c.change === 'grew')!;
  assert.deepEqual(grew.size, { label: 'allocated', unit: 'bytes', before: 1000, after: 1000 * (1 + 2 * SIZE_CHANGE), relative: 2 * SIZE_CHANGE });
  assert.deepEqual(
    regressions(changes).map((f) => f.location?.function),
    ['main.wait', 'main.put'],
    'new and worse are what a gate fails on',
  );
});

test('several findings of one kind at one function: each pairs with the most alike (same line, then shared names)', () => {
  const state = (s: string) => ({ label: 'state', value: s });
  const before = [finding('goroutine-leak', 'medium', 'main.wait', [state('select')], 10), finding('goroutine-leak', 'medium', 'main.wait', [state('chan receive')], 20)];
  const after = [finding('goroutine-leak', 'high', 'main.wait', [state('chan receive')], 21), finding('goroutine-leak', 'medium', 'main.wait', [state('select')], 10)];
  const changes = compareFindings(before, after);
  assert.deepEqual(
    changes.map((c) => [c.change, c.before?.location?.line, c.after?.location?.line]),
    [
      ['worse', 20, 21],
      ['same', 10, 10],
    ],
  );
  assert.deepEqual(compareFindings([], before).map((c) => c.change), ['new', 'new']);
  assert.deepEqual(compareFindings(before, []).map((c) => c.change), ['gone', 'gone']);
});

test('headlines pair by label; a figure one side cannot give is null, and so are its delta and relative change', () => {
  const h = compareHeadlines(
    [
      { label: 'heap in use', value: 100, unit: 'bytes' },
      { label: 'Sys', value: 400, unit: 'bytes' },
      { label: 'GC CPU', value: 0, unit: 'fraction' },
    ],
    [
      { label: 'heap in use', value: 150, unit: 'bytes' },
      { label: 'GC CPU', value: 0.2, unit: 'fraction' },
      { label: 'HeapInuse', value: 120, unit: 'bytes' },
    ],
  );
  assert.deepEqual(h, [
    { label: 'heap in use', unit: 'bytes', before: 100, after: 150, delta: 50, relative: 0.5 },
    { label: 'Sys', unit: 'bytes', before: 400, after: null, delta: null, relative: null },
    { label: 'GC CPU', unit: 'fraction', before: 0, after: 0.2, delta: 0.2, relative: null },
    { label: 'HeapInuse', unit: 'bytes', before: null, after: 120, delta: null, relative: null },
  ]);
});

const TESTDATA = new URL('../../testdata/', import.meta.url).pathname;

test('two runs of the diff program: heap in use is each profile\'s pprof total, and the compress churn only the first run has is gone', () => {
  const read = (name: string) => {
    const profile = decodeProfile(readFileSync(`${TESTDATA}go1.26/diff/${name}`), name);
    return { profile, source: name, analysis: analyzeHeap({ snapshots: [{ profile, source: name, atMs: null }] }) };
  };
  const before = read('before.heap.pb.gz');
  const after = read('after.heap.pb.gz');
  const c = compareHeapRuns(before, after);
  const total = (p: typeof before.profile, index: string) => topReport(new Report(p, 'top', { sampleIndex: index })).total;
  const inUse = c.headlines.find((h) => h.label === 'heap in use')!;
  assert.equal(inUse.before, total(before.profile, 'inuse_space'));
  assert.equal(inUse.after, total(after.profile, 'inuse_space'));
  assert.equal(inUse.delta, inUse.after! - inUse.before!);
  assert.equal(c.headlines.find((h) => h.label === 'allocated since start')!.after, total(after.profile, 'alloc_space'));
  assert.deepEqual(heapHeadlines(before.analysis).map((h) => h.label), c.headlines.map((h) => h.label), 'no MemStats: the profile\'s four figures');
  // testdata/programs/diff: "after" never calls compress's churning path as "before" does.
  assert.deepEqual(
    c.findings.map((f) => [f.change, f.kind, f.function]),
    [['gone', 'allocation-churn', 'main.compress']],
  );
  const reverse = compareHeapRuns(after, before);
  assert.deepEqual(reverse.findings.map((f) => f.change), ['new']);
  assert.deepEqual(reverse.counts, { new: 1, worse: 0, grew: 0, gone: 0, better: 0, shrank: 0, same: 0 });
});
