import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BinaryFunction, BinaryImage } from '../../model/binary.js';
import { parseModInfo } from '../../formats/gobinary/buildinfo.js';
import { analyzeBinary } from './index.js';
import { moduleOf, ownerOf } from './owners.js';

/**
 * The attribution rules and findings on images made by hand, where the
 * right answer is plain: the real-binary truth tests are in
 * src/cli/binary-size.test.ts.
 */

function fn(name: string, code: number, tables = 0): BinaryFunction {
  return { name, code, padding: 0, nameBytes: tables, record: 0, pcTables: 0, funcdata: 0 };
}

/** An image whose .text holds `functions`, with a pclntab of just their names and `dwarf` bytes of debug info. */
function image(functions: BinaryFunction[], opts: { deps?: string[]; dwarf?: number; symbols?: { name: string; bytes: number }[] } = {}): BinaryImage {
  let code = 0;
  let tables = 0;
  for (const f of functions) {
    code += f.code;
    tables += f.nameBytes;
  }
  let data = 0;
  for (const s of opts.symbols ?? []) data += s.bytes;
  const dwarf = opts.dwarf ?? 0;
  const deps = (opts.deps ?? []).map((d) => `dep\t${d}\tv1.0.0\th1:x=`).join('\n');
  return {
    format: 'elf',
    fileBytes: 4096 + code + tables + data + dwarf,
    ptrSize: 8,
    pclntabVersion: '1.20',
    sections: [
      { name: '.text', kind: 'code', offset: 4096, fileBytes: code, addr: 0x401000, memBytes: code },
      { name: '.gopclntab', kind: 'pclntab', offset: 4096 + code, fileBytes: tables, addr: 0x500000, memBytes: tables },
      { name: '.noptrdata', kind: 'data', offset: 4096 + code + tables, fileBytes: data, addr: 0x600000, memBytes: data },
      { name: '.debug_info', kind: 'debug', offset: 4096 + code + tables + data, fileBytes: dwarf, addr: 0, memBytes: 0 },
    ],
    functions,
    symbols: (opts.symbols ?? []).map((s) => ({ ...s, section: '.noptrdata' })),
    pclntabShared: { header: 0, cutab: 0, fileNames: 0, inlinedNames: 0, other: 0 },
    homes: { code: '.text', pclntab: '.gopclntab', funcdata: undefined },
    fileNames: [],
    buildInfo: parseModInfo('go1.26.0', `path\texample.com/app\nmod\texample.com/app\t(devel)\t\n${deps}\nbuild\t-trimpath=true`),
    strippedBytes: 4096 + code + tables + data,
  };
}

test('symbol names to owners: packages through generics, types, itabs; linker blocks as parts', () => {
  assert.deepEqual(ownerOf('net/http.(*conn).serve'), { package: 'net/http' });
  assert.deepEqual(ownerOf('slices.Sort[go.shape.*net/http.Request]'), { package: 'slices' });
  assert.deepEqual(ownerOf('type:.eq.net/http.Header'), { package: 'net/http' });
  assert.deepEqual(ownerOf('type:.eq.[2]interface {}'), { part: 'generated type functions' });
  assert.deepEqual(ownerOf('go:itab.*net/http.conn,io.Reader'), { package: 'net/http' });
  assert.deepEqual(ownerOf('type:*'), { part: 'type descriptors' });
  assert.deepEqual(ownerOf('go:string.*'), { part: 'string literals' });
  assert.deepEqual(ownerOf('main..gobytes.1'), { package: 'main' });
  assert.deepEqual(ownerOf('$f64.3ff0000000000000'), { part: 'numeric constants' });
  assert.deepEqual(ownerOf('expandAVX512_2_mat0'), { part: 'symbols of no package' });
});

test('packages and parts add up to the file; modules from the build info', () => {
  const a = analyzeBinary(image([fn('example.com/dep/x.F', 100, 10), fn('main.main', 50, 5), fn('runtime.main', 30, 3)], { deps: ['example.com/dep'], dwarf: 200 }), 'app');
  let sum = 0;
  for (const p of a.packages) sum += p.bytes;
  for (const p of a.parts) sum += p.bytes;
  assert.equal(sum, a.bytes);
  assert.deepEqual(
    a.packages.map((p) => [p.name, p.module, p.code, p.pclntab]),
    [
      ['example.com/dep/x', 'example.com/dep', 100, 10],
      ['main', 'example.com/app', 50, 5],
      ['runtime', 'std', 30, 3],
    ],
  );
  assert.equal(a.parts.find((p) => p.name === 'DWARF debug info')?.bytes, 200);
  assert.equal(moduleOf('cmd/compile/internal/ssa', [], ''), 'cmd');
  assert.equal(moduleOf('vendor/golang.org/x/net/http2/hpack', [], ''), 'std');
  assert.equal(a.parts.find((p) => p.name === 'ELF headers and alignment padding')?.bytes, 4096);
});

test('findings: a dominating dependency, two major versions, a large embedded symbol, debug info', () => {
  const big = 3 << 20;
  const a = analyzeBinary(
    image([fn('example.com/heavy.F', 600), fn('example.com/m.F', 100), fn('example.com/m/v2.F', 100), fn('main.main', 200)], {
      deps: ['example.com/heavy', 'example.com/m', 'example.com/m/v2'],
      symbols: [{ name: 'main..gobytes.1', bytes: big }],
      dwarf: 2 << 20,
    }),
    'app',
  );
  const kinds = a.findings.map((f) => f.kind).sort();
  assert.deepEqual(kinds, ['binary-debug-info', 'binary-duplicate-module', 'binary-large-data']);
  const dup = a.findings.find((f) => f.kind === 'binary-duplicate-module')!;
  assert.deepEqual(dup.evidence.map((e) => [e.label, e.value]), [['example.com/m@v1.0.0', 100], ['example.com/m/v2@v1.0.0', 100]]);
  const embed = a.findings.find((f) => f.kind === 'binary-large-data')!;
  assert.equal(embed.evidence.find((e) => e.label === 'size')?.value, big);
  // Without the big symbol the heavy module is 600 of 1,000 package bytes: it dominates.
  const b = analyzeBinary(image([fn('example.com/heavy.F', 600), fn('example.com/m.F', 100), fn('main.main', 300)], { deps: ['example.com/heavy', 'example.com/m'] }), 'app');
  const dominant = b.findings.find((f) => f.kind === 'binary-dominant-dependency');
  assert.equal(dominant?.severity, 'medium');
  assert.equal(dominant?.evidence.find((e) => e.label === 'share of the packages')?.value, 0.6);
  assert.ok(!b.findings.some((f) => f.kind === 'binary-debug-info'), 'nothing to strip');
});
