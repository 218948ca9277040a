import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Bundle } from '../../model/bundle.js';
import { decodeSourceMap } from '../../formats/sourcemap/decode.js';
import { buildBundle, buildRollupBundle, type Metafile, type Recipe } from '../../testkit/bundles.js';
import { tempDir } from '../../testkit/temp.js';
import { analyzeBundles, attributeBundle, originOf } from './index.js';

/**
 * Attribution against the bundler's own count: esbuild's metafile says how
 * many bytes of the output each input accounts for (bytesInOutput); Rollup
 * says each module's rendered length. footprint reads only the bundle and
 * its map, and must agree within 0.1% per package.
 */

function load(js: string, map: string, code?: Uint8Array): Bundle {
  return { file: js, code: code ?? readFileSync(js), map: decodeSourceMap(readFileSync(map), map), mapSource: map, warnings: [] };
}

/** A package's name from a path, done the plain way (the last node_modules/ segment), or (app). */
function packageOf(path: string): string {
  const at = path.lastIndexOf('node_modules/');
  if (at < 0) return '(app)';
  const rest = path.slice(at + 13).split('/');
  return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
}

function metaPerPackage(metaPath: string): Map<string, number> {
  const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as Metafile;
  const out = Object.values(meta.outputs).find((o) => o.entryPoint)!;
  const per = new Map<string, number>();
  for (const [path, v] of Object.entries(out.inputs)) per.set(packageOf(path), (per.get(packageOf(path)) ?? 0) + v.bytesInOutput);
  return per;
}

async function oursPerPackage(js: string, map: string): Promise<{ per: Map<string, number>; total: number; size: number; unmapped: number }> {
  const a = await analyzeBundles([load(js, map)], { compression: 'none' });
  const r = a.bundles[0]!;
  const per = new Map(r.packages.map((p) => [p.name, p.bytes]));
  per.set('(app)', r.app.bytes);
  const total = r.packages.reduce((s, p) => s + p.bytes, 0) + r.app.bytes + r.runtime + r.unmapped;
  return { per, total, size: r.bytes, unmapped: r.unmapped };
}

/** Bytes of the `export{…};` statement esbuild writes after the last module of an ES-module bundle. */
function exportClause(code: string): number {
  return code.match(/export\s*\{[^}]*\};?\n?/g)?.at(-1)?.length ?? 0;
}

const RECIPES: Recipe[] = ['lodash-whole', 'lodash-twins', 'icons', 'polyfill', 'moment-locales', 'lean', 'seed'];

for (const recipe of RECIPES) {
  test(`esbuild ${recipe}: bytes per package within 0.1% of the metafile, and every byte counted once`, { timeout: 300_000 }, async () => {
    const b = await buildBundle(recipe);
    const truth = metaPerPackage(b.meta);
    const ours = await oursPerPackage(b.js, b.map);
    assert.equal(ours.total, ours.size, 'rows add up to the file size');
    for (const [name, bytes] of truth) {
      if (name === '(app)') continue;
      const got = ours.per.get(name) ?? 0;
      assert.ok(Math.abs(got - bytes) <= bytes * 0.001, `${name}: footprint ${got}, esbuild ${bytes}`);
    }
    for (const name of ours.per.keys()) assert.ok(name === '(app)' || truth.has(name), `${name} is not in esbuild's metafile`);
    // The entry ends the file: esbuild's closing glue after its last segment (the `export{…}` clause it
    // writes, which its metafile gives to no input) is all the app's code may gain.
    const app = truth.get('(app)') ?? 0;
    const got = ours.per.get('(app)') ?? 0;
    const glue = exportClause(readFileSync(b.js, 'latin1'));
    assert.ok(got >= app && got - app <= glue + 1, `app code: footprint ${got}, esbuild ${app}, export clause ${glue} bytes`);
  });
}

test('esbuild without minification (a module per line range, // path comments between): every input exact', { timeout: 300_000 }, async () => {
  const b = await buildBundle('lodash-twins', { minify: false });
  const meta = JSON.parse(readFileSync(b.meta, 'utf8')) as Metafile;
  const inputs = Object.values(meta.outputs).find((o) => o.entryPoint)!.inputs;
  const a = attributeBundle(load(b.js, b.map));
  const per = new Map<string, number>();
  a.bundle.map!.sources.forEach((s, i) => per.set(s.replace(/^(\.\.\/)+/, ''), a.perSource[i]!));
  for (const [path, v] of Object.entries(inputs)) assert.equal(per.get(path.replace(/^(\.\.\/)+/, '')) ?? 0, v.bytesInOutput, path);
});

test('Rollup (a second source-map dialect): bytes per module equal its rendered code and the line break ending it', { timeout: 300_000 }, async () => {
  const b = await buildRollupBundle();
  const rendered = JSON.parse(readFileSync(b.meta, 'utf8')) as Record<string, number>;
  const a = attributeBundle(load(b.js, b.map));
  const sources = a.bundle.map!.sources;
  let truth = 0;
  let ours = 0;
  let modules = 0;
  for (const [id, length] of Object.entries(rendered)) {
    if (length === 0) continue;
    const i = sources.findIndex((s) => id.endsWith(s.replace(/^(\.\.\/)+/, '')));
    assert.ok(i >= 0, `${id} is in the map`);
    // Rollup's module code stops before the line break that ends its last line; the map's last
    // segment on that line runs on to the next segment, so by the spec that line break is the
    // module's too. Blank lines between modules are no one's.
    const diff = a.perSource[i]! - length;
    assert.ok(diff === 0 || diff === 1, `${id}: footprint ${a.perSource[i]}, rollup ${length} + line break`);
    if (originOf(sources[i]!).package === 'lodash-es') {
      truth += length + 1;
      ours += a.perSource[i]!;
      modules++;
    }
  }
  assert.ok(modules > 100 && truth > 100_000, 'the bundle holds lodash-es code');
  assert.ok(Math.abs(ours - truth) <= truth * 0.001, `lodash-es: footprint ${ours}, rollup ${truth}`);
});

test('a copy shifted one line down (leading newline, map moved with ";") is attributed identically', { timeout: 300_000 }, async () => {
  const b = await buildBundle('seed');
  const code = readFileSync(b.js);
  const map = JSON.parse(readFileSync(b.map, 'utf8')) as { mappings: string };
  const shiftedCode = Buffer.concat([Buffer.from('\n'), code]);
  const shiftedMap = decodeSourceMap(JSON.stringify({ ...map, mappings: `;${map.mappings}` }), 'shifted.map');
  const plain = await analyzeBundles([load(b.js, b.map)], { compression: 'none' });
  const shifted = await analyzeBundles([{ file: b.js, code: shiftedCode, map: shiftedMap, mapSource: 'shifted.map', warnings: [] }], { compression: 'none' });
  assert.deepEqual(shifted.bundles[0]!.files, plain.bundles[0]!.files);
  assert.deepEqual(shifted.bundles[0]!.packages, plain.bundles[0]!.packages.map((p) => ({ ...p, share: p.bytes / (plain.bundles[0]!.bytes + 1) })));
  assert.equal(shifted.bundles[0]!.unmapped, plain.bundles[0]!.unmapped + 1, 'the new empty line is the only new unmapped byte');
});

test('a CSS bundle (esbuild, minified, a package stylesheet and the app’s own): bytes per input within 0.1% of the metafile', { timeout: 300_000 }, async (t) => {
  const dir = tempDir(t, 'bundle-css');
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  // Real-looking rules, enough of them that 0.1% is a few bytes: a UI kit's grid and buttons, the app's layout.
  const rules = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `.${prefix}-${i} {\n  margin: ${i % 7}px ${i % 5}px;\n  color: #${(i * 2654435761 >>> 8).toString(16).padStart(6, '0').slice(0, 6)};\n}\n`).join('');
  write('node_modules/@ui/kit/dist/kit.css', rules('kit', 400));
  write('node_modules/@ui/kit/package.json', '{"name":"@ui/kit","version":"1.0.0"}');
  write('src/layout.css', rules('layout', 120));
  write('src/entry.css', `@import "@ui/kit/dist/kit.css";\n@import "./layout.css";\nbody { font: 14px/1.4 system-ui; }\n`);
  const esbuild = await import('esbuild');
  const built = await esbuild.build({ absWorkingDir: dir, entryPoints: ['src/entry.css'], bundle: true, minify: true, sourcemap: true, metafile: true, outfile: join(dir, 'out', 'app.css'), logLevel: 'error' });
  const inputs = Object.values(built.metafile.outputs).find((o) => o.entryPoint)!.inputs;
  const a = await analyzeBundles([load(join(dir, 'out', 'app.css'), join(dir, 'out', 'app.css.map'))], { compression: 'none' });
  const r = a.bundles[0]!;
  assert.equal(r.packages.reduce((s, p) => s + p.bytes, 0) + r.app.bytes + r.runtime + r.unmapped, r.bytes, 'rows add up to the file size');
  assert.deepEqual(r.packages.map((p) => p.name), ['@ui/kit']);
  assert.equal(Object.keys(inputs).length, 3, 'the kit, the layout and the entry');
  for (const [path, v] of Object.entries(inputs)) {
    const got = r.files.find((f) => f.path.endsWith(path.replace(/^(\.\.\/)+/, '')))?.bytes ?? 0;
    assert.ok(v.bytesInOutput > 0);
    assert.ok(Math.abs(got - v.bytesInOutput) <= Math.max(1, v.bytesInOutput * 0.001), `${path}: footprint ${got}, esbuild ${v.bytesInOutput}`);
  }
});
