import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { formatBytes, formatCount, formatFraction } from '../model/units.js';
import { expectedBytes, heapDumpPath, readPlanted } from '../testkit/heapdump-fixtures.js';
import { runCli } from '../testkit/run-cli.js';
import { tempDir } from '../testkit/temp.js';

/**
 * `footprint heapdump` end to end on the planted program's Go 1.26 dump
 * (testdata/programs/heapdump): the text report, the --json contract of
 * issue 23, the page, --fail-on, and the one-line errors of exit 2.
 */

const dir = tempDir(after, 'heapdump-cli');
const dump = heapDumpPath('go1.26', 'heap.dump.gz');
const binary = join(dir, 'heapdump.sym');
writeFileSync(binary, gunzipSync(readFileSync(heapDumpPath('go1.26', 'heapdump.sym.gz'))));
const planted = readPlanted('go1.26', 'heap');
const plantedGlobal = (name: string) => planted.planted.find((p) => p.root === name)!;

interface JsonReport {
  objects: number;
  heapBytes: number;
  reachableBytes: number;
  garbageBytes: number;
  reachableObjects: number;
  retainers: { root: { kind: string; name: string }; retainedBytes: number; share: number; chain: { kind: string; name: string }[] }[];
  findings: { kind: string; severity: string }[];
}

test('heapdump --json: the issue’s shape, retainers largest first, planted globals with their bytes, garbage apart', async () => {
  const r = await runCli(['heapdump', '--json', '--binary', binary, dump]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, '');
  const j = JSON.parse(r.out) as JsonReport;
  assert.ok(j.objects > 0);
  assert.equal(j.reachableBytes + j.garbageBytes, j.heapBytes);
  assert.ok(j.garbageBytes >= expectedBytes(planted.planted.find((p) => p.kind === 'garbage')!));
  j.retainers.forEach((x, i) => i > 0 && assert.ok(x.retainedBytes <= j.retainers[i - 1]!.retainedBytes, 'largest first'));
  for (const name of ['main.header', 'main.cache', 'main.handler', 'main.ring']) {
    const x = j.retainers.find((y) => y.root.name === name);
    assert.ok(x, `${name} is a retainer`);
    assert.equal(x.root.kind, 'global');
    assert.equal(x.retainedBytes, expectedBytes(plantedGlobal(name)), name);
    assert.equal(x.chain[0]!.name, name, 'the chain starts at the root');
    assert.equal(x.chain.at(-1)!.kind, 'object');
  }
  assert.ok(j.findings.every((f) => f.kind === 'retained-by'));
});

test('heapdump: the text report names roots from --binary, shows chains and MiB; without it, addresses and a hint', async () => {
  const j = JSON.parse((await runCli(['heapdump', '--json', '--binary', binary, dump])).out) as JsonReport;
  const header = j.retainers.find((x) => x.root.name === 'main.header')!;
  const figures = `${formatBytes(header.retainedBytes)} +${formatFraction(header.share).replace('.', '\\.')}`;
  const named = await runCli(['heapdump', '--binary', binary, dump]);
  assert.equal(named.code, 0, named.err);
  assert.match(named.out, new RegExp(`^ +${figures} +main\\.header \\(global\\), 1 object$`, 'm'));
  assert.match(named.out, /→ 0x[0-9a-f]+ \(4 MiB, pointed into at byte 100, allocated at main\.readHeader /);
  assert.match(named.out, /goroutine \d+ \(main\.parked, chan receive; started by main\.main\)/);
  assert.ok(named.out.includes(`Garbage    ${formatBytes(j.garbageBytes)} in ${formatCount(j.objects - j.reachableObjects)} objects`), 'garbage line');
  assert.doesNotMatch(named.out, /\x1b\[/);
  const bare = await runCli(['heapdump', dump]);
  assert.equal(bare.code, 0, bare.err);
  assert.match(bare.out, new RegExp(`^ +${figures} +bss\\+0x[0-9a-f]+ \\(global\\), 1 object$`, 'm'));
  assert.match(bare.out, /--binary/);
});

test('heapdump --html: a page with the dominator tree; --fail-on medium exits 1 on the planted sub-slice', async () => {
  const page = join(dir, 'heap.html');
  const r = await runCli(['heapdump', '--binary', binary, '--html', page, '--fail-on', 'medium', dump]);
  assert.equal(r.code, 1, r.err);
  assert.match(r.err, /findings at medium or above/);
  const html = readFileSync(page, 'utf8');
  assert.match(html, /^<!doctype html>/i);
  assert.ok(html.includes('main.header') && html.includes('main.ring'));
  const low = await runCli(['heapdump', '--binary', binary, '--fail-on', 'high', dump]);
  assert.equal(low.code, 0, low.err);
});

test('heapdump: unreadable input and a foreign binary exit 2 with one line naming the file', async () => {
  const notDump = join(dir, 'not.dump');
  writeFileSync(notDump, 'hello\n');
  const notDumpGz = join(dir, 'not.dump.gz');
  writeFileSync(notDumpGz, gzipSync('hello\n'));
  const cases: [string[], RegExp][] = [
    [['heapdump', notDump], /not\.dump: not a heap dump/],
    [['heapdump', notDumpGz], /not\.dump\.gz: not a heap dump/],
    [['heapdump', join(dir, 'missing.dump')], /missing\.dump/],
    [['heapdump', '--binary', notDump, dump], /not\.dump: /],
    [['heapdump', '--binary', binary, heapDumpPath('go1.23', 'heap.dump.gz')], /not the executable that wrote the dump/],
    [['heapdump'], /expects one heap dump/],
  ];
  for (const [args, message] of cases) {
    const r = await runCli(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.equal(r.out, '');
    assert.equal(r.err.trimEnd().split('\n').length, 1, r.err);
    assert.match(r.err, message);
  }
});
