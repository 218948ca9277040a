import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FormatError } from '../errors.js';
import { MCursor } from './cursor.js';
import { varint } from '../../testkit/trace-fixtures.js';
import { RecordCounts } from './generation.js';
import { Ev, timedArgCountTable } from './spec.js';
import { NONE } from './varint.js';

/** A cursor over one batch of raw event bytes (Go 1.23 layout, 1 ns per tick). */
function cursor(...bytes: number[]): MCursor {
  const batch = { m: 1, ts: 1000, exp: 0, data: Uint8Array.from(bytes), offset: 500 };
  return new MCursor(1, [batch], timedArgCountTable(23), 1, new RecordCounts(), 'test.trace');
}

test('cursor: deltas accumulate from the batch time, one-byte and longer varints alike', () => {
  // GoStart(g, seq): delta 5, g 300 (two bytes), seq 1; then GoStop(reason, stack): delta 2^20, 0, 0.
  const c = cursor(Ev.GoStart, 5, ...varint(300n), 1, Ev.GoStop, ...varint(2n ** 20n), 0, 0);
  assert.ok(c.advance());
  assert.deepEqual([c.type, c.time, c.args[0], c.args[1]], [Ev.GoStart, 1005, 300, 1]);
  assert.ok(c.advance());
  assert.deepEqual([c.type, c.time], [Ev.GoStop, 1005 + 2 ** 20]);
  assert.equal(c.advance(), false);
});

test('cursor: a value from 2^63 is NONE (the runtime writes ^uint64(0) for "none"), a ten-byte varint is accepted', () => {
  const c = cursor(Ev.ProcSteal, 1, 3, 7, ...varint(2n ** 64n - 1n));
  assert.equal(varint(2n ** 64n - 1n).length, 10);
  assert.ok(c.advance());
  assert.deepEqual([c.args[0], c.args[1], c.args[2]], [3, 7, NONE]);
});

test('cursor: a batch that ends inside an event, or a varint past ten bytes, is a FormatError at the event', () => {
  const cases: [string, number[], RegExp][] = [
    ['type byte alone', [Ev.GoStart], /cut off by the end of its batch/],
    ['delta cut mid-varint', [Ev.GoStart, 0x80], /cut off by the end of its batch/],
    ['argument missing', [Ev.GoStart, 1, 2], /cut off by the end of its batch/],
    ['eleven-byte varint', [Ev.GoStart, 1, ...new Array<number>(10).fill(0x80), 1, 0], /longer than 10 bytes/],
    ['unknown type', [200, 1], /unknown or misplaced event type 200/],
  ];
  for (const [name, bytes, message] of cases) {
    const c = cursor(Ev.GoStop, 1, 0, 0, ...bytes);
    assert.ok(c.advance(), name);
    assert.throws(
      () => c.advance(),
      (err: unknown) => err instanceof FormatError && message.test(err.message) && err.offset === 504 && err.source === 'test.trace',
      name,
    );
  }
});
