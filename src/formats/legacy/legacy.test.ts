import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FormatError } from '../errors.js';
import { decodeProfile, streamProfile } from '../index.js';
import { lineFunctionName, sampleValue, type Profile } from '../../model/profile.js';
import { CONTENTION_SAMPLE_RE } from './contention.js';
import { HEAP_SAMPLE_RE, scaleHeapSample } from './heap.js';

const TESTDATA = new URL('../../../testdata/', import.meta.url).pathname;
const read = (path: string): string => readFileSync(join(TESTDATA, path), 'utf8');
const load = (path: string): Profile => decodeProfile(readFileSync(join(TESTDATA, path)), path);
const decodeText = (text: string): Profile => decodeProfile(new TextEncoder().encode(text), 'test.txt');

/** Index of the sample decoded from `record` (samples are in record order). */
function sampleOfRecord(text: string, record: string, isRecord: RegExp): number {
  const records = text.split('\n').filter((l) => isRecord.test(l));
  const i = records.indexOf(record);
  assert.ok(i >= 0, `record ${JSON.stringify(record)} is in the fixture`);
  assert.equal(records.indexOf(record, i + 1), -1, 'the record is unique');
  return i;
}

function values(p: Profile, sample: number): number[] {
  return p.sampleTypes.map((_, t) => sampleValue(p, sample, t));
}

function totals(p: Profile): number[] {
  return p.sampleTypes.map((_, t) => {
    let sum = 0;
    for (let i = 0; i < p.samples.count; i++) sum += sampleValue(p, i, t);
    return sum;
  });
}

/** Function name, file and line of the location at `address` (the `@` address minus one). */
function symbolAt(p: Profile, address: bigint): string[] {
  for (let l = 0; l < p.locations.count; l++) {
    if (p.locations.address[l] !== address) continue;
    const out: string[] = [];
    const s = p.locations.lineStart[l]!;
    for (let k = s; k < s + p.locations.lineCount[l]!; k++) {
      const f = p.lines.function[k]!;
      out.push(`${lineFunctionName(p, k)} ${f < 0 ? '' : p.strings[p.functions.filename[f]!]}:${p.lines.line[k]}`);
    }
    return out;
  }
  assert.fail(`no location at 0x${address.toString(16)}`);
}

// ---- Heap text ----------------------------------------------------------------

const HEAP_RECORD = /^\d+: \d+ \[\d+: \d+\] @/;

test('heap text: `@ heap/8192` means sampling every 4096 bytes; sample types as pprof names them', () => {
  const text = read('go1.23/heap/heap.txt');
  assert.match(text.split('\n', 1)[0]!, /@ heap\/8192$/);
  const p = load('go1.23/heap/heap.txt');
  assert.equal(p.period, 4096);
  assert.deepEqual(p.periodType, { type: 'space', unit: 'bytes' });
  assert.deepEqual(p.sampleTypes, [
    { type: 'alloc_objects', unit: 'count' },
    { type: 'alloc_space', unit: 'bytes' },
    { type: 'inuse_objects', unit: 'count' },
    { type: 'inuse_space', unit: 'bytes' },
  ]);
  assert.equal(p.samples.count, text.split('\n').filter((l) => HEAP_RECORD.test(l)).length, 'one sample per record');
});

test('heap text: values are unsampled, worked by hand for one record', () => {
  const record = '17: 408 [17: 408] @ 0x4a7ac7 0x4a7bd0 0x4a8665 0x4cf9bf 0x4d02c5 0x43852b 0x470181';
  const text = read('go1.23/heap/heap.txt');
  const p = load('go1.23/heap/heap.txt');
  const i = sampleOfRecord(text, record, HEAP_RECORD);
  // 17 objects of 408/17 = 24 bytes, sampled at rate 4096:
  // scale = 1/(1-exp(-24/4096)) = 171.167…, so 17 → 2909 objects and 408 → 69836 bytes.
  const scale = 1 / (1 - Math.exp(-(408 / 17) / 4096));
  assert.ok(Math.abs(scale - 171.16715) < 1e-4);
  assert.equal(Math.trunc(17 * scale), 2909);
  assert.equal(Math.trunc(408 * scale), 69836);
  assert.deepEqual(values(p, i), [2909, 69836, 2909, 69836]);
  assert.deepEqual(scaleHeapSample(17, 408, 4096), [2909, 69836]);
  // The bytes label is the block size before scaling.
  assert.equal(p.samples.labelCount[i], 1);
  const label = p.samples.labelStart[i]!;
  assert.equal(p.strings[p.labels.key[label]!], 'bytes');
  assert.equal(p.labels.num[label], 24);
  // Symbols come from the `#` frame lines.
  assert.deepEqual(symbolAt(p, 0x4cf9ben), ['main.appendJournal footprint-fixtures/heap/main.go:64']);
  assert.deepEqual(symbolAt(p, 0x4a8664n), ['strings.Repeat strings/strings.go:617']);
});

test('heap text: scaleHeapSample edge cases match pprof', () => {
  assert.deepEqual(scaleHeapSample(0, 0, 4096), [0, 0]);
  assert.deepEqual(scaleHeapSample(3, 300, 1), [3, 300], 'rate 1 means every allocation was recorded');
  assert.deepEqual(scaleHeapSample(1, 16, 4096), [256, 4104]);
});

test('heap text: every sample has a numeric bytes label (pprof adds one even for empty records)', () => {
  const p = load('go1.23/heap/heap.txt');
  for (let i = 0; i < p.samples.count; i++) {
    assert.equal(p.samples.labelCount[i], 1);
    const l = p.samples.labelStart[i]!;
    assert.equal(p.strings[p.labels.key[l]!], 'bytes');
    assert.equal(p.labels.str[l], 0);
  }
});

test('heap text: the runtime.MemStats footer is parsed', () => {
  const m = load('go1.23/heap/heap.txt').memStats;
  assert.ok(m, 'memStats present');
  assert.equal(m['HeapAlloc'], 20134320);
  assert.equal(m['NumGC'], 14);
  assert.equal(m['StackInuse'], 327680, '"Stack = inuse / sys" is split in two');
  assert.equal(m['MSpanSys'], 391680);
  assert.equal(m['DebugGC'], false);
  assert.equal(m['GCCPUFraction'], 0.12627918358998336);
  assert.equal(m['LastGC'], 1795643968546747115n, 'a time in ns beyond 2^53 stays exact as a bigint');
  const pause = m['PauseNs'];
  assert.ok(Array.isArray(pause));
  assert.equal(pause.length, 256);
  assert.deepEqual(pause.slice(0, 3), [21189, 3876589, 130023]);
  const pauseEnd = m['PauseEnd'];
  assert.ok(Array.isArray(pauseEnd));
  assert.equal(pauseEnd[0], 1795643968368631040n, 'an array with values beyond 2^53 is bigint[]');
});

test('heap text: a malformed MemStats entry is dropped, not fatal (pprof ignores the footer)', () => {
  const text = [
    'heap profile: 1: 16 [1: 16] @ heap/8192',
    '1: 16 [1: 16] @ 0x1',
    '',
    '# runtime.MemStats',
    '# Alloc = 12x4',
    '# PauseNs = [1 2 x3]',
    '# PauseEnd = [17956439707811501J4 0]',
    '# HeapAlloc = 42',
    '',
  ].join('\n');
  const m = decodeText(text).memStats;
  assert.deepEqual(m, { HeapAlloc: 42 });
});

for (const [go, snapshot] of [
  ['go1.23', 'heap'],
  ['go1.26', 'heap'],
  ['go1.23', 'heapdefault'],
  ['go1.26', 'heapdefault'],
] as const) {
  test(`${go}/${snapshot}: heap.txt totals equal heap.pb.gz totals (same snapshot, same unsampling)`, () => {
    const text = load(`${go}/${snapshot}/heap.txt`);
    const proto = load(`${go}/${snapshot}/heap.pb.gz`);
    assert.deepEqual(text.sampleTypes, proto.sampleTypes);
    assert.equal(text.period, proto.period);
    assert.deepEqual(totals(text), totals(proto));
  });
}

// ---- Goroutine (count) text --------------------------------------------------------

for (const go of ['go1.23', 'go1.26']) {
  test(`${go} goroutine text: the counts add up to the header's total`, () => {
    const text = read(`${go}/goroutines/goroutine.txt`);
    const header = /^goroutine profile: total (\d+)$/.exec(text.split('\n', 1)[0]!);
    assert.ok(header);
    const p = load(`${go}/goroutines/goroutine.txt`);
    assert.deepEqual(p.sampleTypes, [{ type: 'goroutine', unit: 'count' }]);
    assert.equal(p.period, 1);
    assert.deepEqual(totals(p), [Number(header[1])]);
    assert.deepEqual(totals(p), totals(load(`${go}/goroutines/goroutine.pb.gz`)), 'the proto written right after agrees');
  });
}

test('goroutine text: symbols come from the # frame lines', () => {
  const p = load('go1.23/goroutines/goroutine.txt');
  // #	0x5060f2	main.mutexWaiter+0x32	footprint-fixtures/goroutines/main.go:81
  assert.deepEqual(symbolAt(p, 0x5060f2n), ['main.mutexWaiter footprint-fixtures/goroutines/main.go:81']);
  // sync.(*Mutex).Lock+0x57 has the same entry point (0x506117-0x57 = 0x5060f2-0x32): inlined into
  // main.mutexWaiter, so that is the function, at the innermost position.
  assert.deepEqual(symbolAt(p, 0x506117n), ['main.mutexWaiter sync/mutex.go:92']);
  // Go leaves runtime.goexit, the root of every stack, out of the frame lines.
  assert.deepEqual(symbolAt(p, 0x473ca0n), ['runtime.goexit :0']);
});

// ---- Mutex and block (contention) text ---------------------------------------------

test('mutex text: cycles become nanoseconds through cycles/second, worked by hand for one record', () => {
  const text = read('go1.23/contention/mutex.txt');
  assert.match(text, /^--- mutex:\ncycles\/second=2445425097\nsampling period=1\n/);
  const record = '82196093 51 @ 0x4d08b2 0x4d0894 0x4d1e38 0x4d1cc4 0x471d41';
  const isRecord = /^\d+ \d+ @/;
  const i = sampleOfRecord(text, record, isRecord);
  const p = load('go1.23/contention/mutex.txt');
  assert.deepEqual(p.sampleTypes, [
    { type: 'contentions', unit: 'count' },
    { type: 'delay', unit: 'nanoseconds' },
  ]);
  // 82196093 cycles at 2.445425097 GHz = 33612190.0036 ns.
  assert.deepEqual(values(p, i), [51, 33612190]);

  // With sampling period=5 both values are multiplied by 5 (cycles before the division).
  const sampled = decodeText(text.replace('sampling period=1', 'sampling period=5'));
  assert.equal(sampled.period, 5);
  // trunc(82196093 * 5 / 2.445425097) = 168060950
  assert.deepEqual(values(sampled, i), [255, 168060950]);
  assert.deepEqual(symbolAt(p, 0x4d0893n), ['main.audit footprint-fixtures/contention/main.go:78']);
  assert.deepEqual(totals(p), totals(load('go1.23/contention/mutex.pb.gz')), 'the proto written right after agrees');
});

test('block text: no sampling period line means period 1; totals equal block.pb.gz', () => {
  const text = read('go1.23/contention/block.txt');
  assert.doesNotMatch(text, /sampling period/);
  const p = load('go1.23/contention/block.txt');
  assert.equal(p.period, 1);
  const record = text.split('\n').find((l) => /^\d+ \d+ @/.test(l))!;
  const [cycles, count] = record.split(' ').map(Number) as [number, number];
  assert.deepEqual(values(p, 0), [count, Math.trunc(cycles / 2.445425097)]);
  assert.deepEqual(totals(p), totals(load('go1.23/contention/block.pb.gz')), 'the proto written right after agrees');
});

test('contention text without cycles/second: pprof scales only the count by the period', () => {
  // parseContentionSample multiplies the delay by the period only as part of the cycles → ns conversion.
  const p = decodeText('--- mutex:\nsampling period=3\n1000 2 @ 0x10 0x20\n');
  assert.deepEqual(values(p, 0), [6, 1000]);
});

// ---- Record regexes: same matches as pprof's, in linear time ----------------------------

/** pprof's regexes (google/pprof profile/legacy_profile.go), for a differential check. */
const PPROF_HEAP_SAMPLE_RE = /(-?\d+): *(-?\d+) *\[ *(\d+): *(\d+) *] @([ x0-9a-f]*)/;
const PPROF_CONTENTION_SAMPLE_RE = /(\d+) *(\d+) @([ x0-9a-f]*)/;

/**
 * Lines for a differential check: half random token soup, half valid record lines with a few
 * tokens inserted or characters deleted, so that a good share of them match.
 */
function randomLines(seed: number, tokens: readonly string[], templates: readonly string[], count: number): string[] {
  let s = seed >>> 0;
  const rand = (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s >>> 8) % n;
  };
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let line = '';
    if (i % 2 === 0) {
      for (let n = rand(16); n > 0; n--) line += tokens[rand(tokens.length)];
    } else {
      line = templates[rand(templates.length)]!;
      for (let n = 1 + rand(3); n > 0; n--) {
        const at = rand(line.length + 1);
        line = rand(2) ? line.slice(0, at) + tokens[rand(tokens.length)] + line.slice(at) : line.slice(0, at) + line.slice(at + 1);
      }
    }
    out.push(line);
  }
  return out;
}

test('HEAP_SAMPLE_RE matches exactly what pprof\'s heapSampleRE matches', () => {
  const tokens = ['1', '23', '-', ':', ' ', '[', ']', ' @', '@', ' 0x1', 'x', ': ', '] @'];
  const lines = [
    '1: 2 [3: 4] @ 0x1 0x2',
    '-1: -2 [3: 4] @ 0x1',
    '5-3: 2 [3: 4] @ 0x1',
    'x12: 2 [3: 4] @',
    ...randomLines(1, tokens, ['1: 2 [3: 4] @ 0x1 0x2', '-1: -22 [ 3:4 ] @ 0xa'], 40000),
  ];
  let matched = 0;
  for (const line of lines) {
    const want = PPROF_HEAP_SAMPLE_RE.exec(line);
    const got = HEAP_SAMPLE_RE.exec(line);
    assert.deepEqual(got && [...got], want && [...want], JSON.stringify(line));
    if (want) matched++;
  }
  assert.ok(matched > 2000, `${matched} of the lines match`);
});

test('CONTENTION_SAMPLE_RE matches exactly what pprof\'s contentionSampleRE matches', () => {
  const norm = (m: RegExpExecArray | null, pprof: boolean) =>
    m === null ? null : pprof ? [m[1], m[2], m[3]] : [m[1] ?? m[3], m[2] ?? m[4], m[5]];
  const tokens = ['1', '23', '-', ' ', ' @', '@', ' 0x1', 'x', '  '];
  const lines = [
    '12 34 @ 0x1',
    '1234 @ 0x1',
    '5 12 34 @',
    '1 @',
    '12  3 @ 0x1 0x2',
    ...randomLines(2, tokens, ['12 34 @ 0x1 0x2', '1234 @ 0xa', '5 12 34 @'], 40000),
  ];
  let matched = 0;
  for (const line of lines) {
    const want = PPROF_CONTENTION_SAMPLE_RE.exec(line);
    assert.deepEqual(norm(CONTENTION_SAMPLE_RE.exec(line), false), norm(want, true), JSON.stringify(line));
    if (want) matched++;
  }
  assert.ok(matched > 2000, `${matched} of the lines match`);
});

test('the record regexes stay fast on a long run of digits (V8 backtracking)', () => {
  const digits = '1'.repeat(100_000);
  for (const [name, re] of [
    ['heap', HEAP_SAMPLE_RE],
    ['contention', CONTENTION_SAMPLE_RE],
  ] as const) {
    const t0 = performance.now();
    re.exec(digits);
    re.exec(`${digits} x @ 0x1`);
    const ms = performance.now() - t0;
    // A hang guard, not a benchmark: linear matching takes about a millisecond; pprof's regexes took minutes.
    assert.ok(ms < 1000, `${name}: ${ms.toFixed(0)} ms`);
  }
});

// ---- Malformed text ---------------------------------------------------------------

function decodeError(text: string): FormatError {
  try {
    decodeText(text);
  } catch (err) {
    assert.ok(err instanceof FormatError, `expected a FormatError, got ${String(err)}`);
    return err;
  }
  assert.fail('decoded without an error');
}

test('malformed legacy text gives FormatErrors naming the line', () => {
  const cases: [string, RegExp, number][] = [
    ['heap profile: 1: 2 [3: 4] @ heap/8192\n1: 2 [3: 4 @ 0x1\n', /expected a heap sample/, 2],
    ['heap profile: 1: 2 [3: 4] @ heap/8192\n0: 2 [3: 4] @ 0x1\n', /inuse count was 0 but inuse bytes was 2/, 2],
    ['heap profile: 1: 2 [3: 4] @ heap/8192\n1: 99999999999999999999 [3: 4] @ 0x1\n', /overflows int64/, 2],
    ['heap profile: 1: 2 [3: 4] @ heapz_v3/8192\n', /unknown heap profile kind "heapz_v3"/, 1],
    ['heap profile: 1: 2 [3: 4] @ heap/8192\n1: 2 [3: 4] @ 0x10000000000000000\n', /does not fit in 64 bits/, 2],
    ['goroutine profile: total 1\n1 @ 0x1 garbage\n', /expected "N @ 0x…"/, 2],
    ['--- mutex:\ncycles/second=1\nsomething=2\n1 1 @ 0x1\n', /unknown attribute "something"/, 3],
    ['--- mutex:\ncycles/second=1\n1 @ 0x1\n', /expected "CYCLES COUNT @ 0x…"/, 3],
  ];
  for (const [text, re, line] of cases) {
    const err = decodeError(text);
    assert.match(err.message, re, text);
    assert.equal(err.line, line, text);
  }
});

test('a file cut in the middle of a record line says it looks truncated', () => {
  const text = read('go1.23/heap/heap.txt');
  const at = text.indexOf('17: 408 [17: 408] @');
  const err = decodeError(text.slice(0, at + 10));
  assert.match(err.message, /found "17: 408 \[1"; the file ends in the middle of this line, so it looks truncated/);
  assert.equal(err.line, text.slice(0, at).split('\n').length);
});

// ---- Decoding as the file is read ---------------------------------------------------------

/** Feeds `bytes` to the streaming decoder `chunk` bytes at a time. */
function streamed(bytes: Uint8Array, chunk: number): Profile {
  const s = streamProfile(bytes.subarray(0, 4096), 'test.txt');
  assert.ok(s, 'legacy text decodes as a stream');
  for (let at = 0; at < bytes.length; at += chunk) s.push(bytes.subarray(at, at + chunk));
  return s.finish();
}

for (const path of ['go1.23/heap/heap.txt', 'go1.26/goroutines/goroutine.txt', 'go1.23/contention/mutex.txt', 'go1.26/compiler/compile.memprofile.txt']) {
  test(`${path}: decoded in chunks of 1, 7 and 65536 bytes, the profile is the one decoded whole`, () => {
    const bytes = new Uint8Array(readFileSync(join(TESTDATA, path)));
    const whole = decodeProfile(bytes, path);
    // A 1-byte chunk splits every line; keep that case to a prefix of the big file.
    const small = path.includes('compiler') ? bytes.subarray(0, bytes.indexOf(10, 200_000) + 1) : bytes;
    assert.deepEqual(streamed(small, 1), decodeProfile(small, path));
    assert.deepEqual(streamed(bytes, 7), whole);
    assert.deepEqual(streamed(bytes, 65536), whole);
  });
}

test('legacy text with CRLF line ends decodes as with LF', () => {
  const text = read('go1.23/heap/heap.txt');
  assert.deepEqual(decodeText(text.replaceAll('\n', '\r\n')), decodeText(text));
});

test('a proto or gzipped profile is not decoded as a stream (it is read whole)', () => {
  assert.equal(streamProfile(readFileSync(join(TESTDATA, 'go1.23/heap/heap.pb.gz')).subarray(0, 4096)), undefined);
  assert.equal(streamProfile(new Uint8Array(0)), undefined);
});
