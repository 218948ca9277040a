import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseWhatIf } from './gc.js';
import { runCli } from '../testkit/run-cli.js';
import { parseByteCount } from './sizes.js';
import { tempDir } from '../testkit/temp.js';

const LOGS = new URL('../../testdata/go1.26/gctrace/', import.meta.url).pathname;
const tmp = tempDir(after, 'gc');

const cli = runCli;

test('--json prints the GcAnalysis { cycles, summary, findings, baseline, whatIf }, what-ifs in order', async () => {
  const r = await cli(['gc', '--json', join(LOGS, 'gogc100.log'), '--what-if', 'gogc=200', '--what-if', 'gomemlimit=128MiB,gogc=off', '--what-if', 'gogc=50']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out) as Record<string, unknown> & {
    cycles: Record<string, unknown>[];
    whatIf: Record<string, unknown>[];
  };
  for (const key of ['cycles', 'summary', 'findings', 'whatIf']) assert.ok(key in j, key);
  const lines = readFileSync(join(LOGS, 'gogc100.log'), 'utf8').split('\n').filter((l) => l.startsWith('gc '));
  assert.equal(j.cycles.length, lines.length);
  const first = j.cycles[0]!;
  for (const key of ['n', 'atSeconds', 'cpuPercent', 'clockMs', 'cpuMs', 'heapMB', 'goalMB', 'stacksMB', 'globalsMB', 'procs', 'forced']) {
    assert.ok(key in first, `cycles[].${key}`);
  }
  assert.deepEqual(Object.keys(first['clockMs'] as object), ['sweepTermination', 'mark', 'markTermination']);
  assert.deepEqual(Object.keys(first['heapMB'] as object), ['start', 'end', 'live']);
  assert.deepEqual(
    j.whatIf.map((w) => [w['gogc'], w['gomemlimit']]),
    [
      [200, null],
      ['off', 128 * 2 ** 20],
      [50, null],
    ],
  );
  for (const w of j.whatIf) {
    for (const key of ['cycles', 'peakHeapBytes', 'gcCpuFraction']) assert.equal(typeof w[key], 'number', key);
  }
});

test('terminal output: summary, sparkline, the what-if table and findings; colour only on a terminal', async () => {
  const r = await cli(['gc', join(LOGS, 'gogc100-limit120MiB.log'), '--what-if', 'gomemlimit=256MiB']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /GC cycles over/);
  assert.match(r.out, /Pauses +[\d,]+ stop-the-world: p50 [\d.]+ [µm]?s, p99 [\d.]+ [µm]?s, max [\d.]+ [µm]?s/);
  assert.match(r.out, /Limit +goal pinned at [\d.]+ MiB in [\d,]+ cycles \(GOMEMLIMIT ≈\d+MiB\)/);
  assert.match(r.out, /[▁▂▃▄▅▆▇█]{20,}/);
  assert.match(r.out, /what if GOGC=100 GOMEMLIMIT=256MiB +\d+/);
  assert.match(r.out, /\[gc-memory-limit\]/);
  assert.doesNotMatch(r.out, /\x1b\[/);
});

test('--html writes one self-contained page: the three heap series, a marker per cycle, the what-if table', async () => {
  const out = join(tmp, 'gc.html');
  const log = join(LOGS, 'noisy.log');
  const r = await cli(['gc', log, '--html', out, '--what-if', 'gogc=200']);
  assert.equal(r.code, 0, r.err);
  const html = readFileSync(out, 'utf8');
  assert.match(html, /^<!doctype html>/);
  assert.doesNotMatch(html, /<script|src="http|href="http/);
  for (const name of ['heap goal', 'heap at GC start', 'live heap (marked)']) assert.ok(html.includes(`data-name="${name}"`), name);
  // The program's own lines split some records; without them every record starts a line.
  const clean = readFileSync(log, 'utf8').replace(/app: worker \d+ wrote line \d+\n/g, '');
  const cycles = clean.split('\n').filter((l) => l.startsWith('gc ')).length;
  assert.equal(html.match(/<line class="marker"/g)?.length, cycles);
  assert.match(html, /what if GOGC=200/);
  assert.match(html, /class="finding (high|medium|low)"/);
});

test('a record Go cannot print (0 P) is left out and said so in text, JSON and the page: no GC CPU of Infinity%', async () => {
  const log = join(tmp, 'zero-p.log');
  writeFileSync(log, readFileSync(join(LOGS, 'gogc100.log'), 'utf8').replace(/, 2 P\n$/, ', 0 P\n'));
  const page = join(tmp, 'zero-p.html');
  const text = await cli(['gc', log, '--html', page]);
  assert.equal(text.code, 0, text.err);
  const note = 'Left out 1 gc record Go cannot have printed: line 154 (gc 154): 0 P: GOMAXPROCS is at least 1';
  assert.ok(text.out.includes(note), text.out);
  assert.match(text.out, /153 GC cycles over .*, 2 P/);
  assert.doesNotMatch(text.out + readFileSync(page, 'utf8'), /Infinity|NaN/);
  assert.ok(readFileSync(page, 'utf8').includes(note));
  const json = JSON.parse((await cli(['gc', '--json', log])).out) as { summary: { rejectedRecords: number; rejected: { line: number; reason: string }[]; gcCpuFraction: number } };
  assert.equal(json.summary.rejectedRecords, 1);
  assert.deepEqual(json.summary.rejected.map((r) => [r.line, r.reason]), [[154, '0 P: GOMAXPROCS is at least 1']]);
  assert.ok(json.summary.gcCpuFraction > 0 && json.summary.gcCpuFraction < 1);
});

test('bad input and bad flags: one line on stderr, exit 2', async () => {
  const notLog = join(tmp, 'notes.txt');
  writeFileSync(notLog, 'hello\n');
  const cases: [string[], RegExp][] = [
    [['gc'], /expects one gctrace log/],
    [['gc', notLog], /notes\.txt: not a gctrace log/],
    [['gc', join(tmp, 'missing.log')], /missing\.log: no such file/],
    [['gc', join(LOGS, 'gogc100.log'), '--what-if', 'gogc=fast'], /GOGC "fast" must be a positive integer or off/],
    [['gc', join(LOGS, 'gogc100.log'), '--what-if', 'gomemlimit=512MB'], /not a size/],
    [['gc', join(LOGS, 'gogc100.log'), '--what-if', 'colour=blue'], /expected gogc=N\|off or gomemlimit=SIZE/],
    [['gc', join(LOGS, 'gogc100.log'), '--gogc=-5'], /must be a positive integer or off/],
  ];
  for (const [args, message] of cases) {
    const r = await cli(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.err, message, args.join(' '));
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
  }
});

test('what-if and size syntax follow GOGC and GOMEMLIMIT', () => {
  assert.deepEqual(parseWhatIf('gogc=150'), { gogc: 150 });
  assert.deepEqual(parseWhatIf('GOGC=off'), { gogc: null });
  assert.deepEqual(parseWhatIf('gomemlimit=2GiB,gogc=off'), { gomemlimit: 2 * 2 ** 30, gogc: null });
  assert.deepEqual(parseWhatIf('gogc=80, gomemlimit=512MiB'), { gogc: 80, gomemlimit: 512 * 2 ** 20 });
  assert.equal(parseByteCount('1073741824', 'x'), 2 ** 30);
  assert.equal(parseByteCount('1.5GiB', 'x'), 1.5 * 2 ** 30);
  assert.equal(parseByteCount('64KiB', 'x'), 65536);
});

test('a go test log: split into its processes, each reported (text, --json, --html), or one with --process N', async () => {
  const log = join(LOGS, 'gotest.log');
  const r = await cli(['gc', log]);
  assert.equal(r.code, 0, r.err);
  const n = Number(/holds the GCs of (\d+) processes/.exec(r.out)![1]);
  assert.ok(n > 2);
  assert.match(r.out, /^process +cycles +lines +span +peak heap +GC CPU +findings +go build step$/m);
  assert.equal((r.out.match(/^── Process \d+ of \d+/gm) ?? []).length, n);
  assert.match(r.out, /^ +\d+ +\d+ +\d+–\d+ .* footprint-fixtures\/gotestlog\.test$/m, 'the link step, named by its heading');
  const j = JSON.parse((await cli(['gc', '--json', log])).out) as { processes: { process: { index: number }; cycles: { n: number }[] }[] };
  assert.deepEqual(j.processes.map((p) => p.process.index), Array.from({ length: n }, (_, i) => i + 1));
  assert.ok(j.processes.every((p) => p.cycles.every((c, i) => c.n === i + 1)));
  const one = JSON.parse((await cli(['gc', '--json', '--process', '2', log])).out) as { process: { index: number }; cycles: unknown[] };
  assert.deepEqual([one.process.index, one.cycles.length], [2, j.processes[1]!.cycles.length]);
  const html = join(tmp, 'gotest.html');
  assert.equal((await cli(['gc', '--html', html, log])).code, 0);
  assert.equal((readFileSync(html, 'utf8').match(/<h2>Process \d+ of \d+/g) ?? []).length, n);
  const past = await cli(['gc', '--process', String(n + 1), log]);
  assert.equal(past.code, 2);
  assert.match(past.err, new RegExp(`holds the GCs of ${n} processes: there is no --process ${n + 1}`));
});
