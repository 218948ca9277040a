import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { runCli } from '../testkit/run-cli.js';
import { FormatError } from './errors.js';
import { maybeGunzip } from './gzip.js';
import { tempDir } from '../testkit/temp.js';

/**
 * Unreadable input through the CLI: `footprint top FILE` must exit 2, print
 * nothing on stdout and exactly one stderr line that names the file and says
 * what was wrong (no stack trace, no "internal error").
 */

const TESTDATA = new URL('../../testdata/', import.meta.url).pathname;
const fixture = (path: string): Buffer => readFileSync(join(TESTDATA, path));

const dir = tempDir(after, 'badinput');

function temp(name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

function runTop(path: string): Promise<{ code: number; out: string; err: string }> {
  return runCli(['top', path]);
}

async function expectBadInput(path: string, what: RegExp): Promise<string> {
  const { code, out, err } = await runTop(path);
  assert.equal(out, '', 'nothing on stdout');
  assert.equal(code, 2, `exit code (stderr: ${err})`);
  assert.ok(err.endsWith('\n'), 'stderr ends with a newline');
  const lines = err.slice(0, -1).split('\n');
  assert.equal(lines.length, 1, `exactly one stderr line, got ${JSON.stringify(err)}`);
  const line = lines[0]!;
  assert.ok(line.startsWith(`footprint top: ${path}: `), `names the file: ${line}`);
  assert.doesNotMatch(line, /internal error/);
  assert.match(line, what);
  return line;
}

/** The heap profile, inflated, with 16 bytes in the middle inverted. */
function garbledProto(): Buffer {
  const raw = gunzipSync(fixture('go1.23/heap/heap.pb.gz'));
  const mid = raw.length >> 1;
  for (let i = mid; i < mid + 16; i++) raw[i] = raw[i]! ^ 0xff;
  return raw;
}

test('truncated gzip (a real .pb.gz cut in half)', async () => {
  const gz = fixture('go1.23/heap/heap.pb.gz');
  await expectBadInput(temp('half.pb.gz', gz.subarray(0, gz.length >> 1)), /truncated gzip data/);
});

test('gzip whose checksum does not match', async () => {
  const gz = Buffer.from(fixture('go1.23/heap/heap.pb.gz'));
  gz[gz.length - 6] = gz[gz.length - 6]! ^ 0xff;
  await expectBadInput(temp('crc.pb.gz', gz), /corrupt gzip data: incorrect data check/);
});

test('corrupt protobuf inside valid gzip', async () => {
  await expectBadInput(temp('garbled.pb.gz', gzipSync(garbledProto())), /varint longer than 10 bytes \(byte offset \d+\)/);
});

test('corrupt protobuf, not gzipped', async () => {
  await expectBadInput(temp('garbled.pb', garbledProto()), /varint longer than 10 bytes \(byte offset \d+\)/);
});

test('protobuf cut in half, not gzipped', async () => {
  const raw = gunzipSync(fixture('go1.23/heap/heap.pb.gz'));
  await expectBadInput(temp('half.pb', raw.subarray(0, raw.length >> 1)), /truncated|runs past the end|unexpected end/);
});

test('protobuf with a length prefix past the end of the file', async () => {
  // Field 6 (string_table), length 1000, but only 3 bytes follow.
  await expectBadInput(temp('len.pb', Uint8Array.from([0x32, 0xe8, 0x07, 0x61, 0x62, 0x63])), /runs past the end of its message \(byte offset 1\)/);
});

test('a Go source file', async () => {
  await expectBadInput(join(TESTDATA, 'programs/heap/main.go'), /not a profile: expected profile\.proto or a legacy pprof text profile, found "/);
});

test('a heap dump: named, and the command that reads it', async () => {
  await expectBadInput(join(TESTDATA, 'go1.26/heapdump/small.dump.gz'), /not a profile: this is a Go heap dump \(debug\.WriteHeapDump\), not a pprof profile: read it with footprint heapdump$/);
});

test('a JSON file', async () => {
  await expectBadInput(temp('x.json', '{"samples": [1, 2, 3]}\n'), /not a profile: .*found "\{\\"samples\\"/);
});

test('a goroutine debug=2 dump', async () => {
  await expectBadInput(join(TESTDATA, 'go1.23/goroutines/goroutine.debug2.txt'), /goroutine stack dump \(debug=2\), not a pprof profile/);
});

test('a gctrace log', async () => {
  const line = 'gc 1 @0.012s 2%: 0.015+1.2+0.003 ms clock, 0.060+0.5/1.0/0+0.012 ms cpu, 4->4->0 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 4 P\n';
  await expectBadInput(temp('gctrace.txt', line), /GODEBUG=gctrace log, not a pprof profile/);
});

test('a binary file that is neither gzip nor protobuf', async () => {
  await expectBadInput(temp('elf', Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0])), /not a profile: .*found binary data/);
});

test('an empty file', async () => {
  await expectBadInput(temp('empty.pb.gz', ''), /: empty file$/);
});

test('a gzip file with nothing inside', async () => {
  await expectBadInput(temp('empty-inside.gz', gzipSync(Buffer.alloc(0))), /empty file \(after gzip\)/);
});

test('a missing file', async () => {
  await expectBadInput(join(dir, 'does-not-exist.pb.gz'), /: no such file$/);
});

test('a directory', async () => {
  await expectBadInput(dir, /: is a directory, not a file$/);
});

test('legacy heap text cut in the middle of a record line', async () => {
  const text = fixture('go1.23/heap/heap.txt').toString('utf8');
  // Cut ten characters into the fifth sample line, whichever it is after a regen.
  const records = [...text.matchAll(/^\d+: \d+ \[\d+: \d+\] @/gm)];
  assert.ok(records.length > 5, 'the fixture has sample lines');
  const cut = text.slice(0, records[4]!.index! + 10);
  await expectBadInput(temp('cut-heap.txt', cut), /expected a heap sample .*the file ends in the middle of this line, so it looks truncated \(line \d+\)$/);
});

test('legacy goroutine text with a garbled count', async () => {
  const text = fixture('go1.23/goroutines/goroutine.txt').toString('utf8').replace(/^5 @/m, '5x @');
  await expectBadInput(temp('goroutine.txt', text), /expected "N @ 0x…", found "5x @ .*\(line 2\)$/);
});

test('a gzip bomb-ish file: 16 MiB of zeros in 16 KiB', async () => {
  const bomb = gzipSync(Buffer.alloc(16 << 20));
  assert.ok(bomb.length < 64 << 10);
  await expectBadInput(temp('zeros.gz', bomb), /not a profile: .*found binary data/);
});

test('inflating past the limit is a FormatError, not an allocation failure', () => {
  const bomb = gzipSync(Buffer.alloc(1 << 20));
  assert.throws(
    () => maybeGunzip(bomb, { bytes: 64 << 10, what: 'a test input' }),
    (err: unknown) => err instanceof FormatError && err.message === 'gzip data inflates to more than 64 KiB, the most footprint reads of a test input',
  );
});

/** Issue 16.6: each command, given a gzipped input of its own format that is cut or corrupt, names the file (it said <input> for heap and trace). */
const GZIPPED: [string[], string][] = [
  [['top'], 'go1.26/heap/heap.pb.gz'],
  [['peek', '.'], 'go1.26/heap/allocs.pb.gz'],
  [['traces'], 'go1.26/contention/mutex.pb.gz'],
  [['export', '--format=collapsed'], 'go1.26/heap/heap.pb.gz'],
  [['heap'], 'go1.26/heap/heap.pb.gz'],
  [['goroutines'], 'go1.26/goroutines/goroutine.debug2.txt'],
  [['goroutines', '--memstats', 'FILE', join(TESTDATA, 'go1.26/goroutines/goroutine.txt')], 'go1.26/heap/heap.txt'],
  [['contention'], 'go1.26/contention/mutex.pb.gz'],
  [['gc'], 'go1.26/gctrace/gogc100.log'],
  [['escapes'], 'go1.26/escapes/m2.txt'],
  [['trace'], 'go1.26/trace/tracewriter.trace.gz'],
];

test('every command names the file on a gzip error: cut short, or a checksum that does not match', async () => {
  for (const [args, rel] of GZIPPED) {
    const raw = fixture(rel);
    const gz = rel.endsWith('.gz') ? raw : gzipSync(raw);
    const crc = Buffer.from(gz);
    crc[crc.length - 6] = crc[crc.length - 6]! ^ 0xff;
    for (const [kind, bytes, what] of [
      ['cut', gz.subarray(0, gz.length >> 1), 'truncated gzip data \\(the file ends before the compressed stream does\\)'],
      ['crc', crc, 'corrupt gzip data: incorrect data check'],
    ] as const) {
      const path = temp(`${args[0]}-${kind}.gz`, bytes);
      const argv = args.includes('FILE') ? args.map((a) => (a === 'FILE' ? path : a)) : [...args, path];
      const { code, out, err } = await runCli(argv);
      assert.equal(code, 2, `${argv.join(' ')}: ${err}`);
      assert.equal(out, '');
      assert.match(err, new RegExp(`^footprint ${args[0]}: ${path}: ${what}\\n$`), argv.join(' '));
    }
  }
});
