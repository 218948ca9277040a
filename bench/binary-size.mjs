#!/usr/bin/env node
// Benchmark: `footprint binary --json` vs `go tool nm -size -sort size` (the anchor: symbols only) on
// the Go compiler's own binary, $(go env GOTOOLDIR)/compile (~25 MB; issue 20, item 8: under 1 s and
// 200 MB). See bench/README.md.
//
//   node bench/binary-size.mjs [--runs N] [--settle S]
//
// Prints wall, CPU and peak RSS of each (medians), footprint's ratios to nm, whether footprint met the
// goal, and checks footprint's own totals: packages and parts add up to the file, and its -s -w
// estimate. Exit code: 0 when the totals add up (goals met or not: this is a measurement), 1 when they
// do not, 2 when a tool fails. Plain Node ESM, no dependencies.

import fs from 'node:fs';
import path from 'node:path';
import { failer, FOOTPRINT_BIN, medianRow, OUT, rotatingRuns, run, timingTable } from './lib.mjs';

const argv = process.argv.slice(2);
const opt = (name, dflt) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : dflt);
const runs = opt('--runs', 3);
const settle = opt('--settle', 3);
const GOAL_SECONDS = 1;
const GOAL_MIB = 200;
const fail = failer('binary-size');
/** The toolchain whose compiler is measured: Go 1.26 (`go`), as the issue names it. */
const GO = process.env.FOOTPRINT_BENCH_GO || 'go';

const dir = await run(GO, ['env', 'GOTOOLDIR'], { stdout: 'pipe', stderr: 'ignore' });
if (dir.code !== 0) fail(`${GO} env GOTOOLDIR failed: is Go installed?`);
const compiler = path.join(dir.out.trim(), 'compile');
fs.mkdirSync(OUT, { recursive: true });

const tools = [
  { name: 'go tool nm -size -sort size', file: 'nm', cmd: GO, args: ['tool', 'nm', '-size', '-sort', 'size', compiler] },
  { name: 'footprint binary --json', file: 'footprint', cmd: process.execPath, args: [FOOTPRINT_BIN, 'binary', '--json', compiler] },
].map((t) => ({
  ...t,
  stdout: path.join(OUT, `binary.${t.file}.out`),
  stderrFile: path.join(OUT, `binary.${t.file}.stderr`),
  timeFile: path.join(OUT, `binary.${t.file}.time`),
  results: [],
}));
await rotatingRuns(tools, { runs, settle, fail });

const a = JSON.parse(fs.readFileSync(tools[1].stdout, 'utf8'));
let sum = 0;
for (const p of a.packages) sum += p.bytes;
for (const p of a.parts) sum += p.bytes;
const out = [];
out.push(`binary: ${compiler}, ${a.bytes.toLocaleString('en-US')} bytes, ${a.goVersion}, ${a.functions.length.toLocaleString('en-US')} functions, ${a.packages.length} packages`);
out.push(`runs per command: ${runs} (medians), each after ${settle} s idle`);
out.push('');
for (const line of timingTable(tools)) out.push(line);
const [nm, fp] = tools.map(medianRow);
out.push('');
out.push(`footprint vs nm: time ${(fp.wall / nm.wall).toFixed(2)} (cpu ${(fp.cpu / nm.cpu).toFixed(2)}), memory ${(fp.rss / nm.rss).toFixed(2)}`);
out.push(`goal (< ${GOAL_SECONDS} s, < ${GOAL_MIB} MiB): wall ${fp.wall < GOAL_SECONDS ? 'MET' : 'NOT MET'} (cpu ${fp.cpu < GOAL_SECONDS ? 'MET' : 'NOT MET'}), memory ${fp.rss < GOAL_MIB ? 'MET' : 'NOT MET'}`);
out.push(`packages + parts = ${sum.toLocaleString('en-US')} of ${a.bytes.toLocaleString('en-US')} bytes: ${sum === a.bytes ? 'EXACT' : 'DIFFERENT'}; -s -w estimate ${a.strippedBytes.toLocaleString('en-US')}`);
process.stdout.write(out.join('\n') + '\n');
process.exit(sum === a.bytes ? 0 : 1);
