import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeHeapDump } from '../../formats/heapdump/index.js';
import { bytesAccess } from '../../formats/random-access.js';
import { plantedProblems, readUntuned, VERSIONS } from '../../testkit/heapdump-fixtures.js';
import { analyzeHeapDump } from './index.js';

/**
 * testdata/programs/heapretain: a program written after the analysis, with
 * shapes the first one does not have (a struct value in the data segment, a
 * doubly linked list, an interface, a pointer into a struct's middle, a
 * finalized object a global also holds, a goroutine's arguments, main's own
 * frame). The analysis was not changed for it: the same checks as for the
 * first program (every planted retainer under its root with exactly its
 * bytes and objects, chain, allocation site; the top of the dominator tree
 * sums to the reachable heap).
 */
const ALL = Number.MAX_SAFE_INTEGER;

for (const version of VERSIONS) {
  test(`${version}: the untuned program's retainers, bytes, chains and sites`, () => {
    const { dump, planted, symbols } = readUntuned(version);
    const a = analyzeHeapDump(decodeHeapDump(bytesAccess(dump)), { symbols, top: ALL });
    assert.equal(a.dump.goVersion, planted.goVersion);
    assert.deepEqual(plantedProblems(a, planted), []);
    // The finalized handle is credited to the global that holds it, not to its pending finalizer.
    const file = planted.planted.find((p) => p.root === 'main.file')!;
    assert.ok(!a.retainers.some((r) => r.root.kind === 'finalizer' && r.root.address === file.object), 'no finalizer retainer for main.file');
  });
}

test('the main goroutine names no creator, as the runtime’s tracebacks do; the worker names main.startWorker', () => {
  const { dump, symbols } = readUntuned('go1.26');
  const a = analyzeHeapDump(decodeHeapDump(bytesAccess(dump)), { symbols, top: ALL });
  const main = a.retainers.find((r) => r.root.goroutine?.id === 1)!;
  assert.equal(main.root.goroutine?.function, 'main.main');
  assert.equal(main.root.goroutine?.createdBy, undefined);
  assert.ok(a.retainers.some((r) => r.root.goroutine?.createdBy === 'main.startWorker'));
});
