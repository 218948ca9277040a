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
