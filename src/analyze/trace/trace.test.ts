import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import assert from 'node:assert/strict';
import { goTestTraces, traceFixtures, type TraceFixture } from '../../testkit/trace-fixtures.js';
import { bytesSource } from '../../formats/trace/index.js';
import { analyzeTrace } from './index.js';
import { TRACE_THRESHOLDS, traceFindings } from './findings.js';
import { mmu } from './mmu.js';
import { UtilizationTracker } from './utilization.js';
import type { TraceRun } from './run.js';
import { decodeTrace } from '../../formats/trace/index.js';
import type { TraceAnalysis } from './types.js';

const GC_RANGE = 'GC concurrent mark phase';

/** GC cycles as go tool trace -d=1 shows them: begins (and an Active before any begin), and ends. */
function goldenCycles(f: TraceFixture): { starts: number[]; ends: number[] } {
  const starts: number[] = [];
  const ends: number[] = [];
  for (const r of f.ranges.filter((r) => r.name === GC_RANGE)) {
    // Later generations repeat Active for a cycle already running; only one before any other record starts a cycle.
    if (r.edge === 'Begin' || (r.edge === 'Active' && starts.length === 0 && ends.length === 0)) starts.push(r.time);
    if (r.edge === 'End') ends.push(r.time);
  }
  return { starts, ends };
}

function goldenStw(f: TraceFixture): { start: number; end: number; name: string }[] {
  const out: { start: number; end: number; name: string }[] = [];
  const open = new Map<string, number>();
  for (const r of f.ranges.filter((r) => r.name.startsWith('stop-the-world'))) {
    if (r.edge === 'Begin') open.set(r.name, r.time);
    if (r.edge === 'End' && open.has(r.name)) {
      out.push({ start: open.get(r.name)!, end: r.time, name: r.name });
      open.delete(r.name);
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

const analyses = new Map<string, TraceAnalysis>();
function analysis(f: TraceFixture): TraceAnalysis {
  let a = analyses.get(f.name);
  if (a === undefined) {
    a = analyzeTrace(bytesSource(f.bytes), { source: f.name });
    analyses.set(f.name, a);
  }
  return a;
}

for (const f of traceFixtures()) {
  test(`${f.name}: GC cycles and their times agree with go tool trace -d=1`, () => {
    const a = analysis(f);
    const golden = goldenCycles(f);
    assert.ok(golden.starts.length > 0);
    assert.deepEqual(
      a.gc.cycles.map((c) => c.startNs),
      golden.starts,
    );
    assert.deepEqual(
      a.gc.cycles.filter((c) => c.endNs !== null).map((c) => c.endNs),
      golden.ends,
    );
  });

  test(`${f.name}: stop-the-world pauses and reasons agree with go tool trace -d=1`, () => {
    const a = analysis(f);
    const mine = a.gc.stw.map((p) => ({ start: p.startNs, end: p.endNs, name: `stop-the-world (${p.reason})` })).sort((x, y) => x.start - y.start);
    assert.deepEqual(mine, goldenStw(f));
  });

  test(`${f.name}: each complete GC cycle has its sweep- and mark-termination pauses`, () => {
    const a = analysis(f);
    const complete = a.gc.cycles.filter((c) => c.endNs !== null && !c.startedBeforeTrace);
    assert.ok(complete.length > 0);
    for (const c of complete) {
      assert.deepEqual(c.pauses.map((p) => p.reason), ['GC sweep termination', 'GC mark termination'], `cycle at ${c.startNs}`);
      for (const p of c.pauses) assert.ok(p.startNs >= c.startNs && p.startNs <= c.endNs! && p.durationNs > 0);
    }
  });

  test(`${f.name}: the report's parts are consistent with each other`, () => {
    const a = analysis(f);
    assert.deepEqual(a.eventCounts, f.counts);
    assert.equal(a.gc.pausesMs.count, a.gc.stw.length);
    assert.equal(a.goroutines.created, (f.counts['GoCreate'] ?? 0) + (f.counts['GoCreateBlocked'] ?? 0) + (f.counts['GoCreateSyscall'] ?? 0));
    assert.equal(a.goroutines.aliveAtEnd, a.goroutines.atStart + a.goroutines.created - a.goroutines.ended);
    assert.equal(a.gc.sweep.count, f.counts['GCSweepEnd'] ?? 0);
    const assists = a.gc.assists.byGoroutine.reduce((s, g) => s + g.count, 0);
    assert.ok(assists <= (f.counts['GCMarkAssistEnd'] ?? 0) + (f.counts['GCMarkAssistActive'] ?? 0));
    assert.ok(a.heap.peakAllocBytes > 0 && a.heap.alloc.length > 0 && a.heap.alloc.length <= 2048);
    for (const m of a.mmu) assert.ok(m.mmu >= 0 && m.mmu <= 1, `${m.windowNs}: ${m.mmu}`);
    // A wider window can only average more: the MMU curve never falls.
    for (let i = 1; i < a.mmu.length; i++) assert.ok(a.mmu[i]!.mmu >= a.mmu[i - 1]!.mmu - 1e-12);
  });
}

/** go tool trace prints the curve through encoding/json: shortest round-trip floats, so agreement is to float rounding. */
const MMU_TOLERANCE = 1e-9;

for (const f of traceFixtures()) {
  test(`${f.name}: MMU agrees with go tool trace's MMU plot at all its window sizes`, () => {
    const run: TraceRun = { firstGen: null };
    const util = new UtilizationTracker(run);
    const result = decodeTrace(bytesSource(f.bytes), {
      generation: (gen) => void (run.firstGen ??= gen),
      event: (e) => util.event(e),
    });
    const { times, utils } = util.finish(result.lastNs!);
    assert.ok(f.mmuPlot.curve.length > 0);
    // The plot covers six orders of magnitude from xMin, cut at the span of Go's utilization function: the same span as ours.
    assert.equal(f.mmuPlot.xMax, Math.min(f.mmuPlot.xMin * 1e6, times[times.length - 1]! - times[0]!));
    for (const [window, expected] of f.mmuPlot.curve) {
      const mine = mmu(times, utils, window);
      assert.ok(mine !== null && Math.abs(mine - expected) <= MMU_TOLERANCE, `window ${window} ns: go ${expected}, footprint ${mine}`);
    }
  });
}

test("Go's own test traces (1.22, 1.23, 1.25; starting at later generations; syscall corners) analyse without error", () => {
  for (const t of goTestTraces()) {
    const a = analyzeTrace(bytesSource(t.bytes), { source: t.name });
    assert.deepEqual(a.eventCounts, t.counts, t.name);
    assert.equal(a.goroutines.aliveAtEnd, a.goroutines.atStart + a.goroutines.created - a.goroutines.ended, t.name);
    assert.equal(a.gc.pausesMs.count, a.gc.stw.length, t.name);
  }
});

/** Traces fetched from a running zoo service (testdata/regen-zoo.sh): goleak has thousands of goroutines before the trace begins. */
function zooTrace(name: string): TraceAnalysis {
  const file = new URL(`../../../testdata/zoo/${name}/trace.out.gz`, import.meta.url).pathname;
  return analyzeTrace(bytesSource(gunzipSync(readFileSync(file))), { source: file });
}

test('a trace of a running service: goroutines alive before it count from its first moment, and every goroutine has a name', () => {
  const a = zooTrace('goleak');
  const g = a.goroutines;
  assert.ok(g.atStart > 1000, `thousands of goroutines before the trace (${g.atStart})`);
  assert.ok(g.alive[0]!.min >= g.atStart - g.ended, `the curve starts at the goroutines alive (${g.alive[0]!.min}), not near 0`);
  const last = g.alive[g.alive.length - 1]!.last;
  assert.equal(last, g.aliveAtEnd, 'and ends at the count alive at the end');
  assert.equal(g.maxAlive, Math.max(...g.alive.map((p) => p.max)));
  for (const named of [g.longestLived, a.gc.assists.byGoroutine]) {
    assert.ok(named.length > 0);
    assert.deepEqual(named.filter((x) => x.function === '').map((x) => x.goroutine), [], 'every goroutine named by its function');
  }
});

test('mark assists are drawn by the time they took: the intervals add up to the assist total', () => {
  for (const name of ['goleak', 'gcpressure']) {
    const a = zooTrace(name);
    const busy = a.gc.assists.activity.reduce((s, iv) => s + iv.busyNs, 0);
    assert.ok(Math.abs(busy - a.gc.assists.totalMs * 1e6) <= 1, `${name}: ${busy} ns in the intervals, ${a.gc.assists.totalMs * 1e6} in the total`);
    for (const iv of a.gc.assists.activity) assert.ok(iv.busyNs <= iv.widthNs * (a.gomaxprocs ?? 1) + 1, 'never more than GOMAXPROCS × the interval');
  }
});

test('assist findings: medium or high on a trace that can show them, low on one with too few GC cycles', () => {
  const a = zooTrace('gcpressure');
  const busiest = a.gc.assists.byGoroutine[0]!;
  const assisting = (share: number) => ({ ...busiest, shareOfWall: share });
  const kinds = (s: TraceAnalysis) => traceFindings(s).filter((f) => f.kind === 'gc-assist-heavy').map((f) => f.severity);
  const withShare = (share: number, over: Partial<TraceAnalysis> = {}, cycles = a.gc.cycles) =>
    ({ ...a, ...over, gc: { ...a.gc, cycles, assists: { ...a.gc.assists, byGoroutine: [assisting(share)] } } }) as TraceAnalysis;
  assert.ok(a.gc.cycles.length >= TRACE_THRESHOLDS.busyMinCycles, 'the fixture can show assists');
  assert.deepEqual(kinds(withShare(TRACE_THRESHOLDS.assistShareMedium / 2)), []);
  assert.deepEqual(kinds(withShare(TRACE_THRESHOLDS.assistShareMedium)), ['medium']);
  assert.deepEqual(kinds(withShare(TRACE_THRESHOLDS.assistShareHigh)), ['high']);
  // Two GC cycles: one slow assist on a busy machine would make the share; it stays, as low.
  assert.deepEqual(kinds(withShare(TRACE_THRESHOLDS.assistShareHigh, {}, a.gc.cycles.slice(0, TRACE_THRESHOLDS.busyMinCycles - 1))), ['low']);
});
