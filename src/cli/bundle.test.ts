import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { buildBundle } from '../testkit/bundles.js';
import { runCli } from '../testkit/run-cli.js';
import { tempDir } from '../testkit/temp.js';

/** `footprint bundle` end to end on real esbuild bundles: the JSON contract, folders, maps found or not, budgets, compare, the page. */

const dir = tempDir(after, 'bundle-cli');

interface JsonBundle {
  file: string;
  bytes: number;
  gzip: number | null;
  brotli: number | null;
  map: string | null;
  packages: { name: string; bytes: number; gzip?: number; gzipMethod?: string }[];
  files: { path: string; package?: string; bytes: number }[];
  app: { bytes: number; files: number };
  runtime: number;
  unmapped: number;
  warnings: string[];
}

const run = (...argv: string[]) => runCli(['bundle', ...argv]);
const bundlesOf = (out: string) => (JSON.parse(out) as { bundles: JsonBundle[] }).bundles;

/** Every byte has one owner: the rows add up to the file. */
function addsUp(b: JsonBundle): void {
  const packages = b.packages.reduce((s, p) => s + p.bytes, 0);
  assert.equal(packages + b.app.bytes + b.runtime + b.unmapped, b.bytes, b.file);
  assert.equal(b.files.reduce((s, f) => s + f.bytes, 0) + b.unmapped, b.bytes, `${b.file}: files + unmapped`);
}

/** A copy of a built bundle in the temp folder, with its map beside it (or not). */
function copyBundle(name: string, js: string, map: string | null, folder = dir): string {
  mkdirSync(folder, { recursive: true });
  const to = join(folder, name);
  copyFileSync(js, to);
  if (map) copyFileSync(map, `${to}.map`);
  return to;
}

test('--json: { bundles, findings, compression, targets }; packages, files and unmapped add up to the file; gzip is zlib on the file', async () => {
  const built = await buildBundle('lodash-whole');
  const { code, out } = await run('--json', '--compress', 'gzip', '--targets', 'chrome 120', built.js);
  assert.equal(code, 0);
  const doc = JSON.parse(out) as { findings: { kind: string }[]; compression: string; targets: { query: string; from: string } };
  assert.deepEqual(Object.keys(doc), ['bundles', 'findings', 'compression', 'targets']);
  assert.equal(doc.compression, 'gzip');
  assert.deepEqual([doc.targets.query, doc.targets.from], ['chrome 120', '--targets']);
  const [b] = bundlesOf(out);
  addsUp(b!);
  const { gzipSync } = await import('node:zlib');
  assert.equal(b!.gzip, gzipSync(readFileSync(built.js), { level: 9 }).length);
  assert.equal(b!.brotli, null, 'brotli only with --compress all');
  assert.equal(b!.packages[0]!.name, 'lodash');
  assert.equal(b!.packages[0]!.gzipMethod, 'leave-one-out');
  assert.ok(doc.findings.some((f) => f.kind === 'whole-package-import'));
});

test('a folder of bundles is one report; a bundle without a map and one with a broken map are warnings, their bytes unmapped', async () => {
  const whole = await buildBundle('lodash-whole');
  const lean = await buildBundle('lean');
  const folder = join(dir, 'build');
  copyBundle('a.js', whole.js, whole.map, folder);
  copyBundle('b.js', lean.js, lean.map, folder);
  // c.js: a sourceMappingURL to a file that is not JSON; d.js: no comment, no .map.
  writeFileSync(join(folder, 'c.js'), 'console.log(1);\n//# sourceMappingURL=c.js.map\n');
  writeFileSync(join(folder, 'c.js.map'), '{"version":3,"sources":["x.js"],"mappings":"AAAA"');
  writeFileSync(join(folder, 'd.js'), 'console.log(2);\n');
  const { code, out } = await run('--json', '--compress', 'none', folder);
  assert.equal(code, 0);
  assert.equal((JSON.parse(out) as { targets: unknown }).targets, null, 'no polyfills in these bundles: no targets looked up');
  const bundles = bundlesOf(out);
  assert.deepEqual(bundles.map((b) => b.file.split('/').pop()), ['a.js', 'b.js', 'c.js', 'd.js']);
  bundles.forEach(addsUp);
  const [, , broken, bare] = bundles;
  assert.equal(broken!.unmapped, broken!.bytes);
  assert.match(broken!.warnings.join('\n'), /could not be read/);
  assert.equal(bare!.map, null);
  assert.match(bare!.warnings.join('\n'), /no source map found/);
  assert.equal(bundles[0]!.gzip, null, '--compress none: raw bytes only');
});

test('without --targets, a bundle holding core-js is judged for the browserslist config, or its defaults (said so)', async () => {
  const built = await buildBundle('polyfill');
  const doc = JSON.parse((await run('--json', '--compress', 'none', built.js)).out) as { targets: { from: string; browsers: string[] }; findings: { kind: string; severity: string }[] };
  assert.equal(doc.targets.from, 'browserslist defaults', 'this checkout has no browserslist config');
  assert.ok(doc.targets.browsers.length > 10);
  const polyfill = doc.findings.find((f) => f.kind === 'unneeded-polyfill');
  assert.ok(polyfill && polyfill.severity !== 'high', 'softened: the targets are a guess');
});

test('an inline data: map and --map FILE give the same attribution as the map beside the file', async () => {
  const built = await buildBundle('lean');
  const code = readFileSync(built.js, 'utf8').replace(/\/\/# sourceMappingURL=.*\n?$/, '');
  const inline = join(dir, 'inline.js');
  writeFileSync(inline, `${code}//# sourceMappingURL=data:application/json;base64,${readFileSync(built.map).toString('base64')}\n`);
  const moved = join(dir, 'moved.js');
  writeFileSync(moved, code);
  const beside = bundlesOf((await run('--json', '--compress', 'none', built.js)).out)[0]!;
  const fromInline = bundlesOf((await run('--json', '--compress', 'none', inline)).out)[0]!;
  const fromFlag = bundlesOf((await run('--json', '--compress', 'none', '--map', built.map, moved)).out)[0]!;
  assert.equal(fromInline.map, 'inline');
  const rows = (b: JsonBundle) => b.packages.map((p) => [p.name, p.bytes]);
  for (const b of [fromInline, fromFlag]) {
    assert.deepEqual(rows(b), rows(beside));
    assert.deepEqual(b.files, beside.files);
  }
  assert.equal(fromFlag.unmapped + (beside.bytes - fromFlag.bytes), beside.unmapped, 'the same but for the comment it no longer has');
});

test('--check: budgets from .footprintrc.json or package.json; over → exit 1 and OVER rows; within → 0', async () => {
  const built = await buildBundle('lodash-whole');
  const bytes = readFileSync(built.js).length;
  const tight = join(dir, 'tight.json');
  writeFileSync(tight, JSON.stringify({ budgets: { files: [{ path: '*.js', bytes: bytes - 1 }], packages: { lodash: '1 KiB' } } }));
  const over = await run('--check', '--config', tight, '--compress', 'none', built.js);
  assert.equal(over.code, 1);
  assert.match(over.out, /Budgets: 2 over/);
  assert.match(over.err, /2 budgets over/);
  const roomy = join(dir, 'package.json');
  writeFileSync(roomy, JSON.stringify({ name: 'x', footprint: { budgets: { files: [{ path: 'lodash-whole.js', bytes }] } } }));
  const within = await run('--check', '--config', roomy, '--compress', 'none', '--json', built.js);
  assert.equal(within.code, 0);
  const doc = JSON.parse(within.out) as { budgets: { source: string; over: number; checks: unknown[] } };
  assert.deepEqual([doc.budgets.source, doc.budgets.over, doc.budgets.checks.length], [roomy, 0, 1]);
  // A brotli budget gets brotli measured without --compress all (the default is gzip only).
  const brotli = join(dir, 'brotli.json');
  writeFileSync(brotli, JSON.stringify({ budgets: { files: [{ path: '*.js', brotli: '1 MiB' }] } }));
  const measured = JSON.parse((await run('--check', '--config', brotli, '--json', built.js)).out) as { bundles: JsonBundle[]; budgets: { checks: { actual: number | null }[] } };
  assert.equal(measured.budgets.checks[0]!.actual, brotliCompressSync(readFileSync(built.js), { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length);
  assert.equal(bundlesOf((await run('--json', built.js)).out)[0]!.brotli, null, 'no brotli by default');
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ budgets: { files: [{ path: '*.js', bytes: 'big' }] } }));
  const refused = await run('--check', '--config', bad, built.js);
  assert.equal(refused.code, 2);
  assert.match(refused.err, /bad\.json/);
});

test('--compare: a saved --json against a new build; packages gone and new, as text and JSON', async () => {
  const whole = await buildBundle('lodash-whole');
  const lean = await buildBundle('lean');
  const saved = join(dir, 'before.json');
  writeFileSync(saved, (await run('--json', '--compress', 'gzip', copyBundle('main.1a2b3c4d.js', whole.js, whole.map, join(dir, 'old')))).out);
  const after = copyBundle('main.9f8e7d6c.js', lean.js, lean.map, join(dir, 'new'));
  const json = await run('--compare', '--json', '--compress', 'gzip', saved, after);
  assert.equal(json.code, 0);
  const c = JSON.parse(json.out) as { bundles: { name: string; change: string }[]; packages: { name: string; change: string; gzip: unknown }[] };
  assert.deepEqual(c.bundles.map((b) => [b.name, b.change]), [['main.js', 'grew']], 'matched across content hashes; React outweighs lodash');
  const change = (name: string) => c.packages.find((p) => p.name === name)?.change;
  assert.equal(change('lodash'), 'gone');
  assert.equal(change('react-dom'), 'new');
  assert.ok(c.packages.every((p) => p.gzip !== null), 'both sides measured gzip');
  const page = join(dir, 'compare.html');
  const text = await run('--compare', '--compress', 'none', '--html', page, saved, after);
  assert.equal(text.code, 0);
  assert.match(text.out, /Packages \(\d+ changed\)/);
  assert.match(text.out, /lodash\s+gone/);
  assert.match(readFileSync(page, 'utf8'), /<td>lodash<\/td><td>gone<\/td>/);
});

test('--html: a treemap box per package and the findings, searchable; usage errors exit 2', async () => {
  const built = await buildBundle('lodash-twins');
  const html = join(dir, 'bundle.html');
  const { code, out } = await run('--html', html, '--compress', 'gzip', built.js);
  assert.equal(code, 0);
  assert.match(out, /Wrote .*bundle\.html/);
  const page = readFileSync(html, 'utf8');
  for (const name of ['lodash', 'lodash-es']) assert.match(page, new RegExp(`class="pkg" data-name="${name}"[^>]*title="${name}: [^"]*gzip`));
  assert.match(page, /MEDIUM · lodash and lodash-es are the same library twice/);
  assert.match(page, /input class="search"/);
  assert.equal((await run()).code, 2);
  assert.equal((await run('--map', built.map, built.js, built.js)).code, 2);
  assert.equal((await run('--compress', 'zstd', built.js)).code, 2);
});

test('--fail-on: exit 1 on a bundle with a high finding (after the report), 0 on the lean one', async () => {
  const whole = await buildBundle('lodash-whole');
  const lean = await buildBundle('lean');
  const bad = await run('--fail-on', 'high', '--compress', 'none', whole.js);
  assert.equal(bad.code, 1);
  assert.match(bad.out, /whole-package-import/);
  assert.match(bad.err, /footprint bundle: \d+ findings? at high or above/);
  const ok = await run('--fail-on', 'high', '--compress', 'none', '--targets', 'chrome 120', lean.js);
  assert.equal(ok.code, 0, ok.err);
});

