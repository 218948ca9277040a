import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeProfile } from '../index.js';
import { ProfileBuilder } from '../../model/builder.js';
import { decodeProfileProto } from './decode.js';
import { encodeProfileProto, ProtoWriter } from './encode.js';

const GO123 = new URL('../../../testdata/go1.23/', import.meta.url).pathname;
const TESTDATA = new URL('../../../testdata/', import.meta.url).pathname;

const protoFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.pb.gz')).map((f) => join(dir, f));
// With the profiles whose values pass 2^53, which must come back exactly.
const fixtures = [...readdirSync(GO123).flatMap((dir) => protoFiles(join(GO123, dir))), ...protoFiles(join(TESTDATA, 'bigvalues'))];

test('there are proto fixtures to round-trip', () => {
  assert.ok(fixtures.length >= 10, `found ${fixtures.length}`);
});

for (const path of fixtures) {
  test(`decode(encode(p)) equals p for ${path.slice(TESTDATA.length)}`, () => {
    const p = decodeProfile(readFileSync(path), path);
    const again = decodeProfileProto(encodeProfileProto(p));
    assert.deepStrictEqual(again, p);
  });
}

test('negative values, big timestamps, labels and columns round-trip', () => {
  const b = new ProfileBuilder({
    sampleTypes: [
      { type: 'alloc_space', unit: 'bytes' },
      { type: 'delay', unit: 'nanoseconds' },
    ],
    defaultSampleType: 'delay',
    periodType: { type: 'space', unit: 'bytes' },
    period: 524288,
    timeNanos: 1732572000123456789n,
    durationNanos: 9007199254740993n,
    comments: ['first', 'second'],
    dropFrames: 'runtime\\..*',
    keepFrames: 'runtime\\.keep',
    docUrl: 'https://example.com/doc',
  });
  // The encoder appends header strings the table lacks; intern them so the tables compare equal.
  for (const s of ['alloc_space', 'bytes', 'delay', 'nanoseconds', 'space', 'first', 'second', 'runtime\\..*', 'runtime\\.keep', 'https://example.com/doc', '/bin/app', 'abc123']) {
    b.intern(s);
  }
  const m = b.addMapping({
    start: 0x400000n,
    limit: 0xffffffffffff0000n,
    offset: 0x1000n,
    file: '/bin/app',
    buildId: 'abc123',
    hasFunctions: true,
    hasFilenames: true,
    hasLineNumbers: true,
    hasInlineFrames: false,
  });
  const f1 = b.addFunction('main.leaf', 'main.leaf', 'main.go', 10);
  const f2 = b.addFunction('main.caller', 'main.caller', 'main.go', 20);
  const l1 = b.addLocation(m, 0xfffffffffffffff0n, [
    { fn: f1, line: 12, column: 7 },
    { fn: f2, line: 25, column: 3 },
  ]);
  const l2 = b.addLocation(-1, 0n, [{ fn: -1, line: 0 }], true);
  b.addSample([l1, l2], [-1, -(2 ** 53 - 1)], [
    { key: 'bytes', num: -4096, numUnit: 'bytes' },
    { key: 'pprof::base', str: 'true' },
  ]);
  b.addSample([l2], [2 ** 40, 0]);
  b.addSample([], [-(2 ** 32), -128]);
  const p = b.build();
  const again = decodeProfileProto(encodeProfileProto(p));
  assert.deepStrictEqual(again, p);
  assert.equal(again.samples.values[1], -(2 ** 53 - 1));
  assert.equal(again.timeNanos, 1732572000123456789n);
});

test('negative int64 values are 10-byte two\'s complement varints', () => {
  const w = new ProtoWriter();
  w.int64(-1);
  assert.deepEqual([...w.finish()], [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
  const w2 = new ProtoWriter();
  w2.int64(-(2 ** 32));
  assert.deepEqual([...w2.finish()], [0x80, 0x80, 0x80, 0x80, 0xf0, 0xff, 0xff, 0xff, 0xff, 0x01]);
});

test('messages longer than 127 bytes get a multi-byte length', () => {
  const w = new ProtoWriter();
  const long = 'x'.repeat(300);
  w.message(1, () => w.stringField(2, long));
  const out = w.finish();
  // tag 0x0a, length 303 (0xaf 0x02), inner tag 0x12, length 300 (0xac 0x02), payload
  assert.deepEqual([...out.subarray(0, 5)], [0x0a, 0xaf, 0x02, 0x12, 0xac]);
  assert.equal(out.length, 3 + 303);
});

test('a header-only profile with strings missing from the table still decodes', () => {
  const p = new ProfileBuilder({ sampleTypes: [{ type: 'samples', unit: 'count' }] }).build();
  const again = decodeProfileProto(encodeProfileProto(p));
  assert.deepEqual(again.sampleTypes, [{ type: 'samples', unit: 'count' }]);
  assert.equal(again.samples.count, 0);
});
