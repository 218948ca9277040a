import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { openSync, closeSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { decodeProfile } from '../formats/index.js';
import { runCliChild } from '../testkit/run-child.js';
import { tempDir } from '../testkit/temp.js';
import { streamFile } from './load.js';

/**
 * Issue 15.11: a regular, uncompressed legacy text file is decoded as it is
 * read (streamFile), so memory does not grow with the file; everything else
 * goes to Inputs, which reads it whole within its limit.
 */

const TESTDATA = new URL('../../testdata/', import.meta.url).pathname;
const COMPILER = `${TESTDATA}go1.23/compiler/compile.memprofile.txt`;
const dir = tempDir(after, 'load');

test('a legacy text file decoded in chunks is the profile decoded whole', () => {
  for (const path of [COMPILER, `${TESTDATA}go1.23/heap/heap.txt`, `${TESTDATA}go1.23/contention/mutex.txt`]) {
    const whole = decodeProfile(readFileSync(path), path);
    assert.deepEqual(streamFile(path, undefined, 4096), whole, path);
  }
});

test('what is not a regular legacy text file is left to Inputs: proto, gzip, a directory, a missing file, a named pipe', () => {
  assert.equal(streamFile(`${TESTDATA}go1.23/heap/heap.pb.gz`), undefined);
  assert.equal(streamFile(TESTDATA), undefined);
  assert.equal(streamFile(join(dir, 'missing.txt')), undefined);
  const fifo = join(dir, 'fifo');
  execFileSync('mkfifo', [fifo]);
  // Opening a pipe with no writer would block here: it must not be opened at all.
  assert.equal(streamFile(fifo), undefined);
});

test('top on ~100 MB of legacy text: the total of every record, under 160 MiB peak RSS (read whole, the compiler profile of 100 MB took 347 MiB)', { timeout: 300_000 }, async (t) => {
  const text = readFileSync(COMPILER, 'latin1');
  const bodyStart = text.indexOf('\n') + 1;
  const footer = text.indexOf('\n# runtime.MemStats');
  assert.ok(bodyStart > 0 && footer > bodyStart, 'the fixture has a header, records and a MemStats footer');
  const body = Buffer.from(text.slice(bodyStart, footer + 1), 'latin1');
  const copies = Math.ceil((100 * 1e6) / body.length);
  const big = join(dir, 'big.memprofile.txt');
  const fd = openSync(big, 'w');
  try {
    writeSync(fd, Buffer.from(text.slice(0, bodyStart), 'latin1'));
    for (let i = 0; i < copies; i++) writeSync(fd, body);
    writeSync(fd, Buffer.from(text.slice(footer + 1), 'latin1'));
  } finally {
    closeSync(fd);
  }
  const one = await runCliChild(['top', '--json', COMPILER], { timeoutMs: 120_000 });
  const r = await runCliChild(['top', '--json', big], { timeoutMs: 240_000 });
  assert.equal(r.timedOut, false);
  assert.equal(r.code, 0, r.err);
  assert.equal(JSON.parse(r.out).total, copies * JSON.parse(one.out).total, `${copies} copies of every record`);
  t.diagnostic(`${copies} copies, peak RSS ${((r.maxRssBytes ?? 0) / 2 ** 20).toFixed(0)} MiB`);
  assert.ok(r.maxRssBytes !== null && r.maxRssBytes < 160 * 2 ** 20, `peak RSS ${((r.maxRssBytes ?? 0) / 2 ** 20).toFixed(0)} MiB`);
});
