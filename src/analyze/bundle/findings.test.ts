import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import type { Bundle } from '../../model/bundle.js';
import type { FindingKind } from '../finding.js';
import { decodeSourceMap } from '../../formats/sourcemap/decode.js';
import { buildBundle, type Recipe } from '../../testkit/bundles.js';
import { analyzeBundles, attributeBundle, type TargetsUsed } from './index.js';
import { ownerAt } from './attribute.js';

function load(js: string, map: string): Bundle {
  return { file: js, code: readFileSync(js), map: decodeSourceMap(readFileSync(map), map), mapSource: map, warnings: [] };
}

/** Modern evergreen browsers: what a current app's browserslist says (resolved here as browserslist would). */
const MODERN: TargetsUsed = { query: 'chrome 120, firefox 121, safari 17.2, edge 120', from: '--targets', browsers: ['chrome 120', 'firefox 121', 'safari 17.2', 'edge 120'] };

test('compressed sizes are node:zlib on the real file; leave-one-out is the file compressed without the package', { timeout: 300_000 }, async () => {
  const b = await buildBundle('lodash-twins');
  const bundle = load(b.js, b.map);
  const [r] = (await analyzeBundles([bundle], { compression: 'all', leaveOneOutShare: 0 })).bundles;
  const code = readFileSync(b.js);
  assert.equal(r!.gzip, gzipSync(code, { level: 9 }).length);
  assert.equal(r!.brotli, brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: code.length } }).length);
  // Independently: keep every byte whose owner is not the package, one byte at a time, and compress that.
  const a = attributeBundle(bundle);
  for (const name of ['lodash', 'lodash-es']) {
    const p = r!.packages.find((x) => x.name === name)!;
    assert.equal(p.gzipMethod, 'leave-one-out');
    const owners = new Set(a.origins.flatMap((o, i) => (o.package === name ? [i] : [])));
    const kept = Buffer.from(code.filter((_, at) => !owners.has(ownerAt(a.spans, at))));
    assert.equal(kept.length, code.length - p.bytes);
    assert.equal(p.gzip, r!.gzip! - gzipSync(kept, { level: 9 }).length, name);
  }
  // Per-file compression (source-map-explorer's --gzip) over-counts: each piece pays for its own dictionary.
  const lodash = r!.packages.find((x) => x.name === 'lodash')!;
  const alone = gzipSync(Buffer.from(code.filter((_, at) => a.origins[ownerAt(a.spans, at)]?.package === 'lodash')), { level: 9 }).length;
  assert.ok(alone >= lodash.gzip!, `compressed alone ${alone} ≥ saved by removing ${lodash.gzip}`);
});

test('small packages get a proportional gzip estimate, marked as such', { timeout: 300_000 }, async () => {
  const b = await buildBundle('lean');
  const [r] = (await analyzeBundles([load(b.js, b.map)], { compression: 'gzip', leaveOneOutShare: 0.05 })).bundles;
  assert.equal(r!.brotli, null);
  const small = r!.packages.filter((p) => p.share < 0.05);
  assert.ok(small.length > 0, 'lean has packages under 5%');
  for (const p of small) {
    assert.equal(p.gzipMethod, 'proportional');
    assert.equal(p.gzip, Math.round((p.bytes / r!.bytes) * r!.gzip!));
  }
  for (const p of r!.packages.filter((x) => x.share >= 0.05)) assert.equal(p.gzipMethod, 'leave-one-out');
});

async function kinds(recipe: Recipe, targets: TargetsUsed | null = MODERN): Promise<FindingKind[]> {
  const b = await buildBundle(recipe);
  return (await analyzeBundles([load(b.js, b.map)], { compression: 'none', targets })).findings.map((f) => f.kind);
}

test('whole-package-import: lodash whole for three methods, with how many the app names', { timeout: 300_000 }, async () => {
  const b = await buildBundle('lodash-whole');
  const a = await analyzeBundles([load(b.js, b.map)], { compression: 'none', targets: MODERN });
  const f = a.findings.find((x) => x.kind === 'whole-package-import')!;
  assert.ok(f, 'fires');
  assert.equal(f.location?.function, 'lodash');
  const named = f.evidence.find((e) => e.label === 'named')!;
  assert.equal(named.value, 'chunk, debounce, throttle', 'the three methods the entry calls');
  const lodash = a.bundles[0]!.packages.find((p) => p.name === 'lodash')!;
  assert.deepEqual(f.evidence[0], { label: 'bytes', value: lodash.bytes, unit: 'bytes' });
  assert.deepEqual(a.findings.map((x) => x.kind), ['whole-package-import']);
});

test('duplicate-package: lodash and lodash-es together; lodash-es pulled in whole by a namespace import', { timeout: 300_000 }, async () => {
  const k = await kinds('lodash-twins');
  assert.ok(k.includes('duplicate-package'));
  assert.equal(k.filter((x) => x === 'whole-package-import').length, 2, 'lodash whole, and lodash-es whole');
});

test('inline-assets: 1,200 SVG icons, counted and sized, in the module that holds them', { timeout: 300_000 }, async () => {
  const b = await buildBundle('icons');
  const a = await analyzeBundles([load(b.js, b.map)], { compression: 'none' });
  const f = a.findings.find((x) => x.kind === 'inline-assets')!;
  assert.equal(f.severity, 'high');
  assert.deepEqual(f.evidence.find((e) => e.label === 'SVG markup'), { label: 'SVG markup', value: 1200, unit: 'count' });
  assert.equal(f.location?.function, '../icons.js');
  // Every icon is a <svg>…</svg> string in the output: their lengths, summed, are the SVG bytes.
  const text = readFileSync(b.js, 'latin1');
  const svg = [...text.matchAll(/<svg[\s\S]*?<\/svg>/g)].reduce((s, m) => s + m[0].length, 0);
  assert.deepEqual(f.evidence.find((e) => e.label === 'SVG bytes'), { label: 'SVG bytes', value: svg, unit: 'bytes' });
});

test('unneeded-polyfill: core-js/stable and regenerator-runtime for modern browsers; far less for IE 11', { timeout: 300_000 }, async () => {
  const b = await buildBundle('polyfill');
  const judge = async (targets: TargetsUsed) => (await analyzeBundles([load(b.js, b.map)], { compression: 'none', targets })).findings;
  const modern = await judge(MODERN);
  assert.deepEqual(modern.map((f) => f.location?.function), ['core-js', 'regenerator-runtime']);
  const ie = await judge({ query: 'ie 11', from: '--targets', browsers: ['ie 11'] });
  assert.deepEqual(ie.map((f) => f.location?.function), ['core-js'], 'IE 11 needs regenerator-runtime');
  const unneeded = (f: (typeof modern)[number]) => f.evidence.find((e) => e.label === "unneeded modules' bytes")!.value as number;
  const saved = (f: (typeof modern)[number]) => f.evidence.find((e) => e.label === 'saved')!.value as number;
  assert.ok(unneeded(ie[0]!) < unneeded(modern[0]!) / 2, 'IE 11 needs most of what modern browsers do not');
  const a = await analyzeBundles([load(b.js, b.map)], { compression: 'none', targets: MODERN });
  const core = a.bundles[0]!.packages.find((p) => p.name === 'core-js')!;
  const remain = modern[0]!.evidence.find((e) => e.label.startsWith('would remain'))!.value as number;
  assert.ok(remain >= core.bytes - unneeded(modern[0]!) - 100 * 1024 && remain < core.bytes - unneeded(modern[0]!), 'internals only the dropped modules use go too');
  assert.equal(saved(modern[0]!), core.bytes - remain);
  assert.ok(saved(modern[0]!) > core.bytes * 0.4, 'much of core-js/stable is dead weight for these browsers');
});

test('large-locale-data: moment with every locale', { timeout: 300_000 }, async () => {
  assert.deepEqual(await kinds('moment-locales'), ['large-locale-data']);
});

test('a lean bundle (React, lodash-es per method) raises no finding', { timeout: 300_000 }, async () => {
  assert.deepEqual(await kinds('lean'), []);
  assert.deepEqual(await kinds('lean', null), []);
});

test("the seed's bundle raises the three black holes and the locale data", { timeout: 300_000 }, async () => {
  const k = await kinds('seed');
  for (const want of ['whole-package-import', 'inline-assets', 'unneeded-polyfill', 'large-locale-data'] as const) assert.ok(k.includes(want), want);
});
