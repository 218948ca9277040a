import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Comparison } from '../analyze/compare.js';
import type { GoroutinesComparison } from '../analyze/goroutines/types.js';
import { EXIT } from '../model/errors.js';
import { runCli } from '../testkit/run-cli.js';
import { tempDir } from '../testkit/temp.js';

/**
 * `--compare OLD NEW` on heap, gc, goroutines and contention, on real runs:
 * the diff program's two runs, the gcload program at GOGC=100 and 50, the
 * stuck program's two moments, the contention program under Go 1.23 and
 * 1.26. Each comparison is checked against the same command's own reading of
 * each file, so the expected fates are derived, not typed in.
 */

const TESTDATA = new URL('../../testdata/', import.meta.url).pathname;
const at = (p: string) => join(TESTDATA, p);
const tmp = tempDir(after, 'compare');

interface Reading {
  findings: { kind: string; severity: string; location?: { function: string } }[];
}

async function findingsOf(command: string, file: string): Promise<Reading['findings']> {
  const r = await runCli([command, '--json', file]);
  assert.equal(r.code, 0, r.err);
  // contention --json is { files: [analysis…] }; the others are the analysis.
  const j = JSON.parse(r.out) as Partial<Reading> & { files?: Reading[] };
  return j.findings ?? j.files!.flatMap((f) => f.findings);
}

const key = (f: { kind: string; location?: { function: string } }) => `${f.kind} ${f.location?.function ?? ''}`;

/** What --compare must say, from the two plain readings: per kind and function, the findings after beyond those before are new, and the reverse gone. */
async function expectedFates(command: string, before: string, after: string): Promise<{ added: string[]; removed: string[] }> {
  const count = (keys: string[]) => keys.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>());
  const b = count((await findingsOf(command, before)).map(key));
  const a = count((await findingsOf(command, after)).map(key));
  const beyond = (x: Map<string, number>, y: Map<string, number>) => [...x].flatMap(([k, n]) => Array<string>(Math.max(0, n - (y.get(k) ?? 0))).fill(k)).sort();
  return { added: beyond(a, b), removed: beyond(b, a) };
}

const PAIRS: [string, string, string][] = [
  ['heap', 'go1.26/diff/after.heap.pb.gz', 'go1.26/diff/before.heap.pb.gz'],
  ['gc', 'go1.26/gctrace/gogc100.log', 'go1.26/gctrace/gogc50.log'],
  ['goroutines', 'go1.26/stuck/goroutine.before.debug2.txt', 'go1.26/stuck/goroutine.debug2.txt'],
  ['contention', 'go1.23/contention/mutex.pb.gz', 'go1.26/contention/mutex.pb.gz'],
];

for (const [command, before, later] of PAIRS) {
  test(`${command} --compare: new and gone findings are what each file's own reading says; --json is the Comparison`, async () => {
    const r = await runCli([command, '--compare', '--json', at(before), at(later)]);
    assert.equal(r.code, 0, r.err);
    const c = JSON.parse(r.out) as Comparison;
    assert.equal(c.before, at(before));
    assert.equal(c.after, at(later));
    const { added, removed } = await expectedFates(command, at(before), at(later));
    assert.deepEqual(c.findings.filter((f) => f.change === 'new').map((f) => `${f.kind} ${f.function ?? ''}`).sort(), added);
    assert.deepEqual(c.findings.filter((f) => f.change === 'gone').map((f) => `${f.kind} ${f.function ?? ''}`).sort(), removed);
    assert.ok(added.length + removed.length > 0 || command === 'contention', 'the pair differs');
    assert.equal(Object.values(c.counts).reduce((s, n) => s + n, 0), c.findings.length);
    assert.ok(c.headlines.length >= 3 && c.headlines.every((h) => h.before !== null && h.after !== null), 'every headline figure on both sides');
    const text = await runCli([command, '--compare', at(before), at(later)]);
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, /^\S+ → \S+\n\n +before +after +change\n/);
    assert.match(text.out, /\nFindings: /);
  });
}

test('heap --compare: heap in use is each profile\'s total, as footprint top (pprof) reports it', async () => {
  const [before, later] = ['go1.26/diff/before.heap.pb.gz', 'go1.26/diff/after.heap.pb.gz'].map(at) as [string, string];
  const c = JSON.parse((await runCli(['heap', '--compare', '--json', before, later])).out) as Comparison;
  const total = async (f: string) => (JSON.parse((await runCli(['top', '--json', '-sample_index=inuse_space', f])).out) as { total: number }).total;
  const inUse = c.headlines.find((h) => h.label === 'heap in use')!;
  assert.deepEqual([inUse.before, inUse.after], [await total(before), await total(later)]);
});

test('goroutines --compare: every group\'s count before and after, as the stuck program says it parked them', async () => {
  const [before, later] = ['go1.26/stuck/goroutine.before.debug2.txt', 'go1.26/stuck/goroutine.debug2.txt'].map(at) as [string, string];
  const c = JSON.parse((await runCli(['goroutines', '--compare', '--json', before, later])).out) as GoroutinesComparison;
  // What the program says it parked at each moment (testdata/regen-goroutines.sh): the groups whose count moved.
  type Truth = { groups: { func: string; state: string; count: number; creator: string }[] };
  const truth = (f: string) => (JSON.parse(readFileSync(at(`go1.26/stuck/${f}`), 'utf8')) as Truth).groups;
  const earlier = truth('truth.before.json');
  const moved = truth('truth.json')
    .map((g) => ({ ...g, delta: g.count - (earlier.find((e) => e.func === g.func && e.state === g.state && e.creator === g.creator)?.count ?? 0) }))
    .filter((g) => g.delta !== 0);
  assert.ok(moved.length > 0);
  const changed = c.groups.changes.filter((g) => g.change !== 'same');
  assert.deepEqual(
    changed.map((g) => [g.delta, g.group.topFrame?.func, g.state, g.group.creator?.func]),
    moved.map((g) => [g.delta, g.func, g.state, g.creator]),
  );
  assert.equal(c.headlines.find((h) => h.label === 'goroutines')!.delta, moved.reduce((s, g) => s + g.delta, 0));
  const text = (await runCli(['goroutines', '--compare', before, later])).out;
  assert.match(text, /appeared +0 +30 +\+30 +chan receive +main\.leakyReceiver/);
});

const ORDER = ['info', 'low', 'medium', 'high'] as const;

for (const [command, before, later] of PAIRS) {
  test(`${command} --compare --fail-on: exit 1 at the worst new or worse finding's severity, 0 above it`, async () => {
    const c = JSON.parse((await runCli([command, '--compare', '--json', at(before), at(later)])).out) as Comparison;
    const regressed = c.findings.filter((f) => f.change === 'new' || f.change === 'worse').map((f) => ORDER.indexOf(f.after!.severity));
    const worst = Math.max(-1, ...regressed);
    if (worst >= 0) {
      const threshold = ORDER[worst]!;
      const r = await runCli([command, '--compare', '--fail-on', threshold, at(before), at(later)]);
      assert.equal(r.code, EXIT.checkFailed, r.err);
      const n = regressed.filter((x) => x >= worst).length;
      assert.equal(r.err, `footprint ${command}: ${n} new or worse finding${n === 1 ? '' : 's'} at ${threshold} or above (--fail-on ${threshold})\n`);
    }
    const above = ORDER[worst + 1];
    if (above !== undefined) assert.equal((await runCli([command, '--compare', '--fail-on', above, at(before), at(later)])).code, 0);
    // Findings that were already there (same, grew) or improved never fail the gate, at any threshold.
    const kept = c.findings.filter((f) => f.change !== 'new' && f.change !== 'worse');
    if (worst < 0) assert.ok(kept.length > 0, 'a pair with findings, none of them new or worse');
  });
}

test('--compare --fail-on the other way round: what improved passes the gate even at info', async () => {
  const [gogc100, gogc50] = ['go1.26/gctrace/gogc100.log', 'go1.26/gctrace/gogc50.log'].map(at) as [string, string];
  const backward = JSON.parse((await runCli(['gc', '--compare', '--json', gogc50, gogc100])).out) as Comparison;
  assert.equal(backward.counts.new + backward.counts.worse, 0);
  assert.ok(backward.findings.length > 0);
  assert.equal((await runCli(['gc', '--compare', '--fail-on', 'info', gogc50, gogc100])).code, 0);
  // heap: the compress churn the first run of the diff program has is new when read backwards.
  const [b, a] = ['go1.26/diff/before.heap.pb.gz', 'go1.26/diff/after.heap.pb.gz'].map(at) as [string, string];
  assert.equal((await runCli(['heap', '--compare', '--fail-on', 'low', a, b])).code, EXIT.checkFailed);
  assert.equal((await runCli(['heap', '--compare', '--fail-on', 'low', b, a])).code, 0);
});

test('--compare --html (gc, goroutines): the comparison page, after the terminal report', async () => {
  for (const [command, before, later] of PAIRS.filter(([c]) => c === 'gc' || c === 'goroutines')) {
    const page = join(tmp, `${command}.html`);
    const r = await runCli([command, '--compare', '--html', page, at(before), at(later)]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`Wrote ${page.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n$`));
    const html = readFileSync(page, 'utf8');
    assert.match(html, /<h1>.*→.*<\/h1>/);
    assert.match(html, /<h2>Findings: /);
    if (command === 'goroutines') assert.match(html, /<h2>Groups: 138 → 168 goroutines<\/h2>/);
  }
});

test('--compare: bad usage is one line and exit 2 (one file, three files, mutex against block)', async () => {
  const cases: [string[], RegExp][] = [
    [['heap', '--compare', at('go1.26/diff/before.heap.pb.gz')], /--compare takes two files, OLD and NEW, got 1/],
    [['gc', '--compare', ...['gogc50', 'gogc100', 'gogc200'].map((l) => at(`go1.26/gctrace/${l}.log`))], /--compare takes two files, OLD and NEW, got 3/],
    [['contention', '--compare', at('go1.26/contention/mutex.pb.gz'), at('go1.26/contention/block.pb.gz')], /block\.pb\.gz: is a block profile and .*mutex\.pb\.gz a mutex profile: compare like with like/],
    [['gc', at('go1.26/gctrace/gogc50.log'), at('go1.26/gctrace/gogc100.log')], /expects one gctrace log; to compare two runs: footprint gc --compare OLD NEW/],
  ];
  for (const [args, message] of cases) {
    const r = await runCli(args);
    assert.equal(r.code, EXIT.usage, args.join(' '));
    assert.match(r.err, message);
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
  }
});
