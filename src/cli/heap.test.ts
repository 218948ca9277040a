import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { decodeProfile } from '../formats/index.js';
import { encodeProfileProto } from '../formats/pprof/encode.js';
import { join } from 'node:path';
import { runCli } from '../testkit/run-cli.js';
import { tempDir } from '../testkit/temp.js';

const ZOO = new URL('../../testdata/zoo/', import.meta.url).pathname;
const tmp = tempDir(after, 'heap');

const cli = runCli;

const snapshots = (name: string) =>
  readdirSync(join(ZOO, name))
    .filter((f) => /^heap\.\d+\.pb\.gz$/.test(f))
    .map((f) => join(ZOO, name, f));

test('--json prints { findings, sites, memstats, trend } with memstats under the runtime\'s field names', async () => {
  const r = await cli(['heap', '--json', ...snapshots('cache'), join(ZOO, 'cache', 'vars.json')]);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out) as {
    findings: { kind: string }[];
    sites: Record<string, unknown>[];
    memstats: Record<string, unknown>;
    trend: { sites: unknown[]; snapshots: unknown[] };
  };
  assert.equal(j.findings[0]!.kind, 'heap-growth');
  for (const key of ['function', 'file', 'line', 'inuseBytes', 'inuseObjects', 'allocBytes', 'allocObjects', 'avgInuseBytes', 'avgAllocBytes', 'retention', 'inuseShare', 'allocShare']) {
    assert.ok(key in j.sites[0]!, key);
  }
  for (const key of ['HeapAlloc', 'HeapInuse', 'HeapIdle', 'HeapReleased', 'HeapSys', 'StackInuse', 'MSpanInuse', 'MCacheInuse', 'GCSys', 'OtherSys', 'Sys', 'NextGC', 'NumGC']) {
    assert.equal(typeof j.memstats[key], 'number', key);
  }
  assert.equal(j.trend.snapshots.length, snapshots('cache').length);
});

test('terminal output: findings, the site table, the trend and where the memory sits; no colour off a terminal', async () => {
  const r = await cli(['heap', ...snapshots('tinyleak'), join(ZOO, 'tinyleak', 'vars.json')]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /HIGH +Small objects pile up at main\.recordVisit/);
  assert.match(r.out, /inuse +objects +avg +alloc +objects +avg +kept +heap%/);
  assert.match(r.out, /Trend of inuse bytes/);
  assert.match(r.out, /Where the memory sits \(MemStats from .*vars\.json/);
  assert.doesNotMatch(r.out, /\x1b\[/);
});

test('one debug=1 text profile: the cross-reading and MemStats from its footer', async () => {
  const r = await cli(['heap', '--json', join(ZOO, 'subslice', 'heap.txt')]);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out) as { findings: { kind: string }[]; memstats: { source: string }; trend?: unknown };
  assert.equal(j.findings[0]!.kind, 'large-object-retention');
  assert.match(j.memstats.source, /heap\.txt$/);
  assert.equal(j.trend, undefined);
});

test('profiles sharing one timestamp: the growth in bytes per snapshot, and why there is no rate', async () => {
  const files = snapshots('cache').map((f, i, all) => {
    const p = decodeProfile(readFileSync(f), f);
    p.timeNanos = decodeProfile(readFileSync(all[0]!), all[0]!).timeNanos;
    const out = join(tmp, `same.${i}.pb.gz`);
    writeFileSync(out, gzipSync(encodeProfileProto(p)));
    return out;
  });
  const r = await cli(['heap', ...files]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^6 heap profiles of one process \(every profile carries the same timestamp: growth per snapshot, no rate\)$/m);
  assert.match(r.out, /HIGH +Heap grows at main\.\(\*responseCache\)\.put:19: 11\.5 MiB → 43\.8 MiB \([\d.]+ MiB per snapshot\)/);
  assert.match(r.err, /warning: every profile carries the same timestamp/);
  assert.doesNotMatch(r.out, /over 0 ns|\/min/);
});

test('expvar with Sys 0: the parts without shares, and a line saying why', async () => {
  const vars = join(tmp, 'vars-sys0.json');
  writeFileSync(vars, readFileSync(join(ZOO, 'cache', 'vars.json'), 'utf8').replace(/"Sys":\d+/, '"Sys":0'));
  const r = await cli(['heap', snapshots('cache').at(-1)!, vars]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^ {2}live heap objects +[\d.]+ MiB +- +HeapAlloc/m);
  assert.match(r.out, /^ {2}not shown: Sys = 0: a running Go program always holds memory from the OS; left out$/m);
  assert.doesNotMatch(r.out, /\d%  HeapAlloc/);
});

test('bad input: one line naming the file, exit 2', async () => {
  const notJson = join(tmp, 'vars.json');
  writeFileSync(notJson, '{"memstats": ');
  const noStats = join(tmp, 'other.json');
  writeFileSync(noStats, '{"cmdline": ["x"]}');
  const goroutines = new URL('../../testdata/go1.26/goroutines/goroutine.pb.gz', import.meta.url).pathname;
  const cases: [string[], RegExp][] = [
    [['heap'], /expects heap profiles/],
    [['heap', goroutines], /goroutine\.pb\.gz: not a heap or allocs profile/],
    [['heap', snapshots('cache')[0]!, notJson], /vars\.json: not valid JSON/],
    [['heap', snapshots('cache')[0]!, noStats], /other\.json: JSON without a "memstats" object/],
    [['heap', noStats], /other\.json: JSON without/],
    [['heap', '--nodecount=x', snapshots('cache')[0]!], /--nodecount must be a positive integer/],
  ];
  for (const [args, message] of cases) {
    const r = await cli(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.err, message, args.join(' '));
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
  }
});
