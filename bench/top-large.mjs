#!/usr/bin/env node
// Benchmark: `footprint top` vs `go tool pprof -top` on a huge heap profile
// (~400k distinct call stacks, see bench/gen/main.go and bench/README.md).
//
//   node bench/top-large.mjs [--runs N] [--regen]
//
// Exit code: 0 when both outputs are identical (whether or not the speed and
// memory goals are met: this is a measurement), 1 when they differ, 2 when a
// tool fails to run or the profile cannot be generated.
// Plain Node ESM, no dependencies.

import fs from 'node:fs';
import path from 'node:path';
import { failer, FOOTPRINT_BIN, GO, median, OUT, ROOT, run, TIME } from './lib.mjs';
import { ensureProfile, goVersion, PROFILE } from './heap400k.mjs';

const SAMPLE_INDEX = 'alloc_space';
const GOAL_SPEED = 20; // pprof wall / footprint wall >= 20
const GOAL_MEMORY = 0.25; // footprint RSS / pprof RSS <= 0.25

// ---------------------------------------------------------------- arguments

function usage(code) {
  (code ? process.stderr : process.stdout).write(
    'usage: node bench/top-large.mjs [--runs N] [--regen]\n' +
      '  --runs N  run each tool N times (default 1) and report the medians\n' +
      '  --regen   rebuild the generator and regenerate the profile\n' +
      'env FOOTPRINT_BENCH_GO: the go command to use (default: Go 1.23 if installed, else go)\n',
  );
  process.exit(code);
}

let runs = 1;
let regen = false;
{
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    let v;
    if (a === '--runs') v = argv[++i];
    else if (a.startsWith('--runs=')) v = a.slice('--runs='.length);
    else if (a === '--regen') { regen = true; continue; }
    else if (a === '-h' || a === '--help') usage(0);
    else { console.error(`unknown argument: ${a}`); usage(2); }
    if (v === undefined || !/^[1-9][0-9]*$/.test(v)) { console.error(`--runs needs a positive integer, got ${v}`); usage(2); }
    runs = Number(v);
  }
}

// ---------------------------------------------------------------- helpers

const rel = (p) => path.relative(process.cwd(), p) || '.';
const fmtInt = (n) => n.toLocaleString('en-US');
const mib = (kib) => kib / 1024;

const fail = failer('bench');

function tail(file, n = 15) {
  let s = '';
  try { s = fs.readFileSync(file, 'utf8'); } catch { return '  (no output)'; }
  const lines = s.trimEnd().split('\n');
  const shown = lines.slice(-n).map((l) => `  | ${l}`);
  if (lines.length > n) shown.unshift(`  | ... (${lines.length - n} more lines in ${rel(file)})`);
  return shown.join('\n') || '  (no output)';
}

// ---------------------------------------------------------------- measuring

const haveTime = fs.existsSync(TIME);
if (!haveTime) console.log(`note: ${TIME} not found: measuring wall time only, no peak RSS`);

/** Runs one tool under /usr/bin/time; returns {ok, wall, rssKiB, code}. */
async function measure(name, cmd, args) {
  const stdout = path.join(OUT, `top.${name}.txt`);
  const stderr = path.join(OUT, `top.${name}.stderr`);
  const timeFile = path.join(OUT, `top.${name}.time`);
  const env = { ...process.env, TZ: 'UTC' };
  let r, wall, rssKiB = NaN;
  if (haveTime) {
    r = await run(TIME, ['-f', '%e %M', '-o', timeFile, cmd, ...args], { stdout, stderr, env });
    // On failure GNU time writes "Command exited with non-zero status N" before the figures.
    const last = fs.existsSync(timeFile) ? fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop() : '';
    const m = /^([0-9.]+) ([0-9]+)$/.exec(last ?? '');
    if (m) { wall = Number(m[1]); rssKiB = Number(m[2]); }
  } else {
    const t0 = performance.now();
    r = await run(cmd, args, { stdout, stderr, env });
    wall = (performance.now() - t0) / 1000;
  }
  return { ok: r.code === 0 && wall !== undefined, code: r.code, error: r.error, wall, rssKiB, stdout, stderr };
}

/** Line-by-line comparison of all lines; a missing final newline counts as a difference too. */
function compare(pprofFile, footprintFile) {
  const split = (file) => {
    const text = fs.readFileSync(file, 'utf8');
    const lines = text.split('\n');
    if (text.endsWith('\n')) lines.pop();
    return { lines, nl: text.endsWith('\n') || text === '' };
  };
  const p = split(pprofFile);
  const f = split(footprintFile);
  const diffs = [];
  for (let i = 0; i < Math.max(p.lines.length, f.lines.length); i++) {
    if (p.lines[i] !== f.lines[i]) diffs.push(i);
  }
  return { a: p.lines, b: f.lines, diffs, newlineDiffers: p.nl !== f.nl };
}

// ---------------------------------------------------------------- main

const meta = await ensureProfile(regen);
const pprofVersion = await goVersion();
const tools = {
  pprof: { cmd: GO, args: ['tool', 'pprof', '-top', `-sample_index=${SAMPLE_INDEX}`, PROFILE], results: [] },
  footprint: { cmd: process.execPath, args: [FOOTPRINT_BIN, 'top', `-sample_index=${SAMPLE_INDEX}`, PROFILE], results: [] },
};
const show = (t) => [t === tools.pprof ? 'go' : 'node', ...t.args.map((a) => (path.isAbsolute(a) ? rel(a) : a))].join(' ');

console.log(`profile:   ${rel(PROFILE)}: ${fmtInt(meta.bytes)} bytes (gzipped), ${fmtInt(meta.sampleCount)} samples`);
console.log(`pprof:     TZ=UTC ${show(tools.pprof)}   (${pprofVersion})`);
console.log(`footprint: TZ=UTC ${show(tools.footprint)}   (node ${process.version})`);
console.log(`runs:      ${runs}${runs > 1 ? ' (medians reported)' : ''}`);
console.log('');

let footprintFailure = null;
for (let r = 0; r < runs; r++) {
  // Alternate the order so that neither tool always runs on a warmer machine.
  const order = r % 2 === 0 ? ['pprof', 'footprint'] : ['footprint', 'pprof'];
  for (const name of order) {
    if (name === 'footprint' && footprintFailure) continue;
    const t = tools[name];
    const res = await measure(name, t.cmd, t.args);
    if (!res.ok) {
      if (name === 'pprof') {
        console.error(`go tool pprof failed (${res.error ?? `exit ${res.code}`}):\n${tail(res.stderr)}`);
        process.exit(2);
      }
      footprintFailure = res;
      continue;
    }
    t.results.push(res);
    const rss = Number.isNaN(res.rssKiB) ? 'n/a' : `${mib(res.rssKiB).toFixed(1)} MiB`;
    console.log(`  run ${r + 1}/${runs} ${name.padEnd(9)} ${res.wall.toFixed(2).padStart(7)} s  ${rss.padStart(12)}`);
  }
}

const summary = {};
for (const [name, t] of Object.entries(tools)) {
  if (!t.results.length) continue;
  summary[name] = { wall: median(t.results.map((x) => x.wall)), rssKiB: median(t.results.map((x) => x.rssKiB)) };
}

console.log('');
console.log(`${'tool'.padEnd(10)} ${'wall s'.padStart(8)} ${'peak RSS MiB'.padStart(13)}`);
for (const name of ['pprof', 'footprint']) {
  const s = summary[name];
  if (!s) { console.log(`${name.padEnd(10)} ${'FAILED'.padStart(8)} ${'-'.padStart(13)}`); continue; }
  const rss = Number.isNaN(s.rssKiB) ? 'n/a' : mib(s.rssKiB).toFixed(1);
  console.log(`${name.padEnd(10)} ${s.wall.toFixed(2).padStart(8)} ${rss.padStart(13)}`);
}
console.log('');

if (footprintFailure) {
  const f = footprintFailure;
  console.log(`footprint FAILED to run (${f.error ?? (f.code === null ? 'killed by a signal' : `exit ${f.code}`)}); stderr:`);
  console.log(tail(f.stderr));
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'))) console.log('  hint: dist/ is missing: run `npm run build` first');
  console.log(`\npprof alone: ${summary.pprof.wall.toFixed(2)} s, ${Number.isNaN(summary.pprof.rssKiB) ? 'n/a' : mib(summary.pprof.rssKiB).toFixed(1) + ' MiB'}`);
  console.log('speed:  pprof/footprint = n/a (goal >= 20x)');
  console.log('memory: footprint/pprof = n/a (goal <= 0.25)');
  process.exit(2);
}

const cmp = compare(tools.pprof.results.at(-1).stdout, tools.footprint.results.at(-1).stdout);
const identical = cmp.diffs.length === 0 && !cmp.newlineDiffers;
if (identical) {
  console.log(`output: IDENTICAL (${cmp.a.length} lines)`);
} else {
  console.log(`output: DIFFERENT: ${cmp.diffs.length} differing line(s); pprof ${cmp.a.length} lines, footprint ${cmp.b.length} lines`);
  if (cmp.newlineDiffers) console.log('  the final newline differs');
  if (cmp.diffs.length) console.log('  first differing lines:');
  const q = (s) => (s === undefined ? '<no line>' : JSON.stringify(s));
  for (const i of cmp.diffs.slice(0, 5)) {
    console.log(`  line ${i + 1}:`);
    console.log(`    pprof:     ${q(cmp.a[i])}`);
    console.log(`    footprint: ${q(cmp.b[i])}`);
  }
  console.log(`  full outputs: ${rel(tools.pprof.results.at(-1).stdout)}, ${rel(tools.footprint.results.at(-1).stdout)}`);
}

const speed = summary.pprof.wall / summary.footprint.wall;
const memory = summary.footprint.rssKiB / summary.pprof.rssKiB;
const verdict = (ok) => (Number.isNaN(ok) ? '' : ok ? '  ok' : '  MISSED');
console.log(`speed:  pprof/footprint = ${Number.isFinite(speed) ? speed.toFixed(1) : 'n/a'}x (goal >= ${GOAL_SPEED}x)${Number.isFinite(speed) ? verdict(speed >= GOAL_SPEED) : ''}`);
console.log(`memory: footprint/pprof = ${Number.isFinite(memory) ? memory.toFixed(2) : 'n/a'} (goal <= ${GOAL_MEMORY})${Number.isFinite(memory) ? verdict(memory <= GOAL_MEMORY) : ''}`);

process.exit(identical ? 0 : 1);
