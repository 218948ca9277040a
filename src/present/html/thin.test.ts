import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prng } from '../../testkit/prng.js';
import { thinBands, thinMarkers, thinPoints } from './thin.js';

const BUCKETS = 100;
const bucket = (x: number, xMax: number) => Math.min(BUCKETS - 1, Math.floor((x * BUCKETS) / xMax));

test('a thinned line keeps, in every column, the same first, lowest, highest and last point', () => {
  const rnd = prng(7);
  const points: [number, number][] = Array.from({ length: 50_000 }, (_, i) => [i / 10, Math.round(rnd() * 1000)]);
  const xMax = points.at(-1)![0];
  const thin = thinPoints(points, xMax, BUCKETS);
  assert.ok(thin.length <= 4 * BUCKETS, `${thin.length} points`);
  const byColumn = (pts: readonly [number, number][]) => {
    const out = new Map<number, { first: number; last: number; lo: number; hi: number }>();
    for (const [x, y] of pts) {
      const c = out.get(bucket(x, xMax));
      if (!c) out.set(bucket(x, xMax), { first: y, last: y, lo: y, hi: y });
      else Object.assign(c, { last: y, lo: Math.min(c.lo, y), hi: Math.max(c.hi, y) });
    }
    return out;
  };
  assert.deepEqual(byColumn(thin), byColumn(points));
  for (let i = 1; i < thin.length; i++) assert.ok(thin[i]![0] >= thin[i - 1]![0], 'still in x order');
  const few: [number, number][] = [[0, 1], [1, 2]];
  assert.equal(thinPoints(few, 1, BUCKETS), few, 'a line the plot can show is drawn as it is');
});

test('thinned markers keep the tallest of each column and say how many it stands for', () => {
  const markers = Array.from({ length: 1000 }, (_, i) => ({ x: i, size: (i * 37) % 101, title: `m${i}` }));
  const thin = thinMarkers(markers, 999, BUCKETS);
  assert.equal(thin.length, BUCKETS);
  for (const m of thin) {
    const column = markers.filter((o) => bucket(o.x, 999) === bucket(m.x, 999));
    assert.equal(m.size, Math.max(...column.map((o) => o.size)));
    assert.match(m.title, new RegExp(`the longest of ${column.length} here`));
  }
});

test('thinned bands span their column, as opaque as the share of it they cover', () => {
  // 1,000 bands of 0.5 wide, one every 1.0: each column spans 9.5 units, 5 of them covered.
  type B = { x0: number; x1: number; title: string; opacity?: number };
  const bands: B[] = Array.from({ length: 1000 }, (_, i) => ({ x0: i, x1: i + 0.5, title: `b${i}` }));
  const thin = thinBands(bands, 1000, BUCKETS, 0.8);
  assert.equal(thin.length, BUCKETS);
  for (const [i, b] of thin.entries()) {
    assert.equal(b.x0, i * 10);
    assert.ok(Math.abs(b.x1 - (i * 10 + 9.5)) < 1e-9);
    assert.ok(Math.abs(b.opacity! - (0.8 * 5) / 9.5) < 1e-9, `opacity ${b.opacity}`);
    assert.match(b.title, /and 9 more here/);
  }
  const sparse = thinBands(Array.from({ length: 1000 }, (_, i): B => ({ x0: i, x1: i + 0.001, title: '' })), 1000, BUCKETS, 0.8);
  assert.ok(sparse.every((b) => b.opacity === 0.2), 'never fainter than a quarter of the bands\' own opacity');
});
