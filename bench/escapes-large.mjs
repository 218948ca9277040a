#!/usr/bin/env node
// Benchmark: `footprint escapes` on -m=2 output with 1,000 to 16,000 inlined
// allocation sites, to show the work grows linearly with the sites (linking
// each inlined copy to its origin used to scan every heap site per copy:
// 4,000 sites took 46 s, 8,000 over a minute).
//
//   npm run build && node bench/escapes-large.mjs [--runs N] [--sizes 1000,2000,...]
//
// The inputs come from testdata/generate/escapes.mjs (the real -m=2 lines of
// testdata/go1.26/escapes/m2.txt for an inlined constructor, repeated) and are
// written to bench/out/. Each size runs N times (default 3) under
// /usr/bin/time; the table gives the median wall seconds, peak RSS, the
// input's size, and the time ratio to the previous size (2.0 for linear work
// when the sizes double; start-up cost pulls it below). There is no anchor
// tool for escape output, so the comparison is against linear growth.
// Exit code: 0 (a measurement), 2 when a run fails. Plain Node ESM.

import fs from 'node:fs';
import path from 'node:path';
import { FOOTPRINT_BIN, OUT, TIME, failer, median, run } from './lib.mjs';
import { escapesOutput } from '../testdata/generate/escapes.mjs';

const fail = failer('escapes-large');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const RUNS = Number(arg('--runs', '3'));
const SIZES = arg('--sizes', '1000,2000,4000,8000,16000').split(',').map(Number);

fs.mkdirSync(OUT, { recursive: true });
const rows = [];
for (const sites of SIZES) {
  const file = path.join(OUT, `escapes-${sites}.txt`);
  fs.writeFileSync(file, escapesOutput(sites));
  const walls = [];
  const rss = [];
  for (let r = 0; r < RUNS; r++) {
    const timeFile = path.join(OUT, 'escapes.time');
    const { code } = await run(TIME, ['-o', timeFile, '-f', '%e %M', process.execPath, FOOTPRINT_BIN, 'escapes', file], { stdout: 'ignore', stderr: 'inherit' });
    if (code !== 0) fail(`footprint escapes ${file} exited ${code}`);
    const [wall, kib] = fs.readFileSync(timeFile, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
    walls.push(wall);
    rss.push(kib / 1024);
  }
  rows.push({ sites, mb: fs.statSync(file).size / 1e6, wall: median(walls), rss: median(rss), walls });
}

console.log(`footprint escapes on generated -m=2 output, median of ${RUNS} runs\n`);
console.log('| inlined sites | input MB | wall s | × previous | peak RSS MiB | each run s |');
console.log('|---:|---:|---:|---:|---:|---|');
rows.forEach((r, i) => {
  const ratio = i === 0 ? '' : (r.wall / rows[i - 1].wall).toFixed(2);
  console.log(`| ${r.sites.toLocaleString('en-US')} | ${r.mb.toFixed(1)} | ${r.wall.toFixed(2)} | ${ratio} | ${r.rss.toFixed(0)} | ${r.walls.map((w) => w.toFixed(2)).join(' ')} |`);
});
const first = rows[0];
const last = rows.at(-1);
console.log(`\n${(last.sites / first.sites).toFixed(0)}x the sites took ${(last.wall / first.wall).toFixed(1)}x the time (linear: ${(last.sites / first.sites).toFixed(0)}x; quadratic: ${((last.sites / first.sites) ** 2).toFixed(0)}x)`);
