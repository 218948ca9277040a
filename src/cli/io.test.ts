import assert from 'node:assert/strict';
import { test } from 'node:test';
import { captureIo, printJson } from './io.js';

function captured(value: unknown): string {
  const io = captureIo();
  printJson(io, value);
  return io.stdout();
}

test('printJson: plain values as JSON.stringify prints them, bigints as decimal strings', () => {
  assert.equal(captured({ a: 1, b: [true, null] }), JSON.stringify({ a: 1, b: [true, null] }, null, 2) + '\n');
  assert.deepEqual(JSON.parse(captured({ id: 2n ** 64n, n: 3 })), { id: '18446744073709551616', n: 3 });
});

test('printJson: a circular value still fails (only the bigint refusal is handled)', () => {
  const loop: { self?: unknown } = {};
  loop.self = loop;
  assert.throws(() => captured(loop), TypeError);
});
