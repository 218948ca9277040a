import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prng } from '../../testkit/prng.js';
import { FormatError } from '../errors.js';
import { goTestTraces, MUTATIONS, traceFixtures } from '../../testkit/trace-fixtures.js';
import { bytesSource, decodeTrace } from './index.js';

/**
 * Seeded mutations of the real traces (bit flips, byte overwrites, cuts,
 * deleted and duplicated chunks). The decoder must return or throw a
 * FormatError — never another error, never hang. FOOTPRINT_FUZZ_SEED and
 * FOOTPRINT_FUZZ_SCALE change the seed and the number of cases.
 */
const SEED = Number(process.env['FOOTPRINT_FUZZ_SEED'] ?? 0x7ace) >>> 0;
const CASES_PER_FIXTURE = 60 * Number(process.env['FOOTPRINT_FUZZ_SCALE'] ?? 1);
/** A hang guard, not a speed check: a fixture decodes in well under a second. */
const MAX_CASE_MS = 5000;

// Go's own small test traces bring the 1.22 and 1.25 formats and odd corners; a few cases each are enough.
const GO_TEST_TRACES = goTestTraces().filter((_, i) => i % 4 === 0);

for (const f of [...traceFixtures(), ...GO_TEST_TRACES]) {
  test(`fuzz ${f.name}: mutated traces decode or fail with a FormatError`, () => {
    // Mutating the first megabyte keeps the test quick; the structure there is the same as later.
    const base = f.bytes.subarray(0, 1 << 20);
    const names = Object.keys(MUTATIONS);
    for (let i = 0; i < CASES_PER_FIXTURE; i++) {
      const seed = SEED + i;
      const rnd = prng(seed);
      const int = (n: number) => Math.floor(rnd() * n);
      const name = names[int(names.length)]!;
      const mutated = MUTATIONS[name]!(base, int);
      const started = Date.now();
      try {
        decodeTrace(bytesSource(mutated), { event() {} }, { source: 'fuzz', chunkSize: 1 + int(70000) });
      } catch (err) {
        if (!(err instanceof FormatError)) assert.fail(`${f.name} seed ${seed} ${name}: ${String((err as Error).stack)}`);
        assert.ok(!err.describe().includes('\n'), 'a one-line message');
      }
      assert.ok(Date.now() - started < MAX_CASE_MS, `${f.name} seed ${seed} ${name} took too long`);
    }
  });
}
