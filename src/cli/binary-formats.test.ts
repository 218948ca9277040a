import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { diffBinaries, type BinaryAnalysis } from '../analyze/binary/index.js';
import { readBinaryImageFile } from '../formats/gobinary/image.js';
import { GO_TOOLCHAINS, goEnv, goTool, goVersion } from '../testkit/go-build.js';
import { runCli } from '../testkit/run-cli.js';
import { analyzeBinaryFile, chargedBytes, sizesSource } from '../testkit/binary-size.js';
import { tempDir } from '../testkit/temp.js';

/**
 * `footprint binary` on Mach-O (darwin/arm64) and PE (windows/amd64)
 * executables cross-compiled here from testdata/programs/gofmt by Go 1.23
 * and 1.26, with and without -s -w: every byte charged once, each
 * function's code and padding against `go tool nm -size` (which, for these
 * formats, sizes a symbol up to the next one), the build info against
 * `go version -m`, the stripped build's per-package code against the
 * unstripped one's, and the -s -w estimate against the real -s -w build.
 */

const PROGRAMS = new URL('../../testdata/programs/', import.meta.url).pathname;
const ROOT = tempDir(after, 'binary-formats');
const TARGETS = [
  ['darwin', 'arm64', 'macho'],
  ['darwin', 'amd64', 'macho'],
  ['windows', 'amd64', 'pe'],
] as const;

function crossBuild(go: string, goos: string, goarch: string, out: string, flags: readonly string[], where = { cwd: PROGRAMS, pkg: './gofmt' }): string {
  execFileSync(go, ['build', '-trimpath', ...flags, '-o', out, where.pkg], { cwd: where.cwd, env: { ...goEnv(), GOOS: goos, GOARCH: goarch }, stdio: 'pipe', timeout: 300_000 });
  return out;
}

const analyze = analyzeBinaryFile;
const total = chargedBytes;

/** `go tool nm -size` text symbols: name (Mach-O's "_" prefix and assembly's .abi0 removed) → sizes, sorted. */
function nmCodeSizes(go: string, file: string, prefix: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const line of goTool(go, ['tool', 'nm', '-size', '-sort', 'address', file]).split('\n')) {
    const m = /^\s*[0-9a-f]+\s+(\d+)\s+T\s+(.*)$/.exec(line);
    if (!m) continue;
    const name = m[2]!.slice(m[2]!.startsWith(prefix) ? prefix.length : 0).replace(/\.abi0$/, '');
    out.set(name, (out.get(name) ?? []).concat(Number(m[1])).sort((a, b) => a - b));
  }
  return out;
}

for (const [name, go] of GO_TOOLCHAINS) {
  const v = goVersion(go);
  const skip = !v?.startsWith(name) ? `${name} is not installed (${go})` : false;
  for (const [goos, goarch, format] of TARGETS) {
    test(`${name} ${goos}/${goarch}: ${format} every byte charged, code as go tool nm sizes it, build info, the -s -w size`, { skip, timeout: 600_000 }, () => {
      const plain = crossBuild(go, goos, goarch, join(ROOT, `${name}-${goos}-${goarch}`), []);
      const stripped = crossBuild(go, goos, goarch, join(ROOT, `${name}-${goos}-${goarch}-s`), ['-ldflags=-s -w']);
      const a = analyze(plain);
      const s = analyze(stripped);
      for (const [file, x] of [[plain, a], [stripped, s]] as const) {
        assert.equal(x.format, format);
        assert.equal(x.bytes, statSync(file).size);
        assert.equal(total(x), x.bytes, `${file}: packages and parts add up to the file`);
        assert.ok(x.parts.every((p) => p.bytes > 0), `no negative remainder: ${JSON.stringify(x.parts)}`);
      }
      // The -s -w estimate against the real -s -w build (the issue asks for 2%; the linker's layout makes it exact).
      assert.equal(a.strippedBytes, s.bytes);
      assert.equal(s.strippedBytes, s.bytes, 'nothing left to strip');
      assert.equal(a.strippedUnknown, undefined);
      assert.equal(a.hasSymbols, true);
      assert.equal(s.hasSymbols, false);
      assert.ok(a.parts.some((p) => p.name === 'DWARF debug info') && !s.parts.some((p) => p.name === 'DWARF debug info'));
      assert.ok(a.findings.some((f) => f.kind === 'binary-debug-info'), 'told to strip');
      // The code does not depend on the symbol table: the stripped build charges packages the same code.
      const codeOf = (x: BinaryAnalysis) => new Map(x.packages.filter((p) => p.functions > 0).map((p) => [p.name, [p.code, p.functions]]));
      assert.deepEqual(codeOf(s), codeOf(a));
      // A stripped PE's pclntab is found without runtime.pclntab/epclntab: the same span, so the same remainder.
      const rest = (x: BinaryAnalysis) => x.parts.find((p) => p.name === 'pclntab: find-function table and other')?.bytes;
      assert.equal(rest(s), rest(a));
      assert.ok((a.packages.find((p) => p.name === 'main')?.code ?? 0) > 0);

      // nm sizes a symbol up to the next symbol's address: a function's code and its alignment padding.
      const nm = nmCodeSizes(go, plain, format === 'macho' ? '_' : '');
      const image = readBinaryImageFile(plain);
      const fns = image.functions;
      // Section bounds take no bytes, as in ELF's symbol table: the type descriptors after runtime.types are the type:* block's.
      assert.deepEqual(image.symbols!.filter((x) => /^runtime\.e?(rodata|types|data|noptrdata)$/.test(x.name)), []);
      assert.ok((a.parts.find((p) => p.name === 'type descriptors')?.bytes ?? 0) > 0.05 * a.bytes);
      const ours = new Map<string, number[]>();
      for (const f of fns.slice(0, -1)) ours.set(f.name, (ours.get(f.name) ?? []).concat(f.code + f.padding).sort((x, y) => x - y));
      let compared = 0;
      for (const [fn, sizes] of ours) {
        if (!nm.has(fn) || fn.startsWith('go:')) continue;
        assert.deepEqual(sizes, nm.get(fn), fn);
        compared++;
      }
      assert.ok(compared > 0.95 * ours.size, `${compared} of ${ours.size} functions compared`);

      const lines = goTool(go, ['version', '-m', plain]).split('\n');
      assert.equal(a.goVersion, lines[0]!.split(': ')[1]);
      const want = lines.slice(1).filter((l) => l.trim() !== '').map((l) => l.trim().split('\t'));
      assert.deepEqual(want.filter((w) => w[0] === 'build').map((w) => w.slice(1).join('\t')), a.buildInfo!.settings.map((x) => `${x.key}=${x.value}`));
      assert.equal(want.find((w) => w[0] === 'path')?.[1], a.buildInfo!.path);
      assert.deepEqual(s.buildInfo, a.buildInfo);
    });
  }
}

test('the CLI reads a Mach-O and a PE executable: text and --json', { timeout: 300_000 }, async (t) => {
  const go = GO_TOOLCHAINS.find(([name, g]) => goVersion(g)?.startsWith(name))?.[1];
  if (!go) return t.skip('no toolchain');
  for (const [goos, goarch, format] of TARGETS) {
    const file = crossBuild(go, goos, goarch, join(ROOT, `cli-${goos}-${goarch}`), []);
    const json = await runCli(['binary', '--json', file]);
    assert.equal(json.code, 0, json.err);
    const doc = JSON.parse(json.out) as BinaryAnalysis;
    assert.equal(doc.format, format);
    assert.ok(doc.strippedBytes !== null && doc.strippedBytes < doc.bytes);
    assert.equal(doc.sections.find((s) => s.kind === 'pclntab' || s.name === '.rdata')?.kind, format === 'pe' ? 'rodata' : 'pclntab');
    const text = await runCli(['binary', '--rows', '5', file]);
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, new RegExp(`${format.toUpperCase()}, go1\\.`));
    assert.match(text.out, /With -ldflags="-s -w": [\d.]+ MiB/);
  }
});

test('Mach-O and PE: the //go:embed file to the byte, and the diff from gofmt to net/http over TLS', { timeout: 600_000 }, (t) => {
  const go = GO_TOOLCHAINS.find(([name, g]) => goVersion(g)?.startsWith(name))?.[1];
  if (!go) return t.skip('no toolchain');
  const payloadBytes = 1_500_000;
  const src = sizesSource(join(ROOT, 'sizes-src'), payloadBytes);
  for (const [goos, goarch] of [TARGETS[0], TARGETS[2]]) {
    const gofmt = analyze(crossBuild(go, goos, goarch, join(ROOT, `diff-gofmt-${goos}`), []));
    const sizes = analyze(crossBuild(go, goos, goarch, join(ROOT, `diff-sizes-${goos}`), [], { cwd: src, pkg: '.' }));
    assert.equal(total(sizes), sizes.bytes);
    const embed = sizes.findings.find((f) => f.kind === 'binary-large-data');
    assert.equal(embed?.evidence.find((e) => e.label === 'size')?.value, payloadBytes, `${goos}: the embedded file, to the byte`);
    const d = diffBinaries(gofmt, sizes);
    assert.equal(d.delta, sizes.bytes - gofmt.bytes);
    for (const pkg of ['net/http', 'crypto/tls']) {
      const change = d.packages.find((c) => c.name === pkg);
      assert.equal(change?.status, 'appeared', `${goos}: ${pkg}`);
      assert.equal(change?.next, sizes.packages.find((p) => p.name === pkg)!.bytes);
    }
  }
});
