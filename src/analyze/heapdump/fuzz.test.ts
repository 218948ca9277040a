import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FormatError } from '../../formats/errors.js';
import { decodeHeapDump } from '../../formats/heapdump/index.js';
import { bytesAccess } from '../../formats/random-access.js';
import { FootprintError } from '../../model/errors.js';
import { byteMutators, Rng } from '../../testkit/fuzz-mutators.js';
import { readDump, VERSIONS } from '../../testkit/heapdump-fixtures.js';
import { analyzeHeapDump } from './index.js';

/**
 * A seeded mutation fuzzer over the small planted dumps (Go 1.23 and 1.26):
 * every mutated dump must decode and analyse, or fail with a one-line
 * FormatError (a damaged dump, e.g. objects that overlap) — never a
 * TypeError, RangeError or a hang. FOOTPRINT_FUZZ_SEED changes the seed.
 */
const BASE_SEED = Number(process.env['FOOTPRINT_FUZZ_SEED'] ?? 0x23d) >>> 0;
const CASES = Number(process.env['FOOTPRINT_FUZZ_HEAPDUMP_CASES'] ?? 100);
const mutators = Object.entries(byteMutators);

function attempt(bytes: Uint8Array): 'analysed' | 'refused' {
  try {
    analyzeHeapDump(decodeHeapDump(bytesAccess(bytes), { source: 'fuzz.dump' }));
    return 'analysed';
  } catch (err) {
    if (!(err instanceof FootprintError)) throw err;
    assert.ok(err instanceof FormatError, `a FormatError, got ${err.name}`);
    assert.ok(!err.describe().includes('\n'), `one line: ${err.describe()}`);
    return 'refused';
  }
}

for (const version of VERSIONS) {
  test(`${version}: ${CASES} mutated small dumps analyse or fail with a FormatError`, { timeout: 120_000 }, () => {
    const dump = readDump(version, 'small');
    const seen = { analysed: 0, refused: 0 };
    for (let c = 0; c < CASES; c++) {
      const r = new Rng(BASE_SEED + c + (version === 'go1.23' ? 0 : 1e6));
      const [name, mutate] = r.pick(mutators);
      const m = mutate(dump, r);
      try {
        seen[attempt(m.bytes)]++;
      } catch (err) {
        assert.fail(`${version} case ${c} (seed ${r.seed}, ${name}: ${m.desc}): ${String(err)}`);
      }
    }
    assert.ok(seen.analysed > 0 && seen.refused > 0, `both outcomes happen: ${JSON.stringify(seen)}`);
  });
}
