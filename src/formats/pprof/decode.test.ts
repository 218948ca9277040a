import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { FormatError } from '../errors.js';
import { decodeProfile } from '../index.js';
import { lineFunctionName, sampleValue, type Profile } from '../../model/profile.js';
import { decodeProfileProto } from './decode.js';
import { WireReader } from './wire.js';

const TESTDATA = new URL('../../../testdata/', import.meta.url).pathname;
const load = (path: string): Profile => decodeProfile(readFileSync(join(TESTDATA, path)), path);

function functionNames(p: Profile): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < p.functions.count; i++) out.add(p.strings[p.functions.name[i]!]!);
  return out;
}

/** The function names and line numbers of each location, callee first. */
function locationFrames(p: Profile): string[][] {
  const out: string[][] = [];
  for (let l = 0; l < p.locations.count; l++) {
    const s = p.locations.lineStart[l]!;
    const frames: string[] = [];
    for (let k = s; k < s + p.locations.lineCount[l]!; k++) frames.push(`${lineFunctionName(p, k)}:${p.lines.line[k]}`);
    out.push(frames);
  }
  return out;
}

// ---- Real fixtures ----------------------------------------------------------

for (const go of ['go1.23', 'go1.26']) {
  test(`${go} heap.pb.gz: sample types, period, time and functions`, () => {
    const p = load(`${go}/heap/heap.pb.gz`);
    assert.deepEqual(p.sampleTypes, [
      { type: 'alloc_objects', unit: 'count' },
      { type: 'alloc_space', unit: 'bytes' },
      { type: 'inuse_objects', unit: 'count' },
      { type: 'inuse_space', unit: 'bytes' },
    ]);
    assert.deepEqual(p.periodType, { type: 'space', unit: 'bytes' });
    assert.equal(p.period, 4096, 'the heap fixture sets MemProfileRate=4096');
    assert.equal(typeof p.timeNanos, 'bigint');
    assert.ok(p.timeNanos > 2n ** 53n, `time_nanos ${p.timeNanos} is a wall-clock time in ns, beyond 2^53`);
    const names = functionNames(p);
    for (const fn of ['main.growRegistry', 'main.appendJournal', 'main.buildTree', 'main.makeKey']) assert.ok(names.has(fn), fn);
    assert.equal(p.inexactValues, 0);
    assert.equal(p.mappings[0]?.file, `/opt/footprint-fixtures/bin/${go === 'go1.23' ? '' : 'go1.26/'}heap`);
  });

  test(`${go} heap.pb.gz: the inlined allocation has one Location with three Lines`, () => {
    const p = load(`${go}/heap/heap.pb.gz`);
    const inlined = locationFrames(p).filter((f) => f.length > 1);
    assert.ok(inlined.length > 0, 'some location has more than one line');
    const chain = inlined.find((f) => f[0]!.startsWith('main.newSmall:'));
    assert.ok(chain, `newSmall is inlined: ${JSON.stringify(inlined)}`);
    assert.deepEqual(
      chain.map((f) => f.split(':')[0]),
      ['main.newSmall', 'main.makeKey', 'main.buildIndex'],
      'callee first, caller last',
    );
  });

  test(`${go} heap.pb.gz: samples with allocations carry a numeric bytes label`, () => {
    // runtime/pprof writes the label only when the block size is non-zero (AllocObjects > 0).
    const p = load(`${go}/heap/heap.pb.gz`);
    let labelled = 0;
    for (let i = 0; i < p.samples.count; i++) {
      const start = p.samples.labelStart[i]!;
      const n = p.samples.labelCount[i]!;
      if (sampleValue(p, i, 0) === 0) {
        assert.equal(n, 0, `sample ${i} allocated nothing and has no label`);
        continue;
      }
      assert.equal(n, 1, `sample ${i}`);
      assert.equal(p.strings[p.labels.key[start]!], 'bytes');
      assert.equal(p.labels.str[start], 0, 'a numeric label has no string value');
      assert.ok(Number.isInteger(p.labels.num[start]) && p.labels.num[start]! > 0);
      labelled++;
    }
    assert.ok(labelled > 10, `${labelled} labelled samples`);
  });
}

test('goroutine.pb.gz: string labels from pprof.Do and the goroutine count', () => {
  const p = load('go1.23/goroutines/goroutine.pb.gz');
  assert.deepEqual(p.sampleTypes, [{ type: 'goroutine', unit: 'count' }]);
  let total = 0;
  for (let i = 0; i < p.samples.count; i++) total += sampleValue(p, i, 0);
  assert.equal(total, 36, 'the fixture parks 36 goroutines');
  const labels = new Set<string>();
  for (let k = 0; k < p.labels.count; k++) labels.add(`${p.strings[p.labels.key[k]!]}=${p.strings[p.labels.str[k]!]}`);
  for (const l of ['pool=io', 'shard=1', 'pool=cpu', 'pool=net']) assert.ok(labels.has(l), `${l} in ${[...labels].join(', ')}`);
});

test('mutex.pb.gz: contention sample types', () => {
  const p = load('go1.23/contention/mutex.pb.gz');
  assert.deepEqual(p.sampleTypes, [
    { type: 'contentions', unit: 'count' },
    { type: 'delay', unit: 'nanoseconds' },
  ]);
  assert.ok(functionNames(p).has('runtime._LostContendedRuntimeLock'));
});

test('gzipped and inflated proto decode to the same profile', () => {
  const gz = readFileSync(join(TESTDATA, 'go1.23/heap/heap.pb.gz'));
  assert.deepEqual(decodeProfile(gunzipSync(gz)), decodeProfile(gz));
});

// ---- Hand-encoded protobuf ---------------------------------------------------

const enum W {
  Varint = 0,
  Fixed64 = 1,
  Len = 2,
  Fixed32 = 5,
}

/** Base-128 varint of a 64-bit value; negative numbers as two's complement (10 bytes), as int64 is encoded. */
function varint(v: number | bigint): number[] {
  let x = BigInt.asUintN(64, BigInt(v));
  const out: number[] = [];
  do {
    let b = Number(x & 0x7fn);
    x >>= 7n;
    if (x !== 0n) b |= 0x80;
    out.push(b);
  } while (x !== 0n);
  return out;
}
const key = (field: number, wire: W): number[] => varint((field << 3) | wire);
const vf = (field: number, v: number | bigint): number[] => [...key(field, W.Varint), ...varint(v)];
const lf = (field: number, payload: number[]): number[] => [...key(field, W.Len), ...varint(payload.length), ...payload];
const packed = (field: number, vs: (number | bigint)[]): number[] => lf(field, vs.flatMap((v) => varint(v)));
const unpacked = (field: number, vs: (number | bigint)[]): number[] => vs.flatMap((v) => vf(field, v));
const text = (s: string): number[] => [...new TextEncoder().encode(s)];

const STRINGS = ['', 'alloc_space', 'bytes', 'inuse_space', 'main.f', 'main.go', 'https://example.com/doc', 'main.g', 'comment'];
const S = Object.fromEntries(STRINGS.map((s, i) => [s, i])) as Record<string, number>;
const TIME = 1_795_643_968_548_866_307n;

interface Parts {
  samples?: number[][];
  extraTop?: number[];
  extraLocation?: number[];
  extraFunction?: number[];
}

/** A small but complete Profile message. Sample 1 has a negative value; location 1 has an inlined pair of lines. */
function profileBytes(parts: Parts = {}): Uint8Array {
  const samples = parts.samples ?? [
    [...packed(1, [1, 2]), ...packed(2, [-5, 7])],
    [...packed(1, [2]), ...packed(2, [3, 4])],
  ];
  const bytes: number[] = [
    ...lf(1, [...vf(1, S['alloc_space']!), ...vf(2, S['bytes']!)]),
    ...lf(1, [...vf(1, S['inuse_space']!), ...vf(2, S['bytes']!)]),
    ...samples.flatMap((s) => lf(2, s)),
    ...lf(3, [...vf(1, 1), ...vf(2, 0x400000), ...vf(3, 0x500000), ...vf(7, 1)]),
    ...lf(4, [
      ...vf(1, 1),
      ...vf(2, 1),
      ...vf(3, 0x401234),
      ...lf(4, [...vf(1, 1), ...vf(2, 10), ...vf(3, 7)]),
      ...lf(4, [...vf(1, 2), ...vf(2, 20), ...vf(3, 3)]),
      ...(parts.extraLocation ?? []),
    ]),
    ...lf(4, [...vf(1, 2), ...vf(3, 0x405678), ...lf(4, [...vf(1, 2), ...vf(2, 30)])]),
    ...lf(5, [...vf(1, 1), ...vf(2, S['main.f']!), ...vf(3, S['main.f']!), ...vf(4, S['main.go']!), ...vf(5, 8), ...(parts.extraFunction ?? [])]),
    ...lf(5, [...vf(1, 2), ...vf(2, S['main.g']!), ...vf(4, S['main.go']!)]),
    ...STRINGS.flatMap((s) => lf(6, text(s))),
    ...vf(9, TIME),
    ...vf(10, 5_000_000_000),
    ...lf(11, [...vf(1, S['alloc_space']!), ...vf(2, S['bytes']!)]),
    ...vf(12, 512),
    ...vf(13, S['comment']!),
    ...vf(14, S['inuse_space']!),
    ...vf(15, S['https://example.com/doc']!),
    ...(parts.extraTop ?? []),
  ];
  return Uint8Array.from(bytes);
}

test('the varint helper encodes -5 as ten bytes of two\'s complement', () => {
  assert.deepEqual(varint(-5), [0xfb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
});

test('hand-encoded profile: header fields, Line.column, doc_url, default_sample_type', () => {
  const p = decodeProfileProto(profileBytes());
  assert.deepEqual(p.sampleTypes, [
    { type: 'alloc_space', unit: 'bytes' },
    { type: 'inuse_space', unit: 'bytes' },
  ]);
  assert.equal(p.defaultSampleType, 'inuse_space');
  assert.equal(p.docUrl, 'https://example.com/doc');
  assert.deepEqual(p.periodType, { type: 'alloc_space', unit: 'bytes' });
  assert.equal(p.period, 512);
  assert.equal(p.timeNanos, TIME);
  assert.equal(p.durationNanos, 5_000_000_000n);
  assert.deepEqual(p.comments, ['comment']);
  assert.equal(p.mappings.length, 1);
  assert.equal(p.mappings[0]!.start, 0x400000n);
  assert.equal(p.mappings[0]!.hasFunctions, true);
  assert.equal(p.locations.count, 2);
  assert.equal(p.locations.address[0], 0x401234n);
  assert.equal(p.locations.mapping[0], 0);
  assert.equal(p.locations.mapping[1], -1, 'mapping_id 0 means none');
  assert.deepEqual(locationFrames(p), [['main.f:10', 'main.g:20'], ['main.g:30']]);
  assert.deepEqual([...p.lines.column], [7, 3, 0]);
  assert.equal(p.functions.startLine[0], 8);
  assert.equal(p.strings[p.functions.filename[0]!], 'main.go');
});

test('hand-encoded profile: a negative int64 sample value (10-byte varint) decodes as negative', () => {
  const p = decodeProfileProto(profileBytes());
  assert.equal(p.samples.count, 2);
  assert.equal(sampleValue(p, 0, 0), -5);
  assert.equal(sampleValue(p, 0, 1), 7);
  assert.deepEqual([...p.stacks], [0, 1, 1]);
  assert.equal(p.inexactValues, 0);
});

test('hand-encoded profile: unpacked repeated fields decode the same as packed', () => {
  const packedP = decodeProfileProto(profileBytes());
  const unpackedP = decodeProfileProto(
    profileBytes({
      samples: [
        [...unpacked(1, [1, 2]), ...unpacked(2, [-5, 7])],
        [...unpacked(1, [2]), ...unpacked(2, [3, 4])],
      ],
    }),
  );
  assert.deepEqual(unpackedP, packedP);
  // Mixed: some elements packed, the rest in separate tags, in one sample.
  const mixed = decodeProfileProto(
    profileBytes({
      samples: [
        [...packed(1, [1]), ...vf(1, 2), ...vf(2, -5), ...packed(2, [7])],
        [...vf(1, 2), ...packed(2, [3, 4])],
      ],
    }),
  );
  assert.deepEqual(mixed, packedP);
});

test('hand-encoded profile: unknown fields of every wire type are skipped, at the top and inside messages', () => {
  const unknown = [
    ...vf(99, 12345),
    ...vf(100, -1),
    ...lf(101, text('ignored')),
    ...key(102, W.Fixed32), 1, 2, 3, 4,
    ...key(103, W.Fixed64), 1, 2, 3, 4, 5, 6, 7, 8,
  ];
  const base = decodeProfileProto(profileBytes());
  const withUnknown = decodeProfileProto(
    profileBytes({
      extraTop: unknown,
      extraLocation: unknown,
      extraFunction: unknown,
      samples: [
        [...packed(1, [1, 2]), ...unknown, ...packed(2, [-5, 7])],
        [...packed(1, [2]), ...packed(2, [3, 4]), ...lf(3, [...vf(1, S['bytes']!), ...vf(3, 64), ...unknown])],
      ],
    }),
  );
  assert.deepEqual(withUnknown.sampleTypes, base.sampleTypes);
  assert.deepEqual([...withUnknown.samples.values], [...base.samples.values]);
  assert.deepEqual(locationFrames(withUnknown), locationFrames(base));
  assert.equal(withUnknown.labels.count, 1);
  assert.equal(withUnknown.labels.num[0], 64);
});

test('hand-encoded profile: values beyond 2^53 are kept exactly; int64 min and max decode', () => {
  const p = decodeProfileProto(
    profileBytes({
      samples: [
        [...packed(1, [1]), ...packed(2, [-(2n ** 63n), 2n ** 63n - 1n])],
        // Unpacked too, and a negative one whose magnitude is rounded once, as Go's float64(v) rounds it.
        [...packed(1, [2]), ...unpacked(2, [2n ** 53n - 1n, -(2n ** 53n + 3n)])],
      ],
    }),
  );
  assert.equal(sampleValue(p, 0, 0), -(2 ** 63));
  assert.equal(sampleValue(p, 0, 1), 2 ** 63, 'the nearest double');
  assert.equal(sampleValue(p, 1, 0), Number.MAX_SAFE_INTEGER);
  assert.equal(sampleValue(p, 1, 1), -(2 ** 53 + 4), '-(2^53+3) is a tie between ±2^53+2 and ±2^53+4: to even');
  assert.deepEqual([...p.samples.exact!], [-(2n ** 63n), 2n ** 63n - 1n, 2n ** 53n - 1n, -(2n ** 53n + 3n)]);
  assert.equal(p.inexactValues, 3, 'int64 min, int64 max and -(2^53+3); 2^53-1 is exact');
  assert.equal(p.roundedIntegers, 0);
});

test('hand-encoded profile: exact values are kept only when some value needs them', () => {
  assert.equal(decodeProfileProto(profileBytes()).samples.exact, undefined);
});

test('hand-encoded profile: other integers past 2^53 (period, a numeric label) are counted as read rounded', () => {
  const p = decodeProfileProto(
    Uint8Array.from([
      ...profileBytes({ samples: [[...packed(1, [1]), ...packed(2, [1, 2]), ...lf(3, [...vf(1, S['bytes']!), ...vf(3, 2n ** 60n + 1n)])]] }),
      ...vf(12, 2n ** 62n + 1n),
    ]),
  );
  assert.equal(p.inexactValues, 0);
  assert.equal(p.roundedIntegers, 2);
  assert.equal(p.period, 2 ** 62);
});

test('WireReader.int64 reads two\'s complement, not zigzag', () => {
  for (const v of [0n, 1n, 127n, 128n, -1n, -2n, -128n, 2n ** 31n, -(2n ** 31n), 2n ** 32n + 5n, -(2n ** 40n)]) {
    const r = new WireReader(Uint8Array.from(varint(v)));
    assert.equal(r.int64(), Number(v), String(v));
    assert.ok(r.done());
    const rb = new WireReader(Uint8Array.from(varint(v)));
    assert.equal(rb.int64Big(), v);
  }
});

function decodeError(bytes: Uint8Array): FormatError {
  try {
    decodeProfileProto(bytes);
  } catch (err) {
    assert.ok(err instanceof FormatError, `expected a FormatError, got ${String(err)}`);
    return err;
  }
  assert.fail('decoded without an error');
}

test('a sample pointing at a missing location id is a FormatError', () => {
  const err = decodeError(profileBytes({ samples: [[...packed(1, [1, 9]), ...packed(2, [1, 1])]] }));
  assert.match(err.message, /sample refers to location 9, which does not exist/);
});

test('malformed messages are FormatErrors that say what is wrong', () => {
  const cases: [string, Uint8Array, RegExp][] = [
    ['a sample with the wrong number of values', profileBytes({ samples: [[...packed(1, [1]), ...packed(2, [1])]] }), /sample 0 has 1 values but the profile has 2 sample types/],
    ['a string index past the table', Uint8Array.from([...profileBytes(), ...vf(14, 99)]), /default_sample_type refers to string 99/],
    ['a negative string index', Uint8Array.from([...profileBytes(), ...vf(8, -1)]), /keep_frames refers to string -1/],
    ['a location line naming a missing function', profileBytes({ extraLocation: lf(4, [...vf(1, 7), ...vf(2, 1)]) }), /refers to function 7/],
    ['a duplicate location id', Uint8Array.from([...profileBytes(), ...lf(4, vf(1, 1))]), /location ID 1 appears twice/],
    ['a length running past the end', Uint8Array.from([...key(6, W.Len), 50, 0x61]), /runs past the end/],
    ['a varint cut short', Uint8Array.from([...key(12, W.Varint), 0x80, 0x80]), /unexpected end of data in varint/],
    ['a varint longer than 10 bytes', Uint8Array.from([...key(12, W.Varint), ...new Array<number>(11).fill(0x80), 0]), /varint longer than 10 bytes/],
    ['a group wire type', Uint8Array.from([...key(1, 3 as W)]), /unsupported wire type 3/],
    ['field number 0', Uint8Array.from([0x00, 0x00]), /invalid field number 0/],
    ['time_nanos with the wrong wire type', Uint8Array.from([...lf(9, [1])]), /field 9 has wire type 2/],
    ['string_table[0] not empty', Uint8Array.from(lf(6, text('x'))), /string_table\[0\] must be the empty string/],
  ];
  for (const [what, bytes, re] of cases) {
    const err = decodeError(bytes);
    assert.match(err.message, re, what);
  }
});

test('FormatError from the wire layer carries the byte offset', () => {
  const bytes = Uint8Array.from([...profileBytes(), ...key(6, W.Len), 50, 0x61]);
  const err = decodeError(bytes);
  assert.equal(err.offset, bytes.length - 2, 'offset of the bad length prefix');
  assert.match(err.withSource('x.pb').describe(), /^x\.pb: .* \(byte offset \d+\)$/);
});
