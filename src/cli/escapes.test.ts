import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../testkit/run-cli.js';
import { tempDir } from '../testkit/temp.js';

/** `footprint escapes` end to end on the committed fixtures, and its refusals. */

const TESTDATA = new URL('../../testdata/', import.meta.url).pathname;
const fx = (p: string) => join(TESTDATA, p);
const dir = tempDir(after, 'escapes');

function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  return runCli(['escapes', ...argv]);
}

interface JsonSite {
  file: string;
  line: number;
  column: number;
  expr: string;
  decision: string;
  allocBytes?: number;
}

test('--json with a profile: the EscapeAnalysis { summary, sites, findings, join, amplification }, sites ranked by allocBytes', async () => {
  const { code, out } = await run(fx('go1.26/escapes/m2.txt'), '--profile', fx('go1.26/escapes/allocs.pb.gz'), '--json');
  assert.equal(code, 0);
  const doc = JSON.parse(out) as { sites: JsonSite[]; findings: { kind: string }[] };
  assert.deepEqual(Object.keys(doc), ['summary', 'sites', 'findings', 'join', 'amplification']);
  for (const s of doc.sites) for (const k of ['file', 'line', 'column', 'expr', 'decision']) assert.ok(k in s, k);
  const bytes = doc.sites.map((s) => s.allocBytes ?? -1);
  assert.deepEqual(bytes, [...bytes].sort((a, b) => b - a));
  assert.equal(doc.sites[0]!.line, 203, 'capacityScratch(40) in main, its 256 KiB buffer inlined there');
  assert.ok(doc.findings.some((f) => f.kind === 'escape-hotspot'));
});

test('a -json folder is accepted; without a profile there are no findings', async () => {
  const { code, out } = await run(fx('go1.23/escapes/json'), '--json');
  assert.equal(code, 0);
  const doc = JSON.parse(out) as { sites: JsonSite[]; findings: unknown[] };
  assert.ok(doc.sites.length > 20);
  assert.deepEqual(doc.findings, []);
  assert.ok(doc.sites.every((s) => s.allocBytes === undefined));
});

test('terminal output: summary, ranking, unexplained lines, amplification and findings', async () => {
  const { code, out } = await run(fx('go1.23/escapes/m.txt'), '--profile', fx('go1.23/escapes/allocs.pb.gz'));
  assert.equal(code, 0);
  for (const part of ['Causes of heap sites:', 'By package, file and function', ' Rank ', 'Allocation lines no escape explains:', 'Amplification:', '[escape-hotspot]']) {
    assert.ok(out.includes(part), part);
  }
  const summaryOnly = await run(fx('go1.23/escapes/m.txt'));
  assert.ok(!summaryOnly.out.includes(' Rank '));
});

test('- reads the output from stdin, as piped from go build', () => {
  const bin = new URL('../../bin/footprint.js', import.meta.url).pathname;
  const r = spawnSync(process.execPath, [bin, 'escapes', '-', '--json'], { input: readFileSync(fx('go1.26/escapes/m.txt')), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.ok((JSON.parse(r.stdout) as { sites: unknown[] }).sites.length > 20);
});

test('--help prints the usage with examples', async () => {
  const { code, out } = await run('--help');
  assert.equal(code, 0);
  assert.match(out, /Examples:\n {2}go build -gcflags=-m=2/);
});

async function expectExit2(argv: string[], names: string, what: RegExp): Promise<void> {
  const { code, out, err } = await run(...argv);
  assert.equal(code, 2, err);
  assert.equal(out, '');
  const lines = err.trimEnd().split('\n');
  assert.equal(lines.length, 1, err);
  assert.ok(lines[0]!.startsWith(`footprint escapes: ${names}`), lines[0]);
  assert.match(lines[0]!, what);
}

test('bad input exits 2 with one line naming the file', async () => {
  const garbage = join(dir, 'garbage.txt');
  writeFileSync(garbage, 'this is not compiler output\n');
  await expectExit2([garbage], garbage, /not escape-analysis output/);
  await expectExit2([join(dir, 'missing.txt')], join(dir, 'missing.txt'), /no such file/);
  const badJson = join(dir, 'bad.json');
  writeFileSync(badJson, '{"version":0,"package":"main","file":"x.go"}\n{"range":\n');
  await expectExit2([badJson], badJson, /invalid JSON.*\(line 2\)/);
  await expectExit2([fx('go1.26/escapes/m.txt'), '--profile', garbage], garbage, /not a profile/);
  await expectExit2([fx('go1.26/escapes/m.txt'), '--profile', fx('go1.23/goroutines/goroutine.pb.gz')], fx('go1.23/goroutines/goroutine.pb.gz'), /no alloc_space/);
  const empty = mkdtempSync(join(dir, 'emptydir-'));
  await expectExit2([empty], empty, /no \.json files/);
});

test('usage errors exit 2', async () => {
  const { code, err } = await run();
  assert.equal(code, 2);
  assert.match(err, /want exactly one escape output/);
  assert.equal((await run(fx('go1.26/escapes/m.txt'), '--top=x')).code, 2);
});
