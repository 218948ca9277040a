import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProfileBuilder } from '../model/builder.js';
import type { Profile } from '../model/profile.js';
import { prng } from '../testkit/prng.js';
import { peekReport } from './peek.js';
import { Report } from './report.js';
import { topReport } from './top.js';

const FUNCTIONS = ['main.a', 'main.b', 'main.c', 'main.d', 'main.e', 'main.f'];

interface Sample {
  /** Function indexes, leaf first; a function may recur (pprof counts it once in cum). */
  stack: number[];
  value: bigint;
}

/** A seeded random int64 in [-2^62, 2^62]: mostly past 2^53, some small, some negative. */
function randomValue(next: () => number): bigint {
  const big = BigInt(Math.floor(next() * 2 ** 31)) * 2n ** 31n + BigInt(Math.floor(next() * 2 ** 31));
  const v = next() < 0.2 ? BigInt(Math.floor(next() * 1000)) : big;
  return next() < 0.3 ? -v : v;
}

function randomSamples(seed: number, count: number): Sample[] {
  const next = prng(seed);
  return Array.from({ length: count }, () => ({
    stack: Array.from({ length: 1 + Math.floor(next() * 5) }, () => Math.floor(next() * FUNCTIONS.length)),
    value: randomValue(next),
  }));
}

function profileOf(samples: readonly Sample[]): Profile {
  const b = new ProfileBuilder({ sampleTypes: [{ type: 'delay', unit: 'count' }] });
  const locs = FUNCTIONS.map((name, i) => b.addLocation(-1, 0n, [{ fn: b.addFunction(name, name, 'main.go', i), line: 10 + i }]));
  for (const s of samples) b.addSample(s.stack.map((f) => locs[f]!), [Number(s.value)], [], [s.value]);
  return b.build();
}

/** What pprof computes in int64 (these sums stay far from its limits), the slow and obvious way. */
function bruteForce(samples: readonly Sample[]) {
  const flat = new Map<string, bigint>();
  const cum = new Map<string, bigint>();
  const edges = new Map<string, bigint>();
  const add = (m: Map<string, bigint>, k: string, v: bigint) => m.set(k, (m.get(k) ?? 0n) + v);
  let total = 0n;
  for (const { stack, value } of samples) {
    total += value < 0n ? -value : value;
    add(flat, FUNCTIONS[stack[0]!]!, value);
    for (const f of new Set(stack)) add(cum, FUNCTIONS[f]!, value);
    const seen = new Set<string>();
    for (let i = stack.length - 1; i > 0; i--) {
      const key = `${FUNCTIONS[stack[i]!]}>${FUNCTIONS[stack[i - 1]!]}`;
      if (stack[i] !== stack[i - 1] && !seen.has(key)) add(edges, key, value);
      seen.add(key);
    }
  }
  return { flat, cum, edges, total };
}

test('sums past 2^53 come out as the doubles nearest the exact int64 sums, as pprof prints them', () => {
  for (const seed of [1, 2, 3]) {
    const samples = randomSamples(seed, 400);
    const want = bruteForce(samples);
    const rpt = new Report(profileOf(samples), 'top', { nodeFraction: 0 });
    assert.equal(rpt.total, Number(want.total), `seed ${seed}: total`);
    const top = topReport(rpt);
    assert.equal(top.rows.length, FUNCTIONS.length);
    let running = 0n;
    for (const row of top.rows) {
      assert.equal(row.flat, Number(want.flat.get(row.name) ?? 0n), `seed ${seed}: flat of ${row.name}`);
      assert.equal(row.cum, Number(want.cum.get(row.name)), `seed ${seed}: cum of ${row.name}`);
      running += want.flat.get(row.name) ?? 0n;
      assert.equal(row.sumPercent, Math.abs(Number(running) / Number(want.total)) * 100, `seed ${seed}: sum% at ${row.name}`);
    }
    const peek = peekReport(new Report(profileOf(samples), 'peek', { nodeFraction: 0, edgeFraction: 0 }), '.');
    for (const entry of peek.entries) {
      for (const c of entry.callees) assert.equal(c.weight, Number(want.edges.get(`${entry.name}>${c.name}`)), `seed ${seed}: ${entry.name} → ${c.name}`);
    }
  }
});

test('the same sums in doubles would have been wrong, so the test above can fail', () => {
  const samples = randomSamples(1, 400);
  let inDoubles = 0;
  for (const s of samples) inDoubles += Math.abs(Number(s.value));
  assert.notEqual(inDoubles, Number(bruteForce(samples).total));
});
