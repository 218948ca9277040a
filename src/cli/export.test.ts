import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { decodeProfile } from '../formats/index.js';
import { Report } from '../report/report.js';
import { runCli } from '../testkit/run-cli.js';
import { tempDir } from '../testkit/temp.js';

const GO123 = new URL('../../testdata/go1.23/', import.meta.url).pathname;
const GO = '/usr/lib/go-1.23/bin/go';
const noGo = existsSync(GO) ? false : `${GO} not installed`;
const tmp = tempDir(after, 'export');

const cli = runCli;

/** stdout of Go 1.23's go tool pprof, run in `cwd` with TZ=UTC. */
function pprof(args: string[], cwd: string): string {
  return execFileSync(GO, ['tool', 'pprof', ...args], {
    cwd,
    env: { ...process.env, TZ: 'UTC' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
}

test('proto of a diff_base comparison reads back through go tool pprof with the same report', { skip: noGo }, async () => {
  const dir = join(GO123, 'diff');
  const out = join(tmp, 'diff.pb.gz');
  const r = await cli(['export', '--format=proto', `--diff_base=${join(dir, 'before.heap.pb.gz')}`, '-o', out, join(dir, 'after.heap.pb.gz')]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, '');
  for (const report of ['-top', '-traces']) {
    const want = pprof([report, '-sample_index=alloc_space', '-diff_base=before.heap.pb.gz', 'after.heap.pb.gz'], dir);
    const got = pprof([report, '-sample_index=alloc_space', out], dir);
    assert.ok(want.includes('main.parseInput'));
    assert.deepEqual(got.split('\n'), want.split('\n'));
  }
  // The pprof::base label survives, so pprof's total is the base's, not the sum of both.
  const p = decodeProfile(readFileSync(out));
  assert.ok(p.strings.includes('pprof::base'));
});

for (const [rel, si] of [
  ['heap/heap.pb.gz', 'alloc_space'],
  ['contention/mutex.pb.gz', 'contentions'],
] as const) {
  test(`proto of ${rel} is the decoded profile, and pprof reports it identically`, async () => {
    const out = join(tmp, rel.replace('/', '-'));
    const r = await cli(['export', '--format=proto', `--output=${out}`, join(GO123, rel)]);
    assert.equal(r.code, 0, r.err);
    const bytes = readFileSync(out);
    assert.equal(bytes[0], 0x1f, 'gzipped');
    assert.deepStrictEqual(decodeProfile(gunzipSync(bytes)), decodeProfile(readFileSync(join(GO123, rel))));
    if (noGo) return;
    for (const flags of [[], [`-sample_index=${si}`, '-lines']]) {
      const want = pprof(['-top', ...flags, join(GO123, rel)], tmp);
      assert.deepEqual(pprof(['-top', ...flags, out], tmp).split('\n'), want.split('\n'));
    }
  });
}

test('proto with --focus/--hide matches go tool pprof -proto with the same flags', { skip: noGo }, async () => {
  const src = join(GO123, 'heap/heap.pb.gz');
  const flags = ['-focus=main\\.buildTree', '-hide=runtime\\.'];
  const ours = join(tmp, 'focus.pb.gz');
  const r = await cli(['export', '--format=proto', ...flags, '-o', ours, src]);
  assert.equal(r.code, 0, r.err);
  const theirs = join(tmp, 'focus.go.pb.gz');
  execFileSync(GO, ['tool', 'pprof', '-proto', `-output=${theirs}`, ...flags, src], { stdio: 'ignore' });
  for (const report of ['-top', '-traces', '-raw']) {
    assert.deepEqual(pprof([report, ours], tmp).split('\n'), pprof([report, theirs], tmp).split('\n'));
  }
});

test('collapsed goes to stdout and sums to the top total', async () => {
  const src = join(GO123, 'heap/heap.pb.gz');
  const r = await cli(['export', '--format=collapsed', '-sample_index=alloc_space', src]);
  assert.equal(r.code, 0, r.err);
  const lines = r.out.trimEnd().split('\n');
  const total = lines.reduce((t, l) => t + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
  assert.equal(total, new Report(decodeProfile(readFileSync(src)), 'top', { sampleIndex: 'alloc_space' }).total);
  assert.ok(lines.some((l) => l.startsWith('runtime.main;main.main;main.churn ')));
});

test('collapsed of a diff keeps negative lines', async () => {
  const dir = join(GO123, 'diff');
  const r = await cli(['export', '--format=collapsed', `--diff_base=${join(dir, 'before.heap.pb.gz')}`, join(dir, 'after.heap.pb.gz')]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /;main\.parseInput -\d+\n/);
});

test('speedscope JSON to stdout, and --json summary with --output', async () => {
  const src = join(GO123, 'contention/mutex.pb.gz');
  const r = await cli(['export', '--format=speedscope', src]);
  assert.equal(r.code, 0, r.err);
  const doc = JSON.parse(r.out) as { $schema: string; profiles: { unit: string; samples: number[][]; weights: number[]; endValue: number }[] };
  assert.equal(doc.$schema, 'https://www.speedscope.app/file-format-schema.json');
  const prof = doc.profiles[0]!;
  assert.equal(prof.unit, 'nanoseconds');
  assert.equal(prof.endValue, new Report(decodeProfile(readFileSync(src)), 'top', {}).total);

  const out = join(tmp, 'mutex.speedscope.json');
  const j = await cli(['export', '--format=speedscope', '--json', '-o', out, src]);
  assert.equal(j.code, 0, j.err);
  const summary = JSON.parse(j.out) as { format: string; output: string; samples: number; bytes: number };
  assert.deepEqual(summary, { format: 'speedscope', output: out, samples: prof.samples.length, bytes: readFileSync(out).length });
  assert.equal(readFileSync(out, 'utf8'), r.out);
});

test('usage errors exit 2 with a clear message', async () => {
  const dir = join(GO123, 'diff');
  const diff = ['--format=speedscope', `--diff_base=${join(dir, 'before.heap.pb.gz')}`, join(dir, 'after.heap.pb.gz')];
  const cases: [string[], RegExp][] = [
    [diff, /negative weights.*--format=collapsed.*--format=proto/],
    [['--format=proto', join(GO123, 'heap/heap.pb.gz')], /--output/],
    [[join(GO123, 'heap/heap.pb.gz')], /--format is required/],
    [['--format=svg', join(GO123, 'heap/heap.pb.gz')], /unknown --format "svg"/],
    [['--format=collapsed', '--json', join(GO123, 'heap/heap.pb.gz')], /--output/],
    [['--format=collapsed', '-sample_index=nope', join(GO123, 'heap/heap.pb.gz')], /sample_index "nope"/],
    [['--format=collapsed', '--nodecount=3', join(GO123, 'heap/heap.pb.gz')], /nodecount/],
  ];
  for (const [args, re] of cases) {
    const r = await cli(['export', ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, re);
    assert.equal(r.out, '');
  }
});

test('help lists formats and examples', async () => {
  const r = await cli(['export', '--help']);
  assert.equal(r.code, 0);
  assert.match(r.out, /--format=proto\|collapsed\|speedscope/);
  assert.match(r.out, /Examples:/);
  assert.equal((await cli(['help', 'export'])).out, r.out);
});
