import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { traceFixtures } from '../testkit/trace-fixtures.js';
import { runCli } from '../testkit/run-cli.js';
import { tempDir } from '../testkit/temp.js';

const tmp = tempDir(after, 'trace');
const fixtures = traceFixtures();
const tracewriter = fixtures.find((f) => f.name === 'go1.26/tracewriter')!;
const plainFile = join(tmp, 'tracewriter.trace');
writeFileSync(plainFile, tracewriter.bytes);
const GZ = new URL('../../testdata/go1.26/trace/tracewriter.trace.gz', import.meta.url).pathname;

test('--json has eventCounts identical to go tool trace -d=2, and gc, heap, goroutines, mmu, findings', async () => {
  const r = await runCli(['trace', '--json', plainFile]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, '');
  const j = JSON.parse(r.out) as Record<string, unknown> & { eventCounts: Record<string, number>; gc: { cycles: unknown[]; stw: unknown[] } };
  for (const key of ['eventCounts', 'gc', 'heap', 'goroutines', 'mmu', 'findings']) assert.ok(key in j, key);
  assert.deepEqual(j.eventCounts, tracewriter.counts);
  const gcRanges = tracewriter.ranges.filter((r) => r.name === 'GC concurrent mark phase');
  const startedBefore = gcRanges[0]?.edge === 'Active' ? 1 : 0;
  assert.equal(j.gc.cycles.length, gcRanges.filter((r) => r.edge === 'Begin').length + startedBefore);
  assert.equal(j.gc.stw.length, tracewriter.counts['STWEnd']);
});

test('a gzipped trace reports the same as the plain one', async () => {
  const plain = await runCli(['trace', '--json', plainFile]);
  const gz = await runCli(['trace', '--json', GZ]);
  assert.equal(gz.code, 0, gz.err);
  assert.deepEqual(JSON.parse(gz.out), JSON.parse(plain.out));
});

test('the terminal report names the sections and the findings', async () => {
  const r = await runCli(['trace', plainFile]);
  assert.equal(r.code, 0, r.err);
  for (const head of ['GC ', 'Pauses ', 'Assists ', 'Sweep ', 'Heap ', 'Goroutines ', 'MMU ', 'Records ', 'Findings']) {
    assert.match(r.out, new RegExp(`^${head}`, 'm'), head);
  }
  assert.match(r.out, /Go 1\.26 trace/);
});

test('a trace cut off mid-batch: what is complete is decoded, a warning, exit 0', async () => {
  const cut = join(tmp, 'cut.trace');
  writeFileSync(cut, tracewriter.bytes.subarray(0, Math.floor(tracewriter.bytes.length * 0.7)));
  const r = await runCli(['trace', '--json', cut]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /warning: .*cut off inside a batch/);
  const j = JSON.parse(r.out) as { eventCounts: Record<string, number>; warnings: string[] };
  assert.ok(j.eventCounts['EventBatch']! > 0 && j.eventCounts['EventBatch']! < tracewriter.counts['EventBatch']!);
  assert.ok(j.warnings.length > 0);
});

test('a pre-1.22 trace: exit 2 naming the Go version', async () => {
  const old = join(tmp, 'old.trace');
  writeFileSync(old, Buffer.concat([Buffer.from('go 1.19 trace\0\0\0'), Buffer.from([1, 2, 3, 4])]));
  const r = await runCli(['trace', old]);
  assert.equal(r.code, 2);
  assert.match(r.err, /Go 1\.19/);
  assert.match(r.err, /not supported/);
  assert.equal(r.err.trim().split('\n').length, 1);
});

test('a file that is not a trace, or missing: exit 2 with one line', async () => {
  const text = join(tmp, 'notes.txt');
  writeFileSync(text, 'hello\n');
  for (const file of [text, join(tmp, 'missing.trace'), tmp]) {
    const r = await runCli(['trace', file]);
    assert.equal(r.code, 2, file);
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
    assert.ok(r.err.includes(file), r.err);
  }
});

test('--html writes a self-contained page with the timeline', async () => {
  const html = join(tmp, 'trace.html');
  const r = await runCli(['trace', plainFile, '--html', html]);
  assert.equal(r.code, 0, r.err);
  const page = readFileSync(html, 'utf8');
  assert.match(page, /<svg/);
  assert.ok(!/<script|https?:\/\//.test(page.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, '')));
  assert.equal((page.match(/class="span"/g) ?? []).length, JSON.parse((await runCli(['trace', '--json', plainFile])).out).gc.cycles.length);
});

test('under an 8 GiB address-space limit (ulimit -v), a trace is still read', async () => {
  // V8 reserves about 10 GiB of address space for every WebAssembly memory: the decoder once ran in one and failed here.
  const bin = new URL('../../bin/footprint.js', import.meta.url).pathname;
  const r = spawnSync('bash', ['-c', 'ulimit -v 8388608 && exec "$0" "$1" trace --json "$2"', process.execPath, bin, GZ], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), JSON.parse((await runCli(['trace', '--json', GZ])).out));
});
