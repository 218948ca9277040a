#!/usr/bin/env node
// Benchmark: `footprint heapdump` on a ~1 GB heap dump written by bench/heapdump-gen
// (a service-shaped heap: a map of sessions, a tree, buffers, a list, parked goroutines,
// garbage). See bench/README.md.
//
//   node bench/heapdump-large.mjs [--runs N] [--mb M] [--regen]
//
// No other tool reads these dumps (viewcore needs a core file), so the anchor is the issue's
// budget (under 30 s and 3 GB for 1 GB) and the runtime's own time to write the dump (it stops
// the world for that long). Prints wall, CPU and peak RSS, the ratios, and checks the answer:
// the generator's globals come out as the top retainers in its order, with their objects.
// Exit code: 0 when footprint ran and its answer is right, goals met or not (a measurement);
// 1 when the answer is wrong; 2 when a tool fails.

import fs from 'node:fs';
import path from 'node:path';
import { BENCH, failer, FOOTPRINT_BIN, GO, median, OUT, run, TIME } from './lib.mjs';

const GEN_SRC = path.join(BENCH, 'heapdump-gen', 'main.go');
const GEN_BIN = path.join(OUT, 'heapdump-gen');
const DUMP = path.join(OUT, 'heap1g.dump');
const META = path.join(OUT, 'heap1g.json');
const GOAL_SECONDS = 30;
const GOAL_RSS_MIB = 3 * 1024;

const argv = process.argv.slice(2);
const flag = (name, dflt) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : dflt);
const runs = flag('--runs', 1);
/** 860 MiB of heap writes a dump of about 1 GB (objects' contents plus their pointer slots). */
const mb = flag('--mb', 860);
const regen = argv.includes('--regen');
if (!(runs >= 1) || !(mb >= 1)) {
  process.stderr.write('usage: node bench/heapdump-large.mjs [--runs N] [--mb M] [--regen]\n');
  process.exit(2);
}
const fail = failer('heapdump-large');

async function generate() {
  fs.mkdirSync(OUT, { recursive: true });
  if (!regen && fs.existsSync(DUMP) && fs.existsSync(META)) return JSON.parse(fs.readFileSync(META, 'utf8'));
  process.stderr.write(`building heapdump-gen with ${GO}, then writing a dump of a ${mb} MiB heap...\n`);
  const env = { ...process.env, GOTOOLCHAIN: 'local', CGO_ENABLED: '0', GOFLAGS: '-buildvcs=false' };
  const built = await run(GO, ['build', '-trimpath', '-o', GEN_BIN, GEN_SRC], { env, stdout: 'ignore' });
  if (built.code !== 0) fail('cannot build heapdump-gen');
  const wrote = await run(GEN_BIN, ['-mb', String(mb), DUMP], { env, stdout: 'pipe' });
  if (wrote.code !== 0) fail('heapdump-gen failed');
  fs.writeFileSync(META, wrote.out);
  return JSON.parse(wrote.out);
}

/** One timed run: wall s, user+sys s, peak RSS MiB (from GNU time). */
async function timed(args, stdout) {
  const timeFile = path.join(OUT, 'heapdump.time');
  const stderr = path.join(OUT, 'heapdump.stderr');
  const { code } = await run(TIME, ['-o', timeFile, '-f', '%e %U %S %M', process.execPath, FOOTPRINT_BIN, ...args], { stdout, stderr });
  if (code !== 0) fail(`footprint heapdump failed (exit ${code}): ${fs.readFileSync(stderr, 'utf8').slice(-2000)}`);
  const [wall, user, sys, rssKiB] = fs.readFileSync(timeFile, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
  return { wall, cpu: user + sys, rssMiB: rssKiB / 1024 };
}

/** The generator's globals, largest first by construction (heapdump-gen/main.go's shares). */
const EXPECTED = ['main.sessions', 'main.buffers', 'main.tree', 'main.list'];

/** What is wrong with the answer (nothing, when right), and how many parked goroutines were found. */
function check(report) {
  const problems = [];
  const names = report.retainers.slice(0, EXPECTED.length).map((r) => r.root.name);
  if (names.join() !== EXPECTED.join()) problems.push(`top retainers ${names.join(', ')}; want ${EXPECTED.join(', ')}`);
  // main.hold is inlined into the go statement's wrapper (main.main.gowrap1): the dump has physical frames only.
  const parked = report.retainers.filter((r) => r.root.kind === 'goroutine' && r.root.goroutine?.createdBy === 'main.main' && r.retainedBytes === 64 << 10).length;
  if (parked === 0) problems.push('no goroutine started by main.main keeping its 64 KiB buffer among the retainers');
  if (!(report.garbageBytes > 0)) problems.push('no garbage (the generator leaves some after its last GC)');
  return { problems, parked };
}

const meta = await generate();
const size = fs.statSync(DUMP).size;
const json = path.join(OUT, 'heapdump.footprint.json');
const results = [];
for (let i = 0; i < runs; i++) results.push(await timed(['heapdump', '--json', '--top', '200', '--binary', GEN_BIN, DUMP], json));
const report = JSON.parse(fs.readFileSync(json, 'utf8'));
const wall = median(results.map((r) => r.wall));
const cpu = median(results.map((r) => r.cpu));
const rss = median(results.map((r) => r.rssMiB));
const mib = (b) => (b / 2 ** 20).toFixed(1);
const out = [];
out.push(`dump: ${path.relative(process.cwd(), DUMP)}, ${(size / 1e9).toFixed(2)} GB, ${meta.goVersion}, ${report.objects.toLocaleString('en')} objects`);
out.push(`heap: ${mib(report.reachableBytes)} MiB reachable, ${mib(report.garbageBytes)} MiB garbage (MemStats HeapAlloc ${mib(meta.heapAlloc)} MiB)`);
out.push(`runs: ${runs} (medians); wall s of each: ${results.map((r) => r.wall.toFixed(2)).join(' ')}`);
out.push('');
out.push(`${'tool'.padEnd(40)} ${'wall s'.padStart(8)} ${'cpu s'.padStart(8)} ${'peak RSS MiB'.padStart(13)}`);
out.push(`${'runtime/debug.WriteHeapDump (writing)'.padEnd(40)} ${meta.writeSeconds.toFixed(2).padStart(8)} ${'-'.padStart(8)} ${'-'.padStart(13)}`);
out.push(`${'footprint heapdump --json --binary'.padEnd(40)} ${wall.toFixed(2).padStart(8)} ${cpu.toFixed(2).padStart(8)} ${rss.toFixed(0).padStart(13)}`);
out.push('');
out.push(`speed: footprint / goal = ${(wall / GOAL_SECONDS).toFixed(2)} of ${GOAL_SECONDS} s ${wall <= GOAL_SECONDS ? 'MET' : 'NOT MET'}; footprint / WriteHeapDump = ${(wall / meta.writeSeconds).toFixed(1)}x`);
out.push(`memory: footprint / goal = ${(rss / GOAL_RSS_MIB).toFixed(2)} of 3 GiB ${rss <= GOAL_RSS_MIB ? 'MET' : 'NOT MET'}; peak RSS / dump size = ${((rss * 2 ** 20) / size).toFixed(2)}`);
const { problems, parked } = check(report);
out.push(problems.length === 0 ? `answer: ${EXPECTED.join(', ')} retain ${report.retainers.slice(0, 4).map((r) => `${mib(r.retainedBytes)} MiB`).join(', ')}; ${parked} goroutines keeping 64 KiB each: OK` : `answer WRONG: ${problems.join('; ')}`);
process.stdout.write(out.join('\n') + '\n');
process.exit(problems.length === 0 ? 0 : 1);
