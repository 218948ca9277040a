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

/** The value after `--name` on the command line, or `fallback`. */
export function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
}
