import { test } from 'node:test';
import assert from 'node:assert/strict';
import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../testkit/temp.js';
import { FormatError } from './errors.js';
import { bytesAccess, fileAccess, fileHead, readExactly, type RandomAccess } from './random-access.js';

const BYTES = Uint8Array.from({ length: 100 }, (_, i) => i);

function both(t: { after: (fn: () => void) => void }): [string, RandomAccess][] {
  const path = join(tempDir(t, 'random-access'), 'bytes');
  writeFileSync(path, BYTES);
  const file = fileAccess(path);
  t.after(() => file.close());
  return [
    ['bytes', bytesAccess(BYTES)],
    ['file', file],
  ];
}

test('readAt reads a range into place and stops at the end of the input, for bytes and files alike', (t) => {
  for (const [kind, access] of both(t)) {
    assert.equal(access.size, 100, kind);
    const into = new Uint8Array(8).fill(0xff);
    assert.equal(access.readAt(into, 2, 4, 10), 4, kind);
    assert.deepEqual([...into], [0xff, 0xff, 10, 11, 12, 13, 0xff, 0xff], kind);
    assert.equal(access.readAt(into, 0, 8, 97), 3, `${kind}: only bytes 97..99 are left`);
    assert.equal(access.readAt(into, 0, 8, 100), 0, kind);
  }
});

test('bytes in memory are offered whole and read in place', () => {
  const access = bytesAccess(BYTES);
  assert.equal(access.bytes, BYTES);
  const got = readExactly(access, 40, 10);
  assert.equal(got.buffer, BYTES.buffer);
  assert.equal(got.byteOffset, 40);
});

test('readExactly gives exactly the range, and a FormatError with its offset when the range leaves the input', (t) => {
  for (const [kind, access] of both(t)) {
    assert.deepEqual([...readExactly(access, 95, 5)], [95, 96, 97, 98, 99], kind);
    assert.equal(readExactly(access, 100, 0).length, 0, kind);
    for (const [position, length] of [
      [96, 5],
      [-1, 2],
      [0.5, 2],
      [0, -1],
    ] as const) {
      assert.throws(
        () => readExactly(access, position, length),
        (err: unknown) => err instanceof FormatError && err.offset === position && err.message === `${length} bytes at offset ${position} are outside the 100-byte file`,
        `${kind} ${position}+${length}`,
      );
    }
  }
});

test('readExactly names the end of a file that shrank after it was opened', (t) => {
  const path = join(tempDir(t, 'random-access'), 'shrinks');
  writeFileSync(path, BYTES);
  const file = fileAccess(path);
  t.after(() => file.close());
  truncateSync(path, 60);
  assert.throws(
    () => readExactly(file, 50, 20),
    (err: unknown) => err instanceof FormatError && err.offset === 60 && err.message === 'the file ends before byte 70',
  );
});

test('fileHead: the first bytes of a file, fewer when it is shorter, and the open error when it is missing', (t) => {
  const dir = tempDir(t, 'random-access');
  const path = join(dir, 'head');
  writeFileSync(path, BYTES);
  assert.deepEqual([...fileHead(path, 4)], [...BYTES.subarray(0, 4)]);
  assert.deepEqual([...fileHead(path, BYTES.length + 10)], [...BYTES]);
  assert.throws(() => fileHead(join(dir, 'missing'), 4), { code: 'ENOENT' });
});
