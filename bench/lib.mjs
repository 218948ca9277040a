// Helpers shared by the benchmarks: running a command, timing it with GNU
// time, and the median of repeated runs. Plain Node ESM, no dependencies.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.dirname(BENCH);
export const OUT = path.join(BENCH, 'out');
export const FOOTPRINT_BIN = path.join(ROOT, 'bin', 'footprint.js');
export const TIME = '/usr/bin/time';
const GO123 = '/usr/lib/go-1.23/bin/go';
/** The reference toolchain: Go 1.23 when installed (FOOTPRINT_BENCH_GO overrides). */
export const GO = process.env.FOOTPRINT_BENCH_GO || (fs.existsSync(GO123) ? GO123 : 'go');

/** A fail(msg) that prints `name: msg` and exits 2 (a tool could not run). */
export function failer(name) {
  return (msg) => {
    process.stderr.write(`${name}: ${msg}\n`);
    process.exit(2);
  };
}

/**
 * Runs a command to completion; resolves { code, signal, out, error }.
 * stdout/stderr: 'inherit', 'ignore', 'pipe' (stdout only: collected in out) or a file path.
 */
export function run(cmd, args, { stdout = 'inherit', stderr = 'inherit', env = process.env, cwd = ROOT } = {}) {
  const fds = [];
  const open = (s) => {
    if (s === 'inherit' || s === 'ignore' || s === 'pipe') return s;
    const fd = fs.openSync(s, 'w');
    fds.push(fd);
    return fd;
  };
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', open(stdout), open(stderr)] });
    let out = '';
    if (stdout === 'pipe') child.stdout.on('data', (d) => (out += d));
    const close = () => fds.forEach((fd) => fs.closeSync(fd));
    child.on('error', (error) => { close(); resolve({ code: -1, error, out }); });
    child.on('close', (code, signal) => { close(); resolve({ code, signal, out }); });
  });
}

/** The median (the mean of the middle two for an even count). */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * One run under GNU time: { code, wall, cpu (user + sys), rssMiB } (seconds, MiB);
 * stdout and stderr go to the given files.
 */
export async function timed(cmd, args, { stdout, stderr, timeFile, env = process.env }) {
  const { code } = await run(TIME, ['-o', timeFile, '-f', '%e %U %S %M', cmd, ...args], { stdout, stderr, env });
  const last = fs.existsSync(timeFile) ? fs.readFileSync(timeFile, 'utf8').trim().split('\n').at(-1) : '';
  const [wall, user, sys, rssKiB] = last.split(' ').map(Number);
  return { code, wall, cpu: user + sys, rssMiB: rssKiB / 1024 };
}

/**
 * Runs each tool `runs` times, rotating the order so no tool always runs first, each run after `settle`
 * seconds idle; pushes each run's { wall, cpu, rssMiB } onto tool.results. A tool is
 * { name, cmd, args, stdout, stderrFile, timeFile }; `fail` is called with a message when one exits non-zero.
 */
export async function rotatingRuns(tools, { runs, settle, fail }) {
  for (let i = 0; i < runs; i++) {
    for (let k = 0; k < tools.length; k++) {
      const t = tools[(i + k) % tools.length];
      await new Promise((resolve) => setTimeout(resolve, settle * 1000));
      const r = await timed(t.cmd, t.args, { stdout: t.stdout, stderr: t.stderrFile, timeFile: t.timeFile });
      if (r.code !== 0) fail(`${t.name} failed (exit ${r.code}): ${fs.readFileSync(t.stderrFile, 'utf8').slice(-2000)}`);
      t.results.push(r);
    }
  }
}

/** A tool's medians over its runs: { wall, cpu, rss } (seconds, seconds, MiB). */
export function medianRow(tool) {
  return { wall: median(tool.results.map((r) => r.wall)), cpu: median(tool.results.map((r) => r.cpu)), rss: median(tool.results.map((r) => r.rssMiB)) };
}

/** The timing table: one line per tool with its medians and each run's wall time. */
export function timingTable(tools, width = 28) {
  const lines = [`${'command'.padEnd(width)} ${'wall s'.padStart(7)} ${'cpu s'.padStart(7)} ${'peak RSS MiB'.padStart(13)}   wall s of each run`];
  for (const t of tools) {
    const r = medianRow(t);
    lines.push(`${t.name.padEnd(width)} ${r.wall.toFixed(2).padStart(7)} ${r.cpu.toFixed(2).padStart(7)} ${r.rss.toFixed(0).padStart(13)}   ${t.results.map((x) => x.wall.toFixed(2)).join(' ')}`);
  }
  return lines;
}
