import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { decodeProfile } from '../formats/index.js';
import { join } from 'node:path';
import { fixturePath, readTruth } from '../testkit/goroutine-fixtures.js';
import { runCli } from '../testkit/run-cli.js';
import { tempDir } from '../testkit/temp.js';

const stuck = (rel: string) => fixturePath('go1.26', `stuck/${rel}`);
const tmp = tempDir(after, 'goroutines');

interface JsonGroup {
  count: number;
  state: string;
  topFrame: { func: string } | null;
  creator: { func: string } | null;
  parents: number[];
  stackBytes: number;
  shareOfProcess: number | null;
}

test('goroutines --json: groups, states, findings; counts as the program parked them', async () => {
  const r = await runCli(['goroutines', '--json', stuck('goroutine.debug2.txt'), '--memstats', stuck('heap.txt')]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, '');
  const j = JSON.parse(r.out) as { groups: JsonGroup[]; findings: { kind: string }[]; states: { state: string; count: number }[]; total: number };
  for (const t of readTruth('go1.26', 'stuck/truth.json')) {
    const n = j.groups.filter((g) => g.topFrame?.func === t.func && g.creator?.func === t.creator).reduce((s, g) => s + g.count, 0);
    assert.equal(n, t.count, t.func);
  }
  assert.equal(
    j.states.reduce((s, x) => s + x.count, 0),
    j.total,
  );
  assert.ok(j.groups.every((g) => typeof g.stackBytes === 'number' && typeof g.shareOfProcess === 'number'));
  assert.deepEqual([...new Set(j.findings.map((f) => f.kind))].sort(), ['goroutine-leak', 'goroutine-pileup']);
});

test('goroutines: terminal table with counts, states, wait, creators; findings; no colour off a terminal', async () => {
  const r = await runCli(['goroutines', stuck('goroutine.debug2.txt')]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /goroutine dump, \d+ goroutines in \d+ groups/);
  assert.match(r.out, /^ +40 +chan receive +1m .*main\.leakyReceiver .*main\.parents\.func1 .* from 4 goroutines$/m);
  assert.match(r.out, /^ +2 +chan receive \(locked\) /m);
  assert.match(r.out, /likely holder: goroutine \d+ \[chan receive\] in main\.lockHolder/);
  assert.match(r.out, /\[goroutine-pileup\]/);
  assert.doesNotMatch(r.out, /\x1b\[/);
});

test('goroutines --html writes the page next to the terminal report', async () => {
  const out = join(tmp, 'g.html');
  const r = await runCli(['goroutines', '--html', out, stuck('goroutine.debug2.txt')]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, new RegExp(`Wrote ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\n$`));
  assert.match(readFileSync(out, 'utf8'), /<h2>Groups by size<\/h2>/);
});

test('goroutines A B: the diff, and growth as a finding', async () => {
  const r = await runCli(['goroutines', stuck('goroutine.before.pb.gz'), stuck('goroutine.pb.gz')]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^grew +40 +70 +\+30 +chan receive +main\.leakyReceiver/m);
  assert.match(r.out, /30 more goroutines in chan receive at main\.leakyReceiver \(40 → 70\)/);
  const j = JSON.parse((await runCli(['goroutines', '--json', stuck('goroutine.before.debug2.txt'), stuck('goroutine.debug2.txt')])).out) as {
    diff: { changes: { change: string; delta: number; group: { creator?: { func: string } } }[] };
  };
  assert.ok(j.diff.changes.some((c) => c.change === 'appeared' && c.delta === 30 && c.group.creator?.func === 'main.serve.func1'));
});

test('goroutines: a crash log, a deadlock, and the other similarity modes', async () => {
  const dead = await runCli(['goroutines', fixturePath('go1.23', 'deadlock/deadlock.txt')]);
  assert.equal(dead.code, 0);
  assert.match(dead.out, /dump \(fatal error: all goroutines are asleep - deadlock!\)/);
  assert.match(dead.out, /\[deadlock\]/);
  const lines = await runCli(['goroutines', '--json', '--similarity', 'lines', stuck('goroutine.debug2.txt')]);
  const args = await runCli(['goroutines', '--json', stuck('goroutine.debug2.txt')]);
  const count = (out: string) => (JSON.parse(out) as { groups: unknown[] }).groups.length;
  assert.ok(count(lines.out) < count(args.out));
});

test('goroutines --memstats takes expvar JSON as well as the heap debug=1 footer, with the same result', async () => {
  const footer = decodeProfile(readFileSync(stuck('heap.txt'))).memStats!;
  const vars = join(tmp, 'vars.json');
  writeFileSync(vars, JSON.stringify({ cmdline: ['stuck'], memstats: footer }, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)));
  const fromText = await runCli(['goroutines', '--json', '--memstats', stuck('heap.txt'), stuck('goroutine.debug2.txt')]);
  const fromVars = await runCli(['goroutines', '--json', '--memstats', vars, stuck('goroutine.debug2.txt')]);
  assert.equal(fromVars.code, 0, fromVars.err);
  const mem = (out: string) => (JSON.parse(out) as { stackMemory: unknown }).stackMemory;
  assert.deepEqual(mem(fromVars.out), mem(fromText.out));
  assert.equal((mem(fromVars.out) as { stackInuse: number }).stackInuse, footer['StackInuse']);
});

test('goroutines: bad input and usage exit 2 with one line naming the file', async () => {
  const garbage = join(tmp, 'garbage.txt');
  writeFileSync(garbage, 'goroutine 1 [running]:\nnot a frame\n\ngoroutine 2 [running]:\n');
  const cases: [string[], RegExp][] = [
    [['goroutines', garbage], /garbage\.txt: unexpected line in goroutine 1.*\(line 2\)/],
    [['goroutines', join(tmp, 'missing.txt')], /missing\.txt: no such file/],
    [['goroutines', '--similarity', 'fuzzy', garbage], /--similarity wants one of exact, args, lines/],
    [['goroutines', '--memstats', stuck('goroutine.pb.gz'), stuck('goroutine.debug2.txt')], /goroutine\.pb\.gz: has no "# runtime\.MemStats" footer/],
    [['goroutines'], /expects a goroutine dump/],
    [['goroutines', stuck('mutex.pb.gz')], /mutex\.pb\.gz: not a goroutine profile \(its sample types are contentions, delay\)/],
  ];
  for (const [argv, re] of cases) {
    const r = await runCli(argv);
    assert.equal(r.code, 2, argv.join(' '));
    assert.equal(r.out, '');
    assert.match(r.err, re);
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
  }
});

test('goroutines on a log with two dumps: each reported in order, --dump N picks one, JSON carries both', async () => {
  const log = fixturePath('go1.26', 'crashlog/signals.log.gz');
  const r = await runCli(['goroutines', log]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /holds 2 goroutine dumps; each is reported on its own/);
  const first = r.out.indexOf('── Dump 1 of 2');
  const second = r.out.indexOf('── Dump 2 of 2');
  assert.ok(first >= 0 && second > first);
  assert.match(r.out.slice(second), /dump \(SIGQUIT: quit\) at lines \d+–\d+/);
  assert.equal((r.out.match(/\[goroutine-pileup\]/g) ?? []).length, 2, 'the stuck flusher\'s queue, in both dumps');
  const j = JSON.parse((await runCli(['goroutines', '--json', log])).out) as { files: string[]; dumps: { index: number; lines: { first: number }; reason: string[] }[] };
  assert.deepEqual(j.dumps.map((d) => [d.index, d.reason[0]]), [[1, undefined], [2, 'SIGQUIT: quit']]);
  assert.ok(j.dumps[0]!.lines.first < j.dumps[1]!.lines.first);
  const picked = JSON.parse((await runCli(['goroutines', '--json', '--dump', '2', log])).out) as { reason: string[]; lines: { first: number } };
  assert.deepEqual([picked.reason[0], picked.lines.first], ['SIGQUIT: quit', j.dumps[1]!.lines.first]);
  const html = join(tmp, 'dumps.html');
  assert.equal((await runCli(['goroutines', '--html', html, log])).code, 0);
  assert.equal((readFileSync(html, 'utf8').match(/<h2>Dump \d of 2<\/h2>/g) ?? []).length, 2);
  // Comparing a log of several dumps with another file needs --dump; a --dump past the end says how many there are.
  const two = await runCli(['goroutines', log, stuck('goroutine.debug2.txt')]);
  assert.equal(two.code, 2);
  assert.match(two.err, /holds 2 goroutine dumps \(1: lines \d+–\d+, 2: lines \d+–\d+\); with 2 files, pick one per file with --dump N/);
  const past = await runCli(['goroutines', '--dump', '3', log]);
  assert.equal(past.code, 2);
  assert.match(past.err, /there is no --dump 3/);
  assert.equal((await runCli(['goroutines', '--fail-on', 'medium', log])).code, 1, '--fail-on sees every dump\'s findings');
});

test('goroutines on Go 1.26 goroutineleak profiles, and on a log without a dump', async () => {
  for (const f of ['goroutineleak.txt', 'goroutineleak.pb.gz']) {
    const r = await runCli(['goroutines', fixturePath('go1.26', `leakprofile/${f}`)]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /goroutineleak profile \((debug=1|proto)\)/);
    assert.match(r.out, /leaked .*at main\.compute: proven by the Go runtime \[goroutine-leak-proven\]/);
    assert.match(r.out, /^Cannot show {2}a goroutineleak profile lists only the goroutines the runtime proved leaked/m);
  }
  const noDump = join(tmp, 'service.log');
  writeFileSync(noDump, 'starting\nlistening on :8080\n');
  const r = await runCli(['goroutines', noDump]);
  assert.equal(r.code, 2);
  assert.match(r.err, /service\.log: no goroutine dump or goroutine profile in it: expected a goroutine dump/);
});
