import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeHistory, buckets, MAX_POINTS, type HistoryPoint, type SiteValues, type TargetHistory } from './index.js';

const MiB = 1 << 20;
const T0 = Date.UTC(2026, 11, 6);
const minute = (i: number) => T0 + i * 60_000;

function history(points: HistoryPoint[]): TargetHistory {
  return {
    target: 'http://svc:6060',
    sites: new Map([
      [1, { function: 'main.(*cache).put', file: 'cache.go', line: 19 }],
      [2, { function: 'main.serve', file: 'serve.go', line: 40 }],
      [3, { function: 'main.encode', file: 'enc.go', line: 7 }],
    ]),
    points,
  };
}

const evidence = (f: { evidence: { label: string; value: unknown }[] }, label: string) => f.evidence.find((e) => e.label === label)?.value;

test('buckets: at most MAX_POINTS groups of consecutive points, sizes differing by at most one, nothing lost', () => {
  const day = Array.from({ length: 1440 }, (_, i) => i);
  const groups = buckets(day);
  assert.equal(groups.length, MAX_POINTS);
  assert.deepEqual(new Set(groups.map((g) => g.length)), new Set([24]));
  assert.deepEqual(groups.flat(), day);
  assert.deepEqual(buckets([1, 2, 3]).map((g) => g.length), [1, 1, 1]);
  assert.deepEqual(new Set(buckets(Array.from({ length: 100 }, (_, i) => i)).map((g) => g.length)), new Set([1, 2]));
});

test('heap growth per site over the stored history, by the heap doctor\'s rules; a flat site is not a finding', () => {
  // Site 1 holds 1 MiB more each minute (10 → 19 MiB over 9 minutes), site 2 a flat 50 MiB.
  const points = Array.from({ length: 10 }, (_, i): HistoryPoint => {
    const grow: SiteValues = [(10 + i) * MiB, (10 + i) * 100, (10 + i) * MiB, (10 + i) * 100];
    const flat: SiteValues = [50 * MiB, 1000, 500 * MiB, 10_000];
    return { snapshot: i + 1, atMs: minute(i), intervalMs: 60_000, heap: new Map([[1, grow], [2, flat]]) };
  });
  const { findings, targets } = analyzeHistory([history(points)]);
  assert.deepEqual(targets, [{ target: 'http://svc:6060', snapshots: 10, from: new Date(minute(0)).toISOString(), to: new Date(minute(9)).toISOString() }]);
  assert.equal(findings.length, 1, JSON.stringify(findings.map((f) => f.title)));
  const [f] = findings;
  assert.equal(f!.kind, 'heap-growth');
  assert.deepEqual(f!.location, { function: 'main.(*cache).put', file: 'cache.go', line: 19 });
  assert.deepEqual(f!.evidence[0], { label: 'target', value: 'http://svc:6060' });
  assert.equal(evidence(f!, 'growth per minute'), MiB);
  assert.equal(evidence(f!, 'inuse at the first snapshot'), 10 * MiB);
  assert.equal(evidence(f!, 'inuse at the last snapshot'), 19 * MiB);
});

test('a day of minutely snapshots is fitted over 60 buckets: the growth rate is the same', () => {
  const points = Array.from({ length: 1440 }, (_, i): HistoryPoint => {
    const v: SiteValues = [MiB + i * 64 * 1024, 10 + i, MiB + i * 64 * 1024, 10 + i];
    return { snapshot: i + 1, atMs: minute(i), intervalMs: 60_000, heap: new Map([[1, v]]) };
  });
  const [f] = analyzeHistory([history(points)]).findings;
  assert.equal(f!.kind, 'heap-growth');
  // 64 KiB a minute, exactly: bucket means of a straight line lie on the same line.
  assert.ok(Math.abs((evidence(f!, 'growth per minute') as number) - 64 * 1024) < 1e-6);
});

test('goroutine growth: a steady climb is a finding with its rate per hour, a noisy flat count is not', () => {
  const climbing = Array.from({ length: 12 }, (_, i): HistoryPoint => ({ snapshot: i, atMs: minute(10 * i), intervalMs: 0, goroutines: 100 + 5 * i }));
  const [f] = analyzeHistory([history(climbing)]).findings;
  assert.equal(f!.kind, 'goroutine-leak');
  assert.equal(f!.severity, 'medium');
  assert.equal(evidence(f!, 'goroutines at the start'), 100);
  assert.equal(evidence(f!, 'goroutines at the end'), 155);
  assert.equal(evidence(f!, 'growth per hour'), 30);
  const flat = climbing.map((p, i) => ({ ...p, goroutines: 100 + (i % 2 ? 15 : -15) }));
  assert.deepEqual(analyzeHistory([history(flat)]).findings, []);
});

test('GC CPU share rising: the since-start figures at both ends and cycles per minute in each half', () => {
  const numGc = [0, 10, 20, 40, 80];
  const points = numGc.map((n, i): HistoryPoint => ({ snapshot: i, atMs: minute(i), intervalMs: 60_000, gcCpuFraction: 0.01 + 0.01 * i, numGc: n }));
  const [f] = analyzeHistory([history(points)]).findings;
  assert.equal(f!.kind, 'gc-pressure');
  assert.equal(f!.severity, 'low');
  assert.equal(evidence(f!, 'GC CPU share since start, at the last snapshot'), 0.05);
  assert.equal(evidence(f!, 'GC cycles per minute, earlier half'), 10);
  assert.equal(evidence(f!, 'GC cycles per minute, later half'), 30);
  const steady = points.map((p) => ({ ...p, gcCpuFraction: 0.05 }));
  assert.deepEqual(analyzeHistory([history(steady)]).findings, []);
});

test('allocation hot spots: a site new in the later half is one; a site as hot as before is not', () => {
  const points = Array.from({ length: 8 }, (_, i): HistoryPoint => {
    const allocs = new Map<number, SiteValues>([[2, [0, 0, 2 * MiB, 100]]]);
    if (i >= 4) allocs.set(3, [0, 0, 10 * MiB, 500]);
    return { snapshot: i, atMs: minute(i), intervalMs: 60_000, allocs };
  });
  const findings = analyzeHistory([history(points)]).findings;
  assert.equal(findings.length, 1, JSON.stringify(findings.map((f) => f.title)));
  const [f] = findings;
  assert.equal(f!.kind, 'allocation-churn');
  assert.match(f!.title, /^New allocation hot spot .*main\.encode:7$/);
  assert.equal(evidence(f!, 'allocated per minute, later half'), 10 * MiB);
  assert.equal(evidence(f!, 'allocated per minute, earlier half'), 0);
  assert.equal(evidence(f!, "share of the later half's allocation"), 10 / 12);
  assert.equal(f!.severity, 'medium');
});
