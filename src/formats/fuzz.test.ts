import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Profile } from '../model/profile.js';
import { prng } from '../testkit/prng.js';
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

class Rng {
  readonly next: () => number;
  constructor(readonly seed: number) {
    this.next = prng(seed);
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
}

function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

interface Mutated {
  bytes: Uint8Array;
  desc: string;
}

type Mutator = (b: Uint8Array, r: Rng) => Mutated;

const INTERESTING_BYTES = [0x00, 0xff, 0x80, 0x7f, 0x01, 0x0a, 0x20, 0x2d, 0x30, 0x39, 0x3a, 0x40, 0x23];

const byteMutators: Record<string, Mutator> = {
  bitflip(b, r) {
    const out = b.slice();
    const flips: string[] = [];
    for (let k = 1 + r.int(4); k > 0; k--) {
      const at = r.int(out.length);
      const bit = 1 << r.int(8);
      out[at] = out[at]! ^ bit;
      flips.push(`${at}^0x${bit.toString(16)}`);
    }
    return { bytes: out, desc: `bitflip ${flips.join(',')}` };
  },
  overwrite(b, r) {
    const out = b.slice();
    const at = r.int(out.length);
    const n = 1 + r.int(8);
    for (let i = at; i < Math.min(out.length, at + n); i++) out[i] = r.next() < 0.5 ? r.pick(INTERESTING_BYTES) : r.int(256);
    return { bytes: out, desc: `overwrite ${n}@${at}` };
  },
  truncate(b, r) {
    const n = r.int(b.length);
    return { bytes: b.slice(0, n), desc: `truncate to ${n}` };
  },
  duplicate(b, r) {
    const at = r.int(b.length);
    const n = 1 + r.int(Math.min(256, b.length - at));
    const to = r.int(b.length + 1);
    const chunk = b.subarray(at, at + n);
    const out = new Uint8Array(b.length + n);
    out.set(b.subarray(0, to));
    out.set(chunk, to);
    out.set(b.subarray(to), to + n);
    return { bytes: out, desc: `duplicate ${n}@${at} to ${to}` };
  },
  delete(b, r) {
    const at = r.int(b.length);
    const n = 1 + r.int(Math.min(256, b.length - at));
    const out = new Uint8Array(b.length - n);
    out.set(b.subarray(0, at));
    out.set(b.subarray(at + n), at);
    return { bytes: out, desc: `delete ${n}@${at}` };
  },
};

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function lineMutator(name: string, f: (lines: string[], r: Rng) => string): Mutator {
  return (b, r) => {
    const lines = decoder.decode(b).split('\n');
    const desc = f(lines, r);
    return { bytes: encoder.encode(lines.join('\n')), desc: `${name} ${desc}` };
  };
}

const EXTREME_NUMBERS = ['0', '-1', '1', '9223372036854775807', '9223372036854775808', '-9223372036854775808', '18446744073709551616', '99999999999999999999999', '4294967296', '2147483648', ''];

const textMutators: Record<string, Mutator> = {
  swapLines: lineMutator('swap-lines', (lines, r) => {
    const i = r.int(lines.length);
    const j = r.int(lines.length);
    [lines[i], lines[j]] = [lines[j]!, lines[i]!];
    return `${i + 1}<->${j + 1}`;
  }),
  deleteLine: lineMutator('delete-line', (lines, r) => {
    const i = r.int(lines.length);
    lines.splice(i, 1);
    return `${i + 1}`;
  }),
  duplicateLine: lineMutator('duplicate-line', (lines, r) => {
    const i = r.int(lines.length);
    const to = r.int(lines.length);
    lines.splice(to, 0, lines[i]!);
    return `${i + 1} to ${to + 1}`;
  }),
  truncateLine: lineMutator('truncate-line', (lines, r) => {
    const i = r.int(lines.length);
    const cut = r.int(lines[i]!.length + 1);
    lines.length = i + 1;
    lines[i] = lines[i]!.slice(0, cut);
    return `${i + 1} at column ${cut}`;
  }),
  digit: lineMutator('digit', (lines, r) => {
    const i = r.int(lines.length);
    const line = lines[i]!;
    const digits = [...line.matchAll(/\d/g)];
    if (digits.length === 0) return `none on line ${i + 1}`;
    const at = r.pick(digits).index;
    const d = String(r.int(10));
    lines[i] = line.slice(0, at) + d + line.slice(at + 1);
    return `line ${i + 1} column ${at} -> ${d}`;
  }),
  number: lineMutator('number', (lines, r) => {
    const i = r.int(lines.length);
    const line = lines[i]!;
    const numbers = [...line.matchAll(/\d+/g)];
    if (numbers.length === 0) return `none on line ${i + 1}`;
    const m = r.pick(numbers);
    const repl = r.pick(EXTREME_NUMBERS);
    lines[i] = line.slice(0, m.index) + repl + line.slice(m.index + m[0].length);
    return `line ${i + 1} ${m[0]} -> ${JSON.stringify(repl)}`;
  }),
  hex: lineMutator('hex', (lines, r) => {
    const i = r.int(lines.length);
    const line = lines[i]!;
    const hexes = [...line.matchAll(/0x[0-9a-f]+/g)];
    if (hexes.length === 0) return `none on line ${i + 1}`;
    const m = r.pick(hexes);
    const repl = r.pick(['0x0', '0x1', '0xffffffffffffffff', '0x10000000000000000', '0x', '0xg1', '0x' + 'f'.repeat(40)]);
    lines[i] = line.slice(0, m.index) + repl + line.slice(m.index + m[0].length);
    return `line ${i + 1} ${m[0]} -> ${repl}`;
  }),
};

/**
 * Structure-aware protobuf mutations: they keep the wire format valid so the
 * input gets past the wire layer and exercises ID resolution, string indexes,
 * value counts and the like.
 */
interface WireField {
  start: number;
  end: number;
  /** Where the payload starts (after tag and length). */
  payload: number;
  wire: number;
}

/** Reads a varint at `pos`; [value, next] or undefined when malformed. Values above 2^53 are imprecise, which is fine here. */
function readVarint(b: Uint8Array, pos: number, end: number): [number, number] | undefined {
  let v = 0;
  let mul = 1;
  for (let i = 0; i < 10 && pos < end; i++) {
    const byte = b[pos++]!;
    v += (byte & 0x7f) * mul;
    mul *= 128;
    if (byte < 0x80) return [v, pos];
  }
  return undefined;
}

/** The fields of the message in b[start, end), or as many as parse. */
function wireFields(b: Uint8Array, start: number, end: number): WireField[] {
  const out: WireField[] = [];
  let pos = start;
  while (pos < end) {
    const key = readVarint(b, pos, end);
    if (!key) break;
    const wire = key[0] & 7;
    let payload = key[1];
    let next: number;
    if (wire === 0) {
      const v = readVarint(b, payload, end);
      if (!v) break;
      next = v[1];
    } else if (wire === 2) {
      const len = readVarint(b, payload, end);
      if (!len) break;
      payload = len[1];
      next = payload + len[0];
    } else if (wire === 1) next = payload + 8;
    else if (wire === 5) next = payload + 4;
    else break;
    if (next > end) break;
    out.push({ start: pos, end: next, payload, wire });
    pos = next;
  }
  return out;
}

/** Positions [start, end) of varints one and two levels down: scalar fields and packed elements. */
function varintSpans(b: Uint8Array): [number, number][] {
  const spans: [number, number][] = [];
  const collect = (start: number, end: number, depth: number) => {
    for (const f of wireFields(b, start, end)) {
      if (f.wire === 0) {
        const key = readVarint(b, f.start, f.end)!;
        spans.push([key[1], f.end]);
      } else if (f.wire === 2 && depth < 3) {
        // A Len field may be a sub-message or packed varints; try both views.
        let pos = f.payload;
        const packed: [number, number][] = [];
        while (pos < f.end) {
          const v = readVarint(b, pos, f.end);
          if (!v) break;
          packed.push([pos, v[1]]);
          pos = v[1];
        }
        if (pos === f.end) spans.push(...packed);
        collect(f.payload, f.end, depth + 1);
      }
    }
  };
  collect(0, b.length, 0);
  return spans;
}

/** `value` as a varint of exactly `len` bytes (non-canonical padding), wrapping at 7*len bits. */
function fixedLengthVarint(value: bigint, len: number): number[] {
  const out: number[] = [];
  let v = BigInt.asUintN(Math.min(64, 7 * len), value);
  for (let i = 0; i < len; i++) {
    const last = i === len - 1;
    out.push(Number(v & 0x7fn) | (last ? 0 : 0x80));
    v >>= 7n;
  }
  return out;
}

const protoMutators: Record<string, Mutator> = {
  varint(b, r) {
    const spans = varintSpans(b);
    if (spans.length === 0) return { bytes: b, desc: 'varint (none found)' };
    const [at, end] = r.pick(spans);
    const len = end - at;
    const choices = [0n, 1n, 2n, 3n, -1n, (1n << BigInt(Math.min(64, 7 * len))) - 1n, BigInt(r.int(1 << Math.min(30, 7 * len)))];
    const value = r.pick(choices);
    const out = b.slice();
    out.set(fixedLengthVarint(value, len), at);
    return { bytes: out, desc: `varint@${at}(${len} bytes) = ${value}` };
  },
  fieldDelete(b, r) {
    const fields = wireFields(b, 0, b.length);
    if (fields.length === 0) return { bytes: b, desc: 'field-delete (none)' };
    const i = r.int(fields.length);
    const f = fields[i]!;
    const out = new Uint8Array(b.length - (f.end - f.start));
    out.set(b.subarray(0, f.start));
    out.set(b.subarray(f.end), f.start);
    return { bytes: out, desc: `field-delete #${i} [${f.start},${f.end})` };
  },
  fieldDuplicate(b, r) {
    const fields = wireFields(b, 0, b.length);
    if (fields.length === 0) return { bytes: b, desc: 'field-duplicate (none)' };
    const i = r.int(fields.length);
    const f = fields[i]!;
    const to = r.pick(fields).start;
    const chunk = b.subarray(f.start, f.end);
    const out = new Uint8Array(b.length + chunk.length);
    out.set(b.subarray(0, to));
    out.set(chunk, to);
    out.set(b.subarray(to), to + chunk.length);
    return { bytes: out, desc: `field-duplicate #${i} [${f.start},${f.end}) to ${to}` };
  },
};

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
