#!/usr/bin/env node
// Benchmark: `footprint bundle` against source-map-explorer 2.5.3 (the anchor
// tool) on a ~3.9 MB minified esbuild bundle with a ~16 MB map, and
// footprint's growth with the map's size.
//
//   npm run build && node bench/bundle-large.mjs [--runs N] [--copies 1,2,4]
//
// The bundle is testdata/generate/bundles.mjs's `large` recipe (React, three.js
// and its loaders, lodash and lodash-es, core-js, moment with every locale,
// 400 inline icons), built once into the recipe cache. Each pair runs N
// times (default 3), in alternating order, under /usr/bin/time (wall s, peak
// RSS); the table gives medians:
//   - attribution: `source-map-explorer FILE --no-border-checks --json` (its
//     default refuses esbuild bundles, see below) vs `footprint bundle
//     --compress none --json`;
//   - with gzip: the same with `--gzip` vs `footprint bundle --compress gzip
//     --json` (whole-file gzip plus a leave-one-out per package of 1% or more);
//   - `footprint bundle --compress all` (brotli-11 of the file too), one run, for reference.
// Then the growth: the bundle repeated k times (--copies) with an index map
// of k sections (each the original map, so the map grows k-fold), through
// `footprint bundle --compress none --json`; time and memory per copy.
// Exit code: 0 (a measurement), 2 when a run fails. Plain Node ESM.

import fs from 'node:fs';
import path from 'node:path';
import { FOOTPRINT_BIN, OUT, ROOT, TIME, arg, failer, median, run } from './lib.mjs';
import { buildBundle } from '../testdata/generate/bundles.mjs';

const fail = failer('bundle-large');
const RUNS = Number(arg('--runs', '3'));
const COPIES = arg('--copies', '1,2,4').split(',').map(Number);
const SME = path.join(ROOT, 'node_modules', 'source-map-explorer', 'bin', 'cli.js');
if (!fs.existsSync(SME)) fail('source-map-explorer is not installed (npm install: it is a devDependency)');

fs.mkdirSync(OUT, { recursive: true });
const built = await buildBundle('large');
const js = fs.readFileSync(built.js);
const mapBytes = fs.statSync(built.map).size;

/** One timed run: { wall, cpu (user + system s), mib, code }. */
async function timed(label, args, { okCodes = [0] } = {}) {
  const timeFile = path.join(OUT, 'bundle.time');
  const errFile = path.join(OUT, `bundle.${label.replace(/\W+/g, '-')}.stderr`);
  const { code } = await run(TIME, ['-o', timeFile, '-f', '%e %M %U %S', process.execPath, ...args], { stdout: 'ignore', stderr: errFile });
  if (!okCodes.includes(code)) fail(`${label} exited ${code}: ${fs.readFileSync(errFile, 'utf8').trim().split('\n').slice(-3).join(' | ')}`);
  const [wall, kib, user, system] = fs.readFileSync(timeFile, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
  return { wall, cpu: user + system, mib: kib / 1024, code };
}

/** Runs each command of a group RUNS times, alternating; medians per label. */
async function group(commands) {
  const samples = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  for (let r = 0; r < RUNS; r++) {
    const order = Object.keys(commands);
    if (r % 2) order.reverse();
    for (const label of order) samples[label].push(await timed(label, commands[label]));
  }
  return Object.fromEntries(Object.entries(samples).map(([k, s]) => [k, { wall: median(s.map((x) => x.wall)), cpu: median(s.map((x) => x.cpu)), mib: median(s.map((x) => x.mib)) }]));
}

// source-map-explorer's default: it checks that every mapped column lies
// inside its line, and esbuild's segments past a line's end make it refuse.
const refused = await timed('sme-default', [SME, built.js, '--json'], { okCodes: [0, 1] });
const attribution = await group({
  'source-map-explorer --no-border-checks': [SME, built.js, '--no-border-checks', '--json'],
  'footprint --compress none': [FOOTPRINT_BIN, 'bundle', '--compress', 'none', '--json', built.js],
});
const gzip = await group({
  'source-map-explorer --no-border-checks --gzip': [SME, built.js, '--no-border-checks', '--gzip', '--json'],
  'footprint --compress gzip': [FOOTPRINT_BIN, 'bundle', '--compress', 'gzip', '--json', built.js],
});
const full = await timed('footprint-all', [FOOTPRINT_BIN, 'bundle', '--compress', 'all', '--json', built.js]);

const mb = (n) => (n / 1e6).toFixed(1);
console.log(`footprint bundle vs source-map-explorer 2.5.3: ${path.basename(built.js)} ${mb(js.length)} MB, map ${mb(mapBytes)} MB; median of ${RUNS} runs\n`);
console.log(`source-map-explorer's default: exit ${refused.code} (${refused.code === 0 ? 'accepted' : 'refused: a mapping past the end of a line'})\n`);
console.log('| tool | wall s | CPU s (user + sys) | peak RSS MiB |');
console.log('|---|---:|---:|---:|');
for (const [k, v] of Object.entries({ ...attribution, ...gzip, 'footprint --compress all (brotli-11 too), 1 run': full })) console.log(`| ${k} | ${v.wall.toFixed(2)} | ${v.cpu.toFixed(2)} | ${v.mib.toFixed(0)} |`);
// CPU time too: on a shared machine the wall clock is mostly waiting for a core.
const ratio = (g, a, b) => `wall ${(g[b].wall / g[a].wall).toFixed(2)}, CPU ${(g[b].cpu / g[a].cpu).toFixed(2)}, memory ${(g[b].mib / g[a].mib).toFixed(2)}`;
console.log(`\nattribution: footprint/source-map-explorer = ${ratio(attribution, 'source-map-explorer --no-border-checks', 'footprint --compress none')} (goal <= 0.33 each)`);
console.log(`with gzip:   footprint/source-map-explorer = ${ratio(gzip, 'source-map-explorer --no-border-checks --gzip', 'footprint --compress gzip')}`);

// Growth with the map's size: k copies of the code, an index map of k sections.
const reference = js.lastIndexOf('//# sourceMappingURL=');
const body = js.subarray(0, reference > 0 ? reference : js.length);
const lines = body.reduce((n, b) => n + (b === 10 ? 1 : 0), 0) + (body.at(-1) === 10 ? 0 : 1);
const mapText = fs.readFileSync(built.map, 'utf8');
const rows = [];
for (const k of COPIES) {
  const file = path.join(OUT, `bundle-x${k}.js`);
  const code = [];
  for (let j = 0; j < k; j++) code.push(body.at(-1) === 10 ? body : Buffer.concat([body, Buffer.from('\n')]));
  code.push(Buffer.from(`//# sourceMappingURL=bundle-x${k}.js.map\n`));
  fs.writeFileSync(file, Buffer.concat(code));
  const sections = Array.from({ length: k }, (_, j) => `{"offset":{"line":${j * lines},"column":0},"map":${mapText}}`);
  fs.writeFileSync(`${file}.map`, `{"version":3,"sections":[${sections.join(',')}]}`);
  const runs = [];
  for (let r = 0; r < RUNS; r++) runs.push(await timed(`x${k}`, [FOOTPRINT_BIN, 'bundle', '--compress', 'none', '--json', file]));
  rows.push({ k, mapMB: fs.statSync(`${file}.map`).size / 1e6, wall: median(runs.map((t) => t.wall)), cpu: median(runs.map((t) => t.cpu)), mib: median(runs.map((t) => t.mib)) });
}
console.log(`\nGrowth: the bundle repeated k times with an index map of k sections (footprint --compress none), median of ${RUNS}\n`);
console.log('| copies | map MB | wall s | CPU s | CPU s per copy | peak RSS MiB | MiB per copy over the first |');
console.log('|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  const extra = r.k === rows[0].k ? '' : ((r.mib - rows[0].mib) / (r.k - rows[0].k)).toFixed(0);
  console.log(`| ${r.k} | ${r.mapMB.toFixed(1)} | ${r.wall.toFixed(2)} | ${r.cpu.toFixed(2)} | ${(r.cpu / r.k).toFixed(2)} | ${r.mib.toFixed(0)} | ${extra} |`);
}
