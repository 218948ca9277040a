import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { decodeProfile } from '../formats/index.js';
import { exactValue, type Profile } from '../model/profile.js';
import { runCli } from '../testkit/run-cli.js';
import { tempDir } from '../testkit/temp.js';

/**
 * Sample values past 2^53 (testdata/bigvalues, from testdata/regen-bigvalues.sh):
 * top, peek and traces print what go tool pprof 1.23.5 printed for them, every
 * command that reads them says they are rounded, and export writes them back
 * unchanged.
 */

const DIR = new URL('../../testdata/bigvalues/', import.meta.url).pathname;
const GO = '/usr/lib/go-1.23/bin/go';
const noGo = existsSync(GO) ? false : `${GO} not installed`;
const tmp = tempDir(after, 'bigvalues');
const at = (name: string) => join(DIR, name);
const WIDE = at('wide.pb.gz');

interface Golden {
  file: string;
  report: string;
  flags: string[];
  profile: string;
  regex: string;
}

const goldens: Golden[] = readFileSync(at('goldens.tsv'), 'utf8')
  .split('\n')
  .filter((l) => l !== '')
  .map((l) => {
    const [file, report, flags, profile, regex] = l.split('\t') as [string, string, string, string, string];
    return { file, report, flags: flags === '' ? [] : flags.split(' '), profile, regex };
  });

test('the bigvalues goldens are listed', () => {
  assert.equal(goldens.length, 12);
});

const WARNING = /warning: .*\.pb\.gz: sample values past 2\^53, where a double cannot hold every integer: \d+; .*rounded.*export --format=proto writes them unchanged/;

/** The int64 overflow case is the one place footprint does not print what pprof prints (see below). */
for (const g of goldens.filter((g) => !g.profile.startsWith('overflow'))) {
  test(`${g.file}: footprint ${g.report} prints what go tool pprof printed, and warns`, async () => {
    const args = [g.report, ...g.flags, ...(g.report === 'peek' ? [g.regex] : []), at(g.profile)];
    const r = await runCli(args);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(r.out.split('\n'), readFileSync(at(g.file), 'utf8').split('\n'));
    assert.match(r.err, WARNING);
  });
}

test('values are summed exactly, as pprof sums int64: 2^53+1 plus 1 is 9007199254740994', async () => {
  // Summed in doubles, 2^53+1 reads as 2^53 and 2^53 + 1 rounds back to 2^53 (…992).
  const r = await runCli(['top', '-sample_index=alloc_objects', '-nodefraction=0', '--json', WIDE]);
  const rows = (JSON.parse(r.out) as { rows: { name: string; cum: number }[] }).rows;
  assert.equal(rows.find((row) => row.name === 'main.b')?.cum, 9007199254740994);
});

test('a sum past int64: footprint prints the true sum where pprof wraps around, and says so', async () => {
  const g = goldens.find((x) => x.profile === 'overflow.pb.gz')!;
  const pprofText = readFileSync(at(g.file), 'utf8');
  // pprof: 2^62 + 2^62 + 5 wrapped to -2^63 + 5, printed (through a double) as -9223372036854775808.
  assert.match(pprofText, /of -9223372036854775808 total/);
  const r = await runCli(['top', ...g.flags, at(g.profile)]);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(r.out.split('\n'), pprofText.replaceAll('-9223372036854775808', '9223372036854775808').split('\n'));
  assert.match(r.err, /passes int64's largest value: go tool pprof's int64 sums wrap around/);
});

test('the analyses warn too: heap, and escapes --profile', async () => {
  const escapes = new URL('../../testdata/go1.26/escapes/m.txt', import.meta.url).pathname;
  for (const [command, args] of [
    ['heap', ['heap', '--json', WIDE]],
    ['escapes', ['escapes', '--json', escapes, '--profile', WIDE]],
  ] as const) {
    const r = await runCli([...args]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, new RegExp(`footprint ${command}: warning: .*wide\\.pb\\.gz: sample values past 2\\^53, where a double cannot hold every integer: 12;`));
  }
});

test('the doctor notes them too, for a capture folder whose allocs profile has them', async () => {
  const dir = join(tmp, 'capture');
  cpSync(new URL('../../testdata/captures/go1.26/goleak/', import.meta.url).pathname, dir, { recursive: true });
  copyFileSync(WIDE, join(dir, 'allocs.pb.gz'));
  const r = await runCli(['doctor', '--json', dir]);
  const notes = (JSON.parse(r.out) as { notes: string[] }).notes;
  assert.ok(notes.some((n) => /^allocs\.pb\.gz: sample values past 2\^53, where a double cannot hold every integer: 12;/.test(n)), notes.join('\n'));
});

function exactValues(p: Profile): bigint[] {
  return Array.from({ length: p.samples.values.length }, (_, i) => exactValue(p, i));
}

test('export --format=proto writes 2^63-1, 2^53+1 and -(2^53+5) back unchanged', async () => {
  for (const [name, holds] of [
    ['wide.pb.gz', [2n ** 53n + 1n, -(2n ** 53n + 5n), 2n ** 62n + 12345n]],
    ['int64max.pb.gz', [2n ** 63n - 1n]],
  ] as const) {
    const out = join(tmp, `exported-${name}`);
    const r = await runCli(['export', '--format=proto', '-o', out, at(name)]);
    assert.equal(r.code, 0, r.err);
    const back = exactValues(decodeProfile(gunzipSync(readFileSync(out))));
    assert.deepEqual(back, exactValues(decodeProfile(readFileSync(at(name)))));
    for (const v of holds) assert.ok(back.includes(v), String(v));
  }
});

/** go tool pprof -raw prints every sample's int64 values exactly. */
function raw(file: string): string {
  return execFileSync(GO, ['tool', 'pprof', '-raw', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
}

for (const [what, flags, sources, holds] of [
  ['filtered', ['--focus=main\\.(odd|big)'], [WIDE], ' 9007199254740993 '],
  // 2 × (2^62 + 1) wraps to -2^63 + 2.
  ['merged (int64 sums wrap as in pprof)', [], [WIDE, WIDE], ' -9223372036854775806 '],
  // The base's 2^63 - 1 is negated through a double: -2^63.
  ['diffed (pprof negates through a double)', [`--diff_base=${at('int64max.pb.gz')}`], [WIDE], ' -9223372036854775808 '],
] as const) {
  test(`export --format=proto of a ${what} profile holds the values go tool pprof -proto writes`, { skip: noGo }, async () => {
    const ours = join(tmp, `ours-${what.split(' ')[0]}.pb.gz`);
    const r = await runCli(['export', '--format=proto', ...flags, '-o', ours, ...sources]);
    assert.equal(r.code, 0, r.err);
    const theirs = join(tmp, `theirs-${what.split(' ')[0]}.pb.gz`);
    execFileSync(GO, ['tool', 'pprof', '-proto', `-output=${theirs}`, ...flags, ...sources], { stdio: 'ignore' });
    const samples = (text: string) => text.slice(text.indexOf('Samples:'), text.indexOf('Locations'));
    assert.equal(samples(raw(ours)), samples(raw(theirs)));
    assert.ok(samples(raw(ours)).includes(holds), samples(raw(ours)));
  });
}

test('export refuses a profile whose other integers were read rounded, rather than write different numbers', async () => {
  // wide.pb.gz with a second period field (the last one counts): 2^62 + 1.
  const file = join(tmp, 'period.pb');
  writeFileSync(file, Uint8Array.from([...gunzipSync(readFileSync(WIDE)), ...varintField(12, 2n ** 62n + 1n)]));
  assert.equal(decodeProfile(readFileSync(file)).period, 2 ** 62);
  const top = await runCli(['top', file]);
  assert.equal(top.code, 0, top.err);
  assert.match(top.err, /integers read rounded past 2\^53 \(period, numeric labels, line numbers, IDs, or a text profile's values\): 1;/);
  const r = await runCli(['export', '--format=proto', '-o', join(tmp, 'refused.pb.gz'), file]);
  assert.equal(r.code, 2);
  assert.match(r.err, /integers were read rounded past 2\^53 .*: 1; the export would write different numbers/);
});

test('a text profile\'s values past 2^53 are parsed into doubles: counted as read rounded, and export refuses them', async () => {
  const file = join(tmp, 'goroutine.txt');
  writeFileSync(file, 'goroutine profile: total 9007199254740993\n9007199254740993 @ 0x401000\n#\t0x401000\tmain.f+0x0\t/src/main.go:10\n\n');
  const top = await runCli(['top', file]);
  assert.equal(top.code, 0, top.err);
  assert.match(top.out, /of 9007199254740992 total/);
  assert.match(top.err, /sample values past 2\^53.*: 1; figures show them rounded to about 16 digits \(as go tool pprof prints them\)\n/);
  assert.match(top.err, /integers read rounded past 2\^53 .*: 1; export --format=proto refuses this profile/);
  const r = await runCli(['export', '--format=proto', '-o', join(tmp, 'refused-text.pb.gz'), file]);
  assert.equal(r.code, 2);
});

/** A varint field of profile.proto (https://protobuf.dev/programming-guides/encoding/). */
function varintField(field: number, v: bigint): number[] {
  const out = [field << 3];
  for (; v >= 0x80n; v >>= 7n) out.push(Number(v & 0x7fn) | 0x80);
  return [...out, Number(v)];
}

test('collapsed stacks carry exact sums; speedscope, whose weights are doubles, is refused', async () => {
  const collapsed = await runCli(['export', '--format=collapsed', '-sample_index=alloc_objects', WIDE]);
  assert.equal(collapsed.code, 0, collapsed.err);
  assert.deepEqual(collapsed.out.split('\n'), [
    'main.main;main.a;main.big 4611686018427387905',
    'main.main;main.a;main.odd 9007199254740993',
    'main.main;main.b;main.odd 9007199254740993',
    'main.main;main.b;main.one 1',
    'main.main;main.neg -9007199254740997',
    'main.main;main.small 3',
    '',
  ]);
  const speedscope = await runCli(['export', '--format=speedscope', '-sample_index=alloc_objects', '--focus=main\\.(a|b)', WIDE]);
  assert.equal(speedscope.code, 2);
  assert.match(speedscope.err, /speedscope reads weights as doubles.*use --format=collapsed or --format=proto/);
});
