import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FormatError } from '../errors.js';
import { syntheticGoBinary, SYNTH } from '../../testkit/go-binary.js';
import { bytesAccess } from '../random-access.js';
import { GoBinary } from './index.js';

const TESTDATA = new URL('../../../testdata/', import.meta.url).pathname;
const open = (bytes: Uint8Array) => GoBinary.open(bytesAccess(bytes), 'synthetic');

// ---- The synthetic binary: every answer chosen by hand ---------------------------------

test('synthetic binary: pprof\'s answer is the physical function with the innermost position', () => {
  const b = open(syntheticGoBinary());
  assert.equal(b.pclntabVersion, '1.20');
  assert.equal(b.goBuildId, SYNTH.goBuildId);
  assert.equal(b.table.funcCount, 3);
  assert.deepEqual(b.symbol(0x401000), { func: 'main.outer', file: 'main.go', line: 10 });
  assert.deepEqual(b.symbol(0x40100f), { func: 'main.outer', file: 'main.go', line: 10 });
  // Inside the inlined body: still main.outer (pprof does not expand), at inner.go:20.
  assert.deepEqual(b.symbol(0x401010), { func: 'main.outer', file: 'inner.go', line: 20 });
  assert.deepEqual(b.symbol(0x401020), { func: 'main.outer', file: 'main.go', line: 11 });
  assert.deepEqual(b.symbol(0x401045), { func: 'main.generic[go.shape.int]', file: 'main.go', line: 30 });
  assert.deepEqual(b.symbol(0x40106f), { func: 'main.tail', file: 'main.go', line: 40 });
  assert.equal(b.symbol(0x400fff), undefined, 'before the first function');
  assert.equal(b.symbol(SYNTH.end), undefined, 'at the end PC');
  const pcs = [0x401050, 0x400000, 0x401014, 0x401000, 0x40106f, 0x401014, 0x401070, 0x40103f];
  assert.deepEqual(b.symbols(pcs), pcs.map((pc) => b.symbol(pc)), 'symbols() in one pass per function gives what symbol() gives');
});

test('synthetic binary: the inline tree gives the logical frames, innermost first', () => {
  const b = open(syntheticGoBinary());
  assert.ok(b.hasInlineTree, 'the moduledata was found, so gofunc is known');
  assert.equal(b.moduleData?.address, 0x600008);
  assert.equal(b.moduleData?.gofunc, SYNTH.gofunc);
  assert.deepEqual(b.frames(0x401014), [
    { func: 'main.inner', file: 'inner.go', line: 20 },
    // The caller's position is its call site: the parent PC, entry + 0x08.
    { func: 'main.outer', file: 'main.go', line: 10 },
  ]);
  assert.deepEqual(b.frames(0x401024), [{ func: 'main.outer', file: 'main.go', line: 11 }]);
  assert.deepEqual(b.frames(0x401050), [{ func: 'main.generic[go.shape.int]', file: 'main.go', line: 30 }], 'no inline tree');
  assert.deepEqual(b.frames(0x300000), []);
});

test('synthetic binary: the text start comes from the .text section, else from the pclntab header', () => {
  // Go 1.26 writes 0 where the header held the text start; the section says where text is.
  assert.equal(open(syntheticGoBinary()).table.textStart, SYNTH.textStart);
  const old = open(syntheticGoBinary({ headerTextStart: true, noTextSection: true }));
  assert.equal(old.table.textStart, SYNTH.textStart);
  assert.deepEqual(old.symbol(0x401045)?.func, 'main.generic[go.shape.int]');
  assert.equal(open(syntheticGoBinary()).loadAddress(), 0x400000);
});

test('unreadable binaries give one-line FormatErrors naming the file', () => {
  const good = syntheticGoBinary();
  const pclntabAt = Buffer.from(good).indexOf(Buffer.from([0xf1, 0xff, 0xff, 0xff]));
  assert.ok(pclntabAt > 0);
  const with4 = (at: number, v: number[]) => {
    const b = good.slice();
    b.set(v, at);
    return b;
  };
  const cases: [string, Uint8Array, RegExp][] = [
    ['empty', new Uint8Array(0), /too short for an ELF header/],
    ['a Mach-O', Uint8Array.from([0xcf, 0xfa, 0xed, 0xfe, ...new Array(60).fill(0)]), /not an ELF file/],
    ['cut after the header', good.slice(0, 200), /outside the 200-byte file/],
    ['Go 1.2 pclntab', with4(pclntabAt, [0xfb, 0xff, 0xff, 0xff]), /Go 1\.2-1\.15 pclntab is not supported/],
    ['not a pclntab', with4(pclntabAt, [1, 2, 3, 4]), /not a Go pclntab/],
    ['a pointer size of 3', with4(pclntabAt + 7, [3]), /malformed pclntab header/],
  ];
  for (const [what, bytes, re] of cases) {
    assert.throws(
      () => open(bytes),
      (err: unknown) => err instanceof FormatError && re.test(err.message) && err.describe().startsWith('synthetic: ') && !err.describe().includes('\n'),
      what,
    );
  }
});

// ---- Real binaries: the Go toolchains' own tools agree -------------------------------------

const TOOLCHAINS = [
  ['go1.23', process.env['GO123'] ?? '/usr/lib/go-1.23/bin/go'],
  ['go1.26', process.env['GO126'] ?? 'go'],
] as const;

function goEnv(go: string, key: string): string | undefined {
  try {
    return execFileSync(go, ['env', key], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

for (const [name, go] of TOOLCHAINS) {
  const toolDir = goEnv(go, 'GOTOOLDIR');
  const compile = toolDir ? join(toolDir, 'compile') : '';
  const skip = !toolDir || !existsSync(compile) ? `${name} is not installed (${go})` : false;

  test(`${name} compiler: symbol() agrees with go tool addr2line at 3,000 PCs`, { skip, timeout: 120_000 }, () => {
    const b = GoBinary.openFile(compile);
    try {
      const lo = b.table.entry(0);
      const hi = b.table.entry(b.table.funcCount);
      let x = 0x2545f491;
      const pcs: number[] = [];
      for (let i = 0; i < 3000; i++) {
        x = (Math.imul(x, 1103515245) + 12345) >>> 0;
        pcs.push(lo + (x % (hi - lo)));
      }
      const input = pcs.map((pc) => `0x${pc.toString(16)}`).join('\n') + '\n';
      const out = execFileSync(go, ['tool', 'addr2line', compile], { input, encoding: 'utf8', maxBuffer: 1 << 26 }).trimEnd().split('\n');
      assert.equal(out.length, pcs.length * 2);
      const differ: string[] = [];
      pcs.forEach((pc, i) => {
        const s = b.symbol(pc);
        const mine = s ? `${s.func} ${s.file}:${s.line}` : '?';
        const theirs = `${out[2 * i]} ${out[2 * i + 1]}`;
        if (mine !== theirs) differ.push(`0x${pc.toString(16)}: ${mine} vs ${theirs}`);
      });
      assert.deepEqual(differ.slice(0, 5), []);
      assert.deepEqual(b.symbols(pcs), pcs.map((pc) => b.symbol(pc)), 'symbols() agrees with symbol()');
      assert.ok(b.goBuildId.length > 0, 'the compiler has a Go build ID');
      assert.ok(b.hasInlineTree, 'the moduledata was found');
      // The runtime's own idea of where text starts is where debug/gosym (and this reader) takes it from.
      assert.equal(b.moduleData?.text, b.table.textStart);
      assert.ok(b.moduleData!.etext > b.table.entry(b.table.funcCount - 1));
    } finally {
      b.close();
    }
  });

  test(`${name} compiler: the inline tree gives every frame the runtime printed in its own memprofile`, { skip, timeout: 120_000 }, (t) => {
    const b = GoBinary.openFile(compile);
    try {
      // The runtime wrote these `#` frame lines from this binary's tables: each
      // line's PC is where the frame's call is (the innermost frame there).
      const text = readFileSync(join(TESTDATA, name, 'compiler', 'compile.memprofile.txt'), 'utf8');
      let checked = 0;
      const differ: string[] = [];
      for (const m of text.matchAll(/^#\t+0x([0-9a-f]+)\t+([^\t]+)\+0x[0-9a-f]+\t+(.*):(\d+)$/gm)) {
        const f = b.frames(parseInt(m[1]!, 16))[0];
        const mine = f ? `${forPrint(f.func)} ${f.file}:${f.line}` : '?';
        if (mine !== `${m[2]} ${m[3]}:${m[4]}`) differ.push(`0x${m[1]}: ${mine} vs ${m[2]} ${m[3]}:${m[4]}`);
        checked++;
      }
      if (differ.length > checked / 2) {
        t.skip(`${compile} is not the compiler that wrote testdata/${name}/compiler (regenerate with bash testdata/regen.sh)`);
        return;
      }
      assert.ok(checked > 10_000, `${checked} frame lines`);
      assert.deepEqual(differ.slice(0, 5), [], `${differ.length} of ${checked} differ`);
    } finally {
      b.close();
    }
  });
}

/** The runtime prints a generic function's shape arguments as "[...]" (runtime/traceback.go funcNameForPrint). */
function forPrint(name: string): string {
  const i = name.indexOf('[');
  const j = name.lastIndexOf(']');
  return i < 0 || j <= i ? name : `${name.slice(0, i)}[...]${name.slice(j + 1)}`;
}
