import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NO_SLOT, SlotTable } from './goroutines.js';
import { Ev, NONE, type TraceEvent } from '../../model/trace.js';
import { mmu } from './mmu.js';
import { UtilizationTracker } from './utilization.js';
import { DownsampledSeries } from './series.js';

// Utilization 1 on [0,10), 0 on [10,12), 1 on [12,20), closed at 20.
const times = new Float64Array([0, 10, 12, 20]);
const utils = new Float64Array([1, 0, 1, 0]);

test('MMU of a hand-made step function: the worst window holds as much of the dip as it can', () => {
  // A window of 2 fits inside the dip: nothing left for the program.
  assert.equal(mmu(times, utils, 2), 0);
  // A window of 4 holds the 2-wide dip and 2 units of full utilization, wherever it is placed over the dip.
  assert.equal(mmu(times, utils, 4), 0.5);
  // A window of 10 holds the dip and 8 units around it.
  assert.equal(mmu(times, utils, 10), 0.8);
  // A window wider than the trace is cut to it: the mean over [0,20] is 18/20.
  assert.equal(mmu(times, utils, 100), 0.9);
  // A function with one point has no windows.
  assert.equal(mmu(new Float64Array([5]), new Float64Array([1]), 1), null);
});

test('downsampled series: bounded bucket count, and the extremes survive merging', () => {
  const s = new DownsampledSeries(16);
  for (let t = 0; t < 100_000; t++) s.add(t * 1000, t === 77_777 ? 1e9 : t % 10);
  const pts = s.points();
  assert.ok(pts.length <= 16, `${pts.length} buckets`);
  assert.equal(Math.max(...pts.map((p) => p.max)), 1e9);
  assert.equal(Math.min(...pts.map((p) => p.min)), 0);
  // Buckets are in time order and the last one ends with the last value added.
  for (let i = 1; i < pts.length; i++) assert.ok(pts[i]!.t > pts[i - 1]!.t);
  assert.equal(pts[pts.length - 1]!.last, 99_999 % 10);
});

test('goroutine slot table agrees with a Map through growth, deletions, put-if-absent and colliding IDs', () => {
  let seed = 7;
  const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  // Small and large ID ranges; the last one has IDs whose low 32 bits collide.
  const ids: ((i: number) => number)[] = [() => random(50), () => random(100_000), () => random(1000) * 2 ** 32 + random(7)];
  for (const id of ids) {
    const table = new SlotTable();
    const map = new Map<number, number>();
    for (let i = 0; i < 100_000; i++) {
      const g = id(i);
      const op = random(4);
      if (op === 0) {
        const slot = random(1_000_000);
        table.set(g, slot);
        map.set(g, slot);
      } else if (op === 3) {
        const slot = random(1_000_000);
        assert.equal(table.putIfAbsent(g, slot), map.get(g) ?? NO_SLOT);
        if (!map.has(g)) map.set(g, slot);
      } else if (op === 1) {
        assert.equal(table.delete(g), map.get(g) ?? NO_SLOT);
        map.delete(g);
      } else assert.equal(table.get(g), map.get(g) ?? NO_SLOT);
      assert.equal(table.size, map.size);
    }
    assert.deepEqual(new Map(table.entries()), map);
  }
});

test('MMU tracker: a corrupt GOMAXPROCS (NONE, or absurdly many Ps) is ignored, not sized into arrays', () => {
  const util = new UtilizationTracker({ firstGen: 1 });
  const event = (type: number, time: number, p: number, arg: number): TraceEvent => ({
    type,
    time,
    m: 1,
    g: 5,
    p,
    args: Float64Array.from([arg, 0, 0, 0]),
    gen: 1,
    string: () => '',
    stackFunction: () => '',
    stackFunctions: () => [],
  });
  util.event(event(Ev.ProcsChange, 10, 0, 2));
  util.event(event(Ev.ProcsChange, 20, 0, NONE));
  util.event(event(Ev.ProcsChange, 30, 0, 2 ** 40));
  util.event(event(Ev.GCSweepBegin, 40, 1, 0));
  util.event(event(Ev.GCSweepEnd, 50, 1, 0));
  const { times, utils } = util.finish(60);
  // Two Ps throughout: one sweeping from 40 to 50 halves the utilization.
  assert.deepEqual([...times], [10, 40, 50, 61]);
  assert.deepEqual([...utils], [1, 0.5, 1, 0]);
});
