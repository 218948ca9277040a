#!/usr/bin/env node
// Benchmark: `footprint top` vs `go tool pprof -top` on the Go compiler's own ~100 MB legacy heap
// profile (issue 15, item 11), the same file in one run. See bench/README.md.
//
//   node bench/legacy-large.mjs [--runs N] [--settle S] [--regen]
//
// The profile is written once by the reference toolchain's compiler while it compiles go/types
// (`go build -gcflags='-memprofile=… -memprofilerate=3300' go/types`, fresh GOCACHE) and cached in
// bench/out/ (not committed). Three commands run on it, alternating: go tool pprof -top given the
// compiler binary (as the issue measured it), footprint top given the same binary, and footprint top
// without it (names from the text's own frame lines). Prints wall, CPU and peak RSS, and each
// footprint's ratios to pprof against the goals: at most 1/3 of its time and 1/2 of its memory.
// Exit code: 0 when footprint given the binary prints exactly what pprof prints (goals met or not:
// this is a measurement), 1 when it does not, 2 when a tool fails or the profile cannot be made.
// Plain Node ESM, no dependencies.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { failer, FOOTPRINT_BIN, GO, median, OUT, ROOT, run, timed } from './lib.mjs';

const PROFILE = path.join(OUT, 'compile.memprofile.txt');
const META = path.join(OUT, 'compile.memprofile.json');
/** Samples one allocation per 3,300 bytes on average: about 100 MB of text for go/types (4,096 gave 84 MB). */
const RATE = 3300;
const GOAL_TIME = 1 / 3;
const GOAL_MEMORY = 1 / 2;

const argv = process.argv.slice(2);
const opt = (name, dflt) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : dflt);
const runs = opt('--runs', 3);
/** Idle seconds before each timed run, so no run starts right after another's load (see the trace bench). */
const settle = opt('--settle', 5);
const regen = argv.includes('--regen');
if (!(runs >= 1) || !(settle >= 0) || argv.some((a) => a.startsWith('-') && !['--runs', '--settle', '--regen'].includes(a))) {
  process.stderr.write('usage: node bench/legacy-large.mjs [--runs N] [--settle S] [--regen]\n');
  process.exit(2);
}
const fail = failer('legacy-large');

async function goEnv(key) {
  const r = await run(GO, ['env', key], { stdout: 'pipe', stderr: 'ignore' });
  if (r.code !== 0) fail(`${GO} env ${key} failed: is Go installed?`);
  return r.out.trim();
}

/** The compiler that writes the profile, and that pprof (and footprint) then symbolise from. */
const compiler = path.join(await goEnv('GOTOOLDIR'), 'compile');
const goVersion = await goEnv('GOVERSION');

async function generate() {
  fs.mkdirSync(OUT, { recursive: true });
  const meta = fs.existsSync(META) ? JSON.parse(fs.readFileSync(META, 'utf8')) : undefined;
  if (!regen && fs.existsSync(PROFILE) && meta?.goVersion === goVersion && meta?.rate === RATE) return meta;
  // A fresh cache: with a cached go/types the compiler does not run and writes no profile.
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'footprint-bench-gocache-'));
  process.stderr.write(`compiling go/types with ${goVersion}'s compiler at -memprofilerate=${RATE} (dependencies first; about a minute)...\n`);
  const t0 = performance.now();
  try {
    fs.rmSync(PROFILE, { force: true });
    const env = { ...process.env, GOCACHE: cache, GOTOOLCHAIN: 'local', GOFLAGS: '-buildvcs=false', CGO_ENABLED: '0' };
    const built = await run(GO, ['build', `-gcflags=-memprofile=${PROFILE} -memprofilerate=${RATE}`, 'go/types'], { cwd: os.tmpdir(), env, stdout: 'ignore' });
    if (built.code !== 0 || !fs.existsSync(PROFILE)) fail('the compiler wrote no profile');
  } finally {
    fs.rmSync(cache, { recursive: true, force: true });
  }
  const text = fs.readFileSync(PROFILE, 'latin1');
  const next = {
    goVersion,
    rate: RATE,
    compiler,
    bytes: fs.statSync(PROFILE).size,
    records: text.match(/^-?\d+: -?\d+ \[/gm)?.length ?? 0,
    frameLines: text.match(/^#\t/gm)?.length ?? 0,
    seconds: Math.round((performance.now() - t0) / 1000),
  };
  fs.writeFileSync(META, JSON.stringify(next, null, 2) + '\n');
  return next;
}

const meta = await generate();
const tools = [
  { name: 'go tool pprof -top BINARY', file: 'pprof', cmd: GO, args: ['tool', 'pprof', '-top', compiler, PROFILE] },
  { name: 'footprint top BINARY', file: 'footprint-bin', cmd: process.execPath, args: [FOOTPRINT_BIN, 'top', compiler, PROFILE] },
  { name: 'footprint top', file: 'footprint-text', cmd: process.execPath, args: [FOOTPRINT_BIN, 'top', PROFILE] },
].map((t) => ({ ...t, stdout: path.join(OUT, `legacy.${t.file}.txt`), results: [] }));

for (let i = 0; i < runs; i++) {
  // Rotate the order so no tool always runs first.
  for (let k = 0; k < tools.length; k++) {
    const t = tools[(i + k) % tools.length];
    await new Promise((resolve) => setTimeout(resolve, settle * 1000));
    const stderr = path.join(OUT, `legacy.${t.file}.stderr`);
    const r = await timed(t.cmd, t.args, { stdout: t.stdout, stderr, timeFile: path.join(OUT, `legacy.${t.file}.time`), env: { ...process.env, TZ: 'UTC' } });
    if (r.code !== 0) fail(`${t.name} failed (exit ${r.code}): ${fs.readFileSync(stderr, 'utf8').slice(-2000)}`);
    t.results.push(r);
  }
}

const row = (t) => ({ wall: median(t.results.map((r) => r.wall)), cpu: median(t.results.map((r) => r.cpu)), rss: median(t.results.map((r) => r.rssMiB)) });
/** Lines of `b` that differ from `a`'s; `skipFile` drops a's File: line (footprint prints none without a binary). */
const differing = (a, b, skipFile = false) => {
  const x = fs.readFileSync(a, 'utf8').split('\n');
  const y = fs.readFileSync(b, 'utf8').split('\n');
  if (skipFile && x[0]?.startsWith('File: ')) x.shift();
  let n = 0;
  for (let i = 0; i < Math.max(x.length, y.length); i++) if (x[i] !== y[i]) n++;
  return { n, lines: y.length };
};
const [pprof, withBinary, textOnly] = tools;
const base = row(pprof);
const out = [];
out.push(`profile: ${path.relative(ROOT, PROFILE)}, ${(meta.bytes / 1e6).toFixed(1)} MB, ${meta.records.toLocaleString('en-US')} records, ${meta.frameLines.toLocaleString('en-US')} frame lines (${meta.goVersion} compiling go/types at -memprofilerate=${meta.rate})`);
out.push(`binary: ${meta.compiler}`);
out.push(`runs per command: ${runs} (medians), each after ${settle} s idle`);
out.push('');
out.push(`${'command'.padEnd(28)} ${'wall s'.padStart(7)} ${'cpu s'.padStart(7)} ${'peak RSS MiB'.padStart(13)}   wall s of each run`);
for (const t of tools) {
  const r = row(t);
  out.push(`${t.name.padEnd(28)} ${r.wall.toFixed(2).padStart(7)} ${r.cpu.toFixed(2).padStart(7)} ${r.rss.toFixed(0).padStart(13)}   ${t.results.map((x) => x.wall.toFixed(2)).join(' ')}`);
}
out.push('');
const same = differing(pprof.stdout, withBinary.stdout);
out.push(`footprint top BINARY vs pprof: ${same.n === 0 ? `IDENTICAL (${same.lines} lines)` : `DIFFERENT: ${same.n} of ${same.lines} lines`}`);
const text = differing(pprof.stdout, textOnly.stdout, true);
out.push(`footprint top (no binary) vs pprof: ${text.n} of ${text.lines} lines differ besides File: (what only the binary names, such as wrapper functions)`);
out.push('');
for (const t of [withBinary, textOnly]) {
  const r = row(t);
  const time = r.wall / base.wall;
  const mem = r.rss / base.rss;
  out.push(`${t.name}: time ${time.toFixed(2)} of pprof's (cpu ${(r.cpu / base.cpu).toFixed(2)}; goal <= ${GOAL_TIME.toFixed(2)}) ${time <= GOAL_TIME ? 'MET' : 'NOT MET'}; memory ${mem.toFixed(2)} (goal <= ${GOAL_MEMORY.toFixed(2)}) ${mem <= GOAL_MEMORY ? 'MET' : 'NOT MET'}`);
}
process.stdout.write(out.join('\n') + '\n');
process.exit(same.n === 0 ? 0 : 1);
