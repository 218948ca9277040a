import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffBinaries, type BinaryAnalysis } from '../analyze/binary/index.js';
import { readBinaryImageFile } from '../formats/gobinary/image.js';
import { GO_TOOLCHAINS, goBuild, goTool, goVersion } from '../testkit/go-build.js';
import { runCli } from '../testkit/run-cli.js';
import { analyzeBinaryFile, chargedBytes, sizesSource } from '../testkit/binary-size.js';
import { tempDir } from '../testkit/temp.js';

/**
 * `footprint binary` against the Go toolchain's own answers, on programs
 * built here with Go 1.23 and 1.26 (testdata/programs/sizes: net/http over
 * TLS with a 1.5 MB //go:embed file; testdata/programs/gofmt: a small CLI),
 * with and without -s -w and -trimpath: function code sizes against
 * `go tool nm -size`, sections against `readelf -S`, the -s -w estimate
 * against the real -s -w build, build info against `go version -m`, the
 * -trimpath estimate against the real -trimpath build. Nothing is committed
 * but the programs; a missing toolchain skips.
 */

const PROGRAMS = new URL('../../testdata/programs/', import.meta.url).pathname;
const ROOT = tempDir(after, 'binary-size');
const PAYLOAD_BYTES = 1_500_000;

interface Builds {
  go: string;
  plain: string;
  stripped: string;
  untrimmed: string;
  gofmt: string;
  /** gofmt as a position-independent executable, and the same with -s -w. */
  pie: string;
  pieStripped: string;
}

function build(name: string, go: string): Builds {
  const dir = join(ROOT, name);
  const src = sizesSource(join(dir, 'sizes'), PAYLOAD_BYTES);
  return {
    go,
    plain: goBuild(go, src, join(dir, 'plain'), '.', ['-trimpath']),
    stripped: goBuild(go, src, join(dir, 'stripped'), '.', ['-trimpath', '-ldflags=-s -w']),
    untrimmed: goBuild(go, src, join(dir, 'untrimmed'), '.', []),
    gofmt: goBuild(go, PROGRAMS, join(dir, 'gofmt'), './gofmt', ['-trimpath']),
    pie: goBuild(go, PROGRAMS, join(dir, 'pie'), './gofmt', ['-trimpath', '-buildmode=pie']),
    pieStripped: goBuild(go, PROGRAMS, join(dir, 'pie-stripped'), './gofmt', ['-trimpath', '-buildmode=pie', '-ldflags=-s -w']),
  };
}

const analyze = analyzeBinaryFile;
const total = chargedBytes;

function part(a: BinaryAnalysis, name: string): number {
  return a.parts.find((p) => p.name === name)?.bytes ?? 0;
}

/** `go tool nm -size` text symbols: name (without the .abi0 of assembly) → their sizes, sorted. */
function nmCodeSizes(go: string, file: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const line of goTool(go, ['tool', 'nm', '-size', file]).split('\n')) {
    const m = /^\s*[0-9a-f]+\s+(\d+)\s+([Tt])\s+(.*)$/.exec(line);
    if (!m || m[1] === '0') continue;
    const name = m[3]!.replace(/\.abi0$/, '');
    out.set(name, (out.get(name) ?? []).concat(Number(m[1])).sort((a, b) => a - b));
  }
  return out;
}

/** `readelf -S -W`: section name → size. */
function readelfSections(file: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of execFileSync('readelf', ['-S', '-W', file], { encoding: 'utf8' }).split('\n')) {
    const m = /^\s*\[\s*\d+\]\s+(\.\S+)\s+\S+\s+[0-9a-f]+\s+[0-9a-f]+\s+([0-9a-f]+)\s/.exec(line);
    if (m) out.set(m[1]!, parseInt(m[2]!, 16));
  }
  return out;
}

const built = new Map<string, Builds>();

for (const [name, go] of GO_TOOLCHAINS) {
  const v = goVersion(go);
  const skip = !v?.startsWith(name) ? `${name} is not installed (${go})` : false;

  test(`${name}: every byte of the file is charged once, and the parts agree with readelf, nm and a real -s -w build`, { skip, timeout: 600_000 }, () => {
    const b = build(name, go);
    built.set(name, b);
    for (const file of [b.plain, b.stripped, b.untrimmed, b.gofmt, b.pie, b.pieStripped]) {
      const a = analyze(file);
      assert.equal(a.bytes, statSync(file).size);
      assert.equal(total(a), a.bytes, `${file}: packages and parts add up to the file`);
      assert.ok(a.parts.every((p) => p.bytes > 0) && a.packages.every((p) => p.bytes >= 0), 'no negative remainder anywhere');
      const elf = readelfSections(file);
      assert.deepEqual(new Map(a.sections.map((s) => [s.name, s.kind === 'bss' ? s.memBytes : s.bytes])), elf, 'sections as readelf -S lists them');
    }
    const plain = analyze(b.plain);
    const stripped = analyze(b.stripped);
    // The -s -w estimate against the real -s -w build of the same program (the issue asks for 2%; the linker's layout makes it exact).
    assert.ok(Math.abs(plain.strippedBytes! - stripped.bytes) <= stripped.bytes * 0.02, `${plain.strippedBytes} vs real ${stripped.bytes}`);
    assert.equal(plain.strippedBytes, stripped.bytes);
    assert.equal(stripped.strippedBytes, stripped.bytes, 'nothing left to strip');
    assert.equal(analyze(b.pie).strippedBytes, statSync(b.pieStripped).size, 'a PIE build (relocations, dynamic sections) too');
    assert.ok(part(plain, 'DWARF debug info') > 0 && part(stripped, 'DWARF debug info') === 0);
    assert.equal(stripped.hasSymbols, false);
    // Code and the pclntab do not depend on the symbol table: the stripped build charges packages the same code.
    const codeOf = (a: BinaryAnalysis) => new Map(a.packages.filter((p) => p.functions > 0).map((p) => [p.name, [p.code, p.functions]]));
    assert.deepEqual(codeOf(stripped), codeOf(plain));
    // Without symbols, before Go 1.26, the last funcdata blob runs to the moduledata's gcdata and takes the GC pointer masks with it.
    const pclntab = (a: BinaryAnalysis) => a.packages.reduce((sum, p) => sum + p.pclntab, 0);
    const masks = name === 'go1.26' ? 0 : part(plain, 'GC pointer masks');
    assert.equal(pclntab(stripped), pclntab(plain) + masks);
    for (const pkg of ['net/http', 'crypto/tls', 'main', 'runtime']) assert.ok((plain.packages.find((p) => p.name === pkg)?.code ?? 0) > 0, `${pkg} has code`);
  });

  test(`${name}: each function's code is the size go tool nm gives it`, { skip, timeout: 300_000 }, (t) => {
    const b = built.get(name);
    if (!b) return t.skip('the build failed');
    const nm = nmCodeSizes(go, b.plain);
    const ours = new Map<string, number[]>();
    for (const f of readBinaryImageFile(b.plain).functions) ours.set(f.name, (ours.get(f.name) ?? []).concat(f.code).sort((x, y) => x - y));
    let compared = 0;
    for (const [fn, sizes] of ours) {
      // go:textfipsstart and the like mark where a block of text starts; nm gives them a byte.
      if (!nm.has(fn) || fn.startsWith('go:')) continue;
      assert.deepEqual(sizes, nm.get(fn), fn);
      compared++;
    }
    assert.ok(compared > 0.95 * ours.size, `${compared} of ${ours.size} functions compared (nm cuts names with spaces)`);
  });

  test(`${name}: build info as go version -m prints it; the -trimpath estimate against the real -trimpath build`, { skip, timeout: 300_000 }, (t) => {
    const b = built.get(name);
    if (!b) return t.skip('the build failed');
    const a = analyze(b.untrimmed);
    const lines = goTool(go, ['version', '-m', b.untrimmed]).split('\n');
    assert.equal(a.goVersion, lines[0]!.split(': ')[1]);
    const want = lines.slice(1).filter((l) => l.trim() !== '').map((l) => l.trim().split('\t'));
    const info = a.buildInfo!;
    assert.deepEqual(want.find((w) => w[0] === 'path')?.[1], info.path);
    assert.deepEqual(want.find((w) => w[0] === 'mod')?.slice(1, 3), [info.main!.path, info.main!.version]);
    assert.deepEqual(want.filter((w) => w[0] === 'build').map((w) => w.slice(1).join('\t')), info.settings.map((s) => `${s.key}=${s.value}`));
    const trimmed = analyze(b.plain);
    assert.equal(trimmed.trimpathSavings, 0, 'already trimmed');
    const real = part(a, 'pclntab: source file names') - part(trimmed, 'pclntab: source file names');
    assert.ok(real > 0);
    assert.ok(Math.abs(a.trimpathSavings - real) <= real * 0.02, `estimate ${a.trimpathSavings} vs real ${real}`);
  });

  test(`${name}: findings: debug info to strip, the embedded file`, { skip, timeout: 300_000 }, (t) => {
    const b = built.get(name);
    if (!b) return t.skip('the build failed');
    const plain = analyze(b.plain);
    const debug = plain.findings.find((f) => f.kind === 'binary-debug-info');
    assert.ok(debug, 'an unstripped build is told to strip');
    assert.deepEqual(debug.evidence.find((e) => e.label === 'with -ldflags="-s -w"')?.value, analyze(b.stripped).bytes);
    assert.ok(!analyze(b.stripped).findings.some((f) => f.kind === 'binary-debug-info'));
    const embed = plain.findings.find((f) => f.kind === 'binary-large-data');
    assert.equal(embed?.evidence.find((e) => e.label === 'size')?.value, PAYLOAD_BYTES, 'the //go:embed file, to the byte');
    assert.equal(embed?.location?.function.startsWith('main.'), true);
  });
}

test('diff of two builds: what appeared (net/http, crypto/tls), per package and function, the file delta', { timeout: 300_000 }, (t) => {
  const b = built.get('go1.26') ?? built.get('go1.23');
  if (!b) return t.skip('no toolchain built the programs');
  const before = analyze(b.gofmt);
  const now = analyze(b.plain);
  const d = diffBinaries(before, now);
  assert.equal(d.delta, now.bytes - before.bytes);
  const http = d.packages.find((c) => c.name === 'net/http');
  assert.equal(http?.status, 'appeared');
  assert.equal(http?.next, now.packages.find((p) => p.name === 'net/http')!.bytes);
  assert.equal(d.packages.find((c) => c.name === 'crypto/tls')?.status, 'appeared');
  const fn = d.functions.find((c) => c.name === 'net/http.(*conn).serve');
  const serve = now.functions.find((f) => f.name === 'net/http.(*conn).serve')!;
  assert.equal(fn?.delta, serve.code + serve.pclntab);
  // Rows are sorted by the size of the change.
  for (let i = 1; i < d.packages.length; i++) assert.ok(Math.abs(d.packages[i - 1]!.delta) >= Math.abs(d.packages[i]!.delta));
  assert.deepEqual(diffBinaries(now, now).packages, [], 'a build compared with itself has no changes');
});

test('the CLI: --json, the text report, --diff_base, --html', { timeout: 300_000 }, async (t) => {
  const b = built.get('go1.26') ?? built.get('go1.23');
  if (!b) return t.skip('no toolchain built the programs');
  const json = await runCli(['binary', '--json', b.plain]);
  assert.equal(json.code, 0, json.err);
  const doc = JSON.parse(json.out) as BinaryAnalysis;
  for (const key of ['file', 'bytes', 'goVersion', 'sections', 'packages', 'strippedBytes', 'findings']) assert.ok(key in doc, key);
  assert.deepEqual(doc.packages[0] && Object.keys(doc.packages[0]).sort(), ['bytes', 'code', 'data', 'functions', 'module', 'name', 'pclntab']);
  const text = await runCli(['binary', '--rows', '5', b.plain]);
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /With -ldflags="-s -w": /);
  assert.match(text.out, /net\/http/);
  const diff = await runCli(['binary', '--diff_base', b.gofmt, b.plain]);
  assert.equal(diff.code, 0, diff.err);
  assert.match(diff.out, /\+[\d.]+ [KM]iB\s+0 B\s+[\d.]+ [KM]iB\s+appeared\s+crypto\/tls/);
  const html = join(ROOT, 'size.html');
  const page = await runCli(['binary', '--html', html, b.plain]);
  assert.equal(page.code, 0, page.err);
  const written = readFileSync(html, 'utf8');
  assert.match(written, /<svg[^>]*treemap/);
  assert.match(written, /<title>net\/http: /);
  assert.equal(json.err, '');
});

test('what is not a Go executable is refused with one line and exit 2', async () => {
  const dir = tempDir(after, 'binary-bad');
  const notElf = join(dir, 'notes.txt');
  writeFileSync(notElf, 'hello\n'.repeat(20));
  const r = await runCli(['binary', notElf]);
  assert.equal(r.code, 2);
  assert.match(r.err, /notes\.txt.*(not an ELF|too short)/);
  assert.equal(r.err.trim().split('\n').length, 1);
  // A Mach-O or PE header with nothing behind it: read as that format, and refused for what it lacks.
  const empty: [string, number[], RegExp][] = [
    ['mac', [0xcf, 0xfa, 0xed, 0xfe], /mac: no pclntab/],
    ['exe', [0x4d, 0x5a, 0x90, 0x00], /exe: no "PE\\0\\0" signature/],
    ['fat', [0xca, 0xfe, 0xba, 0xbe], /fat: a 32-bit, big-endian or universal \(fat\) Mach-O file/],
  ];
  for (const [name, head, why] of empty) {
    const file = join(dir, name);
    writeFileSync(file, Uint8Array.from([...head, ...new Array<number>(60).fill(0)]));
    const other = await runCli(['binary', file]);
    assert.equal(other.code, 2);
    assert.match(other.err, why);
    assert.equal(other.err.trim().split('\n').length, 1);
  }
  const missing = await runCli(['binary', join(dir, 'absent')]);
  assert.equal(missing.code, 2);
  const usage = await runCli(['binary']);
  assert.equal(usage.code, 2);
  const both = await runCli(['binary', '--diff_base', notElf, '--html', join(dir, 'x.html'), notElf]);
  assert.equal(both.code, 2);
  assert.match(both.err, /--html draws one binary/);
});
