import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, ftruncateSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Profile } from '../model/profile.js';
import { byteMutators, encoder, hashString, protoMutators, Rng, textMutators, type Mutated, type Mutator } from '../testkit/fuzz-mutators.js';
import { runCliChild, type ChildOptions } from '../testkit/run-child.js';
import { endless, endlessAfter, formatHead, READING_COMMANDS } from '../testkit/stream-cases.js';
import { tempDir } from '../testkit/temp.js';
import { decodeProfile, FormatError } from './index.js';

/**
 * A deterministic mutation fuzzer over the real fixtures, run by `npm test`.
 * Every case mutates a fixture (bit flips, byte overwrites, truncation, chunk
 * duplication/deletion; for inflated proto also wire-format-preserving
 * mutations of varints and whole fields; for text also line
 * shuffles/deletions/duplications and digit changes) and hands it to
 * decodeProfile. A case passes when the
 * decoder returns a Profile whose tables are internally consistent, or throws
 * a FormatError with a one-line message. Anything else (RangeError,
 * TypeError, SyntaxError from BigInt, a hang, runaway memory) is a bug, and
 * the failure names the fixture, case seed and mutations so it can be replayed.
 *
 * The PRNG is seeded, so the run is the same every time. For a longer local
 * hunt: FOOTPRINT_FUZZ_SEED=<n> changes the seed and FOOTPRINT_FUZZ_SCALE=<k>
 * multiplies the number of cases.
 */

const TESTDATA = new URL('../../testdata/', import.meta.url).pathname;
const BASE_SEED = Number(process.env['FOOTPRINT_FUZZ_SEED'] ?? 0x5eed) >>> 0;
const SCALE = Number(process.env['FOOTPRINT_FUZZ_SCALE'] ?? 1);

/**
 * Guards against hangs (a decoder looping or backtracking forever), NOT a
 * performance assertion: a fixture decodes in a few milliseconds, so a case
 * needing 2 s means something is badly wrong, while CI noise never gets close.
 */
const MAX_CASE_MS = 2000;
/** Guards against a mutated length or count making the decoder allocate without bound. */
const MAX_RSS_BYTES = 1.5 * 2 ** 30;

interface Fixture {
  name: string;
  bytes: Uint8Array;
  kind: 'proto' | 'gzip' | 'text';
  cases: number;
  /** Gzip the mutated bytes before decoding (to go through the gzip path with a valid stream). */
  regzip?: boolean;
}

function fixture(path: string, kind: Fixture['kind'], cases: number, regzip = false): Fixture {
  const file = readFileSync(join(TESTDATA, path));
  const bytes = kind === 'proto' ? gunzipSync(file) : file;
  const name = `${path}${kind === 'proto' ? ' (inflated)' : ''}${regzip ? ' (mutated inflated, re-gzipped)' : ''}`;
  return { name, bytes: new Uint8Array(bytes), kind, cases: Math.round(cases * SCALE), regzip };
}

// About 3000 cases in all; a few seconds on two cores.
const FIXTURES: Fixture[] = [
  fixture('go1.23/heap/heap.pb.gz', 'proto', 300),
  fixture('go1.23/heap/allocs.pb.gz', 'proto', 200),
  fixture('go1.23/goroutines/goroutine.pb.gz', 'proto', 250),
  fixture('go1.26/contention/block.pb.gz', 'proto', 250),
  fixture('go1.26/contention/mutex.pb.gz', 'proto', 150),
  fixture('go1.26/heap/heap.pb.gz', 'proto', 100, true),
  fixture('go1.23/heap/heap.pb.gz', 'gzip', 150),
  fixture('go1.26/goroutines/goroutine.pb.gz', 'gzip', 100),
  fixture('go1.23/heap/heap.txt', 'text', 250),
  fixture('go1.26/heapdefault/heap.txt', 'text', 300),
  fixture('go1.23/goroutines/goroutine.txt', 'text', 300),
  fixture('go1.26/goroutines/goroutine.txt', 'text', 100),
  fixture('go1.23/contention/mutex.txt', 'text', 250),
  fixture('go1.23/contention/block.txt', 'text', 250),
  fixture('go1.23/compiler/compile.memprofile.txt', 'text', 20),
];

/** Checks the cross-table references a report relies on; a decoder must never return a profile that breaks them. */
function checkInvariants(p: Profile): void {
  const fail = (what: string): never => {
    throw new Error(`inconsistent profile: ${what}`);
  };
  const nStrings = p.strings.length;
  const str = (i: number, what: string) => {
    if (!(i >= 0 && i < nStrings)) fail(`${what} string index ${i} out of range`);
  };
  const nTypes = p.sampleTypes.length;
  if (p.samples.values.length !== p.samples.count * nTypes) fail('values length is not samples × sample types');
  for (let i = 0; i < p.samples.count; i++) {
    const s = p.samples.locStart[i]!;
    const n = p.samples.locCount[i]!;
    if (s < 0 || n < 0 || s + n > p.stacks.length) fail(`sample ${i} stack out of range`);
    const ls = p.samples.labelStart[i]!;
    const ln = p.samples.labelCount[i]!;
    if (ls < 0 || ln < 0 || ls + ln > p.labels.count) fail(`sample ${i} labels out of range`);
  }
  for (let i = 0; i < p.stacks.length; i++) {
    const l = p.stacks[i]!;
    if (!(l >= 0 && l < p.locations.count)) fail(`stack entry ${i} = ${l} is not a location`);
  }
  for (let i = 0; i < p.locations.count; i++) {
    const s = p.locations.lineStart[i]!;
    const n = p.locations.lineCount[i]!;
    if (s < 0 || n < 0 || s + n > p.lines.count) fail(`location ${i} lines out of range`);
    const m = p.locations.mapping[i]!;
    if (!(m >= -1 && m < p.mappings.length)) fail(`location ${i} mapping ${m} out of range`);
  }
  for (let i = 0; i < p.lines.count; i++) {
    const f = p.lines.function[i]!;
    if (!(f >= -1 && f < p.functions.count)) fail(`line ${i} function ${f} out of range`);
  }
  for (let i = 0; i < p.functions.count; i++) {
    str(p.functions.name[i]!, 'function name');
    str(p.functions.systemName[i]!, 'function system name');
    str(p.functions.filename[i]!, 'function file');
  }
  for (let i = 0; i < p.labels.count; i++) {
    str(p.labels.key[i]!, 'label key');
    str(p.labels.str[i]!, 'label value');
    str(p.labels.numUnit[i]!, 'label unit');
  }
  for (const t of p.sampleTypes) if (typeof t.type !== 'string' || typeof t.unit !== 'string') fail('sample type is not a string');
}

interface Outcome {
  ok: boolean;
  /** True when a Profile came back (false: a FormatError, or a failure). */
  decoded?: boolean;
  problem?: string;
}

/** Decodes one input; ok when it yields a consistent Profile or a one-line FormatError. */
function tryDecode(bytes: Uint8Array, source: string): Outcome {
  try {
    const p = decodeProfile(bytes, source);
    checkInvariants(p);
    return { ok: true, decoded: true };
  } catch (err) {
    if (err instanceof FormatError) {
      const line = err.describe();
      if (line.includes('\n')) return { ok: false, problem: `FormatError message spans lines: ${JSON.stringify(line)}` };
      if (!line.startsWith(`${source}: `)) return { ok: false, problem: `FormatError does not name the source: ${line}` };
      if (err.message.trim() === '') return { ok: false, problem: 'FormatError with an empty message' };
      return { ok: true };
    }
    const e = err as Error;
    const frames = (e?.stack ?? '').split('\n').filter((l) => l.trimStart().startsWith('at ')).slice(0, 4);
    return { ok: false, problem: [`${e?.name ?? typeof err}: ${e?.message ?? String(err)}`, ...frames].join('\n') };
  }
}

function mutate(f: Fixture, r: Rng): Mutated {
  const pool: Mutator[] = [...Object.values(byteMutators)];
  if (f.kind === 'text') pool.push(...Object.values(textMutators), ...Object.values(textMutators));
  if (f.kind === 'proto') pool.push(...Object.values(protoMutators), protoMutators['varint']!, protoMutators['varint']!);
  let bytes = f.bytes;
  const descs: string[] = [];
  for (let k = 1 + (r.next() < 0.3 ? r.int(3) : 0); k > 0; k--) {
    if (bytes.length === 0) break;
    const m = r.pick(pool)(bytes, r);
    bytes = m.bytes;
    descs.push(m.desc);
  }
  if (f.regzip) bytes = new Uint8Array(gzipSync(bytes));
  return { bytes, desc: descs.join('; ') };
}

for (const f of FIXTURES) {
  test(`fuzz: ${f.cases} mutations of ${f.name} decode or fail with a FormatError`, (t) => {
    assert.ok(decodeProfile(f.regzip ? gzipSync(f.bytes) : f.bytes, f.name), 'the unmutated fixture decodes');
    const failures: string[] = [];
    let slowest = { ms: 0, what: '' };
    let peakRss = 0;
    let decoded = 0;
    const fixtureSeed = (BASE_SEED ^ hashString(f.name)) >>> 0;
    for (let i = 0; i < f.cases; i++) {
      const seed = (fixtureSeed + Math.imul(i, 0x9e3779b1)) >>> 0;
      const r = new Rng(seed);
      const m = mutate(f, r);
      const what = `${f.name} case ${i} (seed 0x${seed.toString(16)}): ${m.desc}`;
      const t0 = performance.now();
      const outcome = tryDecode(m.bytes, 'fuzz-input');
      const ms = performance.now() - t0;
      if (ms > slowest.ms) slowest = { ms, what };
      if (!outcome.ok) failures.push(`${what}\n  ${outcome.problem}`);
      if (outcome.decoded) decoded++;
      const rss = process.memoryUsage.rss();
      peakRss = Math.max(peakRss, rss);
      if (rss > MAX_RSS_BYTES) failures.push(`${what}\n  RSS reached ${(rss / 2 ** 20).toFixed(0)} MiB`);
      if (failures.length >= 10) break;
    }
    t.diagnostic(`${decoded} of ${f.cases} mutants decoded, the rest were FormatErrors`);
    t.diagnostic(`slowest case ${slowest.ms.toFixed(1)} ms (${slowest.what}); peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
    assert.deepEqual(failures, [], `${failures.length} fuzz case(s) failed:\n${failures.join('\n')}`);
    assert.ok(
      slowest.ms < MAX_CASE_MS,
      `slowest case took ${slowest.ms.toFixed(0)} ms (hang guard, limit ${MAX_CASE_MS} ms): ${slowest.what}`,
    );
  });
}

/**
 * Inputs that once crashed or (nearly) hung a decoder, kept as literal text so
 * they survive changes to the mutators above.
 */
const HEAP_HEADER = 'heap profile: 1: 16 [1: 16] @ heap/8192\n1: 16 [1: 16] @ 0x1\n\n# runtime.MemStats\n';
const REGRESSIONS: [string, string][] = [
  // SyntaxError from BigInt() on a MemStats array item (found by this fuzzer, go1.26/heapdefault/heap.txt).
  ['MemStats array item with a letter', `${HEAP_HEADER}# PauseEnd = [17956439707811501J4 0 0]\n`],
  ['MemStats array item with a colon', `${HEAP_HEADER}# PauseNs = [1 01: 2]\n`],
  ['MemStats array with a float', `${HEAP_HEADER}# PauseNs = [1.5 2]\n`],
  ['MemStats array without its closing bracket', `${HEAP_HEADER}# PauseNs = [1 2\n`],
  // Super-linear regex backtracking in V8 (pprof's regexes are linear under Go's RE2). Sizes are chosen
  // so that the old regexes take well over the 2 s guard (but finish within a minute), the fixed ones ~1 ms.
  ['contention record line of 3k digits (was cubic: ~15 s)', `--- mutex:\ncycles/second=1\n${'1'.repeat(3_000)}\n`],
  ['contention record line of 3k digits before " x @"', `--- mutex:\ncycles/second=1\n${'1'.repeat(3_000)} x @ 0x1\n`],
  ['heap record line of 80k digits (was quadratic: ~7 s)', `heap profile: 1: 2 [3: 4] @ heap/8192\n${'1'.repeat(80_000)}\n`],
  ['frame comment of 30k "+0x1<TAB>" (was quadratic: ~7 s)', `goroutine profile: total 1\n1 @ 0x2\n#\t0x1\t${'+0x1\t'.repeat(30_000)}\n`],
];

test('fuzz regressions: once-crashing and once-hanging inputs decode or fail cleanly, quickly', () => {
  const failures: string[] = [];
  for (const [what, text] of REGRESSIONS) {
    const t0 = performance.now();
    const outcome = tryDecode(encoder.encode(text), 'regression-input');
    const ms = performance.now() - t0;
    if (!outcome.ok) failures.push(`${what}: ${outcome.problem}`);
    if (ms >= MAX_CASE_MS) failures.push(`${what}: took ${ms.toFixed(0)} ms (hang guard)`);
  }
  assert.deepEqual(failures, []);
});

/**
 * Stream and size cases (issue 16.3): every command on devices, pipes and
 * inputs past their limit, each in a child process with a time bound. A case
 * passes when the command ends in time with exit 0, or exit 2 and one stderr
 * line naming the input — never a crash, a signal, an internal error or a
 * hang — and within STREAM_RSS_BOUND of memory (the largest limit, 256 MiB,
 * plus the runtime). Before: /dev/zero and an endless pipe read until the
 * process died (6 GB in 20 s), trace could not read a pipe at all.
 */
const STREAM_TIME_BOUND_MS = 120_000;
const STREAM_RSS_BOUND = 400 * 2 ** 20;
const MiB = 2 ** 20;

interface StreamCase {
  name: string;
  /** The input argument and what messages call it. */
  input: string;
  shownAs: string;
  stdin?: ChildOptions['stdin'];
  /** Write `stdin` to `input` as a named pipe. */
  fifo?: boolean;
  /** A valid input may come out of it: exit 0 is fine too. */
  mayDecode?: boolean;
}

function streamCases(command: string, dir: string): StreamCase[] {
  const random = new Uint8Array(1 << 16).map((_, i) => (Math.imul(i + 1, 2654435761) >>> 24) & 0xff);
  const sparse = join(dir, `${command}-sparse`);
  const fd = openSync(sparse, 'w');
  writeSync(fd, formatHead(command));
  ftruncateSync(fd, 300 * MiB); // 300 MiB that take no disk: the rest reads as zeros
  closeSync(fd);
  const fifo = join(dir, `${command}-fifo`);
  const longLine = join(dir, `${command}-long-line`);
  writeFileSync(longLine, `${formatHead(command)}${'x'.repeat(10 * MiB)}\n${formatHead(command)}`);
  return [
    { name: '/dev/zero', input: '/dev/zero', shownAs: '/dev/zero' },
    { name: '/dev/urandom', input: '/dev/urandom', shownAs: '/dev/urandom' },
    { name: 'an endless pipe of random bytes on stdin', input: '-', shownAs: '<stdin>', stdin: () => endless(random) },
    { name: 'an endless named pipe that starts like the format', input: fifo, shownAs: fifo, fifo: true, stdin: () => endlessAfter(formatHead(command)) },
    { name: 'a 300 MiB file that starts like the format', input: sparse, shownAs: sparse },
    { name: 'a 10 MiB line', input: longLine, shownAs: longLine, mayDecode: true },
  ];
}

test('stream and size cases: every command on devices, pipes and long inputs ends in time, within memory, with a clean exit', async (t) => {
  const dir = tempDir(t, 'fuzz-streams');
  const failures: string[] = [];
  const jobs = READING_COMMANDS.flatMap((cmd) => streamCases(cmd[0]!, dir).map((c) => ({ cmd, c })));
  let peak = { rss: 0, what: '' };
  const runOne = async ({ cmd, c }: (typeof jobs)[number]) => {
    const what = `${cmd.join(' ')} on ${c.name}`;
    const r = await runCliChild([...cmd, c.input], { timeoutMs: STREAM_TIME_BOUND_MS, ...(c.stdin ? { stdin: c.stdin } : {}), ...(c.fifo ? { fifo: c.input } : {}) });
    const rss = r.maxRssBytes ?? 0;
    if (rss > peak.rss) peak = { rss, what };
    const oneLine = r.err.endsWith('\n') && r.err.indexOf('\n') === r.err.length - 1;
    if (r.timedOut) failures.push(`${what}: still running after ${STREAM_TIME_BOUND_MS / 1000} s`);
    else if (r.code === 0 && c.mayDecode) return;
    else if (r.code !== 2 || !oneLine || !r.err.startsWith(`footprint ${cmd[0]}: ${c.shownAs}: `)) {
      failures.push(`${what}: exit ${r.code ?? r.signal}, stderr ${JSON.stringify(r.err.slice(0, 300))}`);
    } else if (rss > STREAM_RSS_BOUND) failures.push(`${what}: peak RSS ${(rss / MiB).toFixed(0)} MiB`);
  };
  // Two at a time: each child is a whole process, and the long cases read 256 MiB.
  const queue = [...jobs];
  const worker = async () => {
    for (let job = queue.shift(); job; job = queue.shift()) await runOne(job);
  };
  await Promise.all([worker(), worker()]);
  t.diagnostic(`${jobs.length} cases; highest peak RSS ${(peak.rss / MiB).toFixed(0)} MiB (${peak.what})`);
  assert.deepEqual(failures, []);
});
