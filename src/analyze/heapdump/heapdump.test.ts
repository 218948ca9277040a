import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeHeapDump } from '../../formats/heapdump/index.js';
import { bytesAccess } from '../../formats/random-access.js';
import { WrongInputError } from '../../model/errors.js';
import { symbolNamed } from '../../model/symbols.js';
import { expectedBytes, plantedProblems, readDump, readPlanted, readSymbols, SCALES, VERSIONS } from '../../testkit/heapdump-fixtures.js';
import { analyzeHeapDump, RETAINED_BY_THRESHOLDS } from './index.js';
import { solve } from './solve.js';

/**
 * The planted program's dumps (testdata/programs/heapdump, Go 1.23 and 1.26,
 * at two scales): every retainer it planted is found under its root with
 * exactly the bytes it allocated (in the runtime's size classes), the chain
 * from the root reaches the planted object, garbage stays out.
 */
const ALL = Number.MAX_SAFE_INTEGER;

for (const version of VERSIONS) {
  const symbols = readSymbols(version);
  for (const scale of SCALES) {
    const dump = decodeHeapDump(bytesAccess(readDump(version, scale)));
    const report = readPlanted(version, scale);

    test(`${version} ${scale}: every planted retainer, its bytes, objects, chain and allocation site`, () => {
      assert.equal(dump.params.goVersion, report.goVersion);
      const a = analyzeHeapDump(dump, { symbols, top: ALL });
      assert.deepEqual(plantedProblems(a, report), []);
      assert.equal(a.dump.globals, 'symbols');
    });

    test(`${version} ${scale}: garbage is unreachable and in no retained set`, () => {
      const s = solve(dump, undefined);
      const garbage = report.planted.find((p) => p.kind === 'garbage')!;
      for (const address of [garbage.object!, garbage.buffer!]) {
        const object = s.g.index.objectAt(Number(address));
        assert.ok(object >= 0, `${address} is an object of the dump`);
        assert.equal(s.reach.parentEdge[s.g.objectBase + object], -1, `${address} is unreachable`);
        assert.equal(s.tree.idom[s.g.objectBase + object], -1, `${address} is in no dominator subtree`);
      }
    });

    test(`${version} ${scale}: without the binary, globals are named by their address and keep the same bytes`, () => {
      const a = analyzeHeapDump(dump, { top: ALL });
      assert.equal(a.dump.globals, 'addresses');
      const header = report.planted.find((p) => p.root === 'main.header')!;
      const at = symbols.address[symbolNamed(symbols, 'main.header')]!;
      const r = a.retainers.find((x) => x.root.address === `0x${at.toString(16)}`);
      assert.ok(r, 'a retainer at main.header’s address');
      assert.match(r.root.name, /^bss\+0x[0-9a-f]+$/);
      assert.equal(r.retainedBytes, expectedBytes(header));
      assert.ok(a.notes.some((n) => n.includes('--binary')));
    });
  }

  test(`${version}: the binary of the other Go version is refused, naming what does not match`, () => {
    const other = readSymbols(version === 'go1.23' ? 'go1.26' : 'go1.23');
    const dump = decodeHeapDump(bytesAccess(readDump(version, 'small')));
    assert.throws(() => analyzeHeapDump(dump, { symbols: other, binary: 'other' }), (e: unknown) => e instanceof WrongInputError && /not the executable that wrote the dump/.test(e.describe()));
  });
}

test('retained-by findings: the planted 4 MiB sub-slice is medium with the pin advice; shares follow the thresholds', () => {
  const dump = decodeHeapDump(bytesAccess(readDump('go1.26', 'heap')));
  const a = analyzeHeapDump(dump, { symbols: readSymbols('go1.26') });
  const header = a.findings.find((f) => f.title.startsWith('main.header '))!;
  const r = a.retainers.find((x) => x.root.name === 'main.header')!;
  assert.equal(header.severity, r.share >= RETAINED_BY_THRESHOLDS.high ? 'high' : r.share >= RETAINED_BY_THRESHOLDS.medium ? 'medium' : 'low');
  assert.equal(header.location?.function, 'main.readHeader');
  assert.match(header.advice, /100 bytes into a 4 MiB object/);
  for (const f of a.findings) {
    const share = f.evidence.find((e) => e.label === 'share of the reachable heap')!.value as number;
    const bytes = f.evidence.find((e) => e.label === 'retained')!.value as number;
    assert.ok(share >= RETAINED_BY_THRESHOLDS.low && bytes >= RETAINED_BY_THRESHOLDS.minBytes, f.title);
  }
  const unflagged = a.retainers.filter((x) => x.share >= RETAINED_BY_THRESHOLDS.low && x.retainedBytes >= RETAINED_BY_THRESHOLDS.minBytes);
  assert.equal(a.findings.length, unflagged.length, 'one finding per retainer over the thresholds');
});

test('the pruned tree: parents come first, a ring is one run, nothing below the share limit is drawn', () => {
  const dump = decodeHeapDump(bytesAccess(readDump('go1.26', 'heap')));
  const a = analyzeHeapDump(dump, { symbols: readSymbols('go1.26') });
  a.tree.forEach((n, i) => assert.ok(n.parent < i, `node ${i} comes after its parent`));
  const ring = a.tree.findIndex((n) => n.label === 'main.ring');
  const run = a.tree.find((n) => n.kind === 'run' && a.tree[a.tree[n.parent]!.parent]?.parent === ring);
  assert.ok(run, 'the ring of 1,000 nodes is drawn as a run under main.ring');
  assert.equal(run.retainedObjects, 998);
  for (const n of a.tree) if (n.kind !== 'more') assert.ok(n.retainedBytes >= a.reachableBytes * 0.001, n.label);
});
