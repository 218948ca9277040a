import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FormatError } from '../errors.js';
import { goTestTraces, traceFixtures } from '../../testkit/trace-fixtures.js';
import { bytesSource, decodeTrace, Ev, typeTable, type TraceDecodeResult } from './index.js';

const fixtures = traceFixtures();

function decode(bytes: Uint8Array, chunkSize?: number): { result: TraceDecodeResult; events: number; times: number[] } {
  let events = 0;
  const times: number[] = [];
  const result = decodeTrace(
    bytesSource(bytes),
    {
      event(e) {
        events++;
        if (times.length < 64) times.push(e.time);
      },
    },
    { source: 'test.trace', ...(chunkSize !== undefined ? { chunkSize } : {}) },
  );
  return { result, events, times };
}

test('there are traces of both Go versions, each with GC cycles', () => {
  assert.deepEqual(new Set(fixtures.map((f) => f.name.split('/')[0])), new Set(['go1.23', 'go1.26']));
  for (const f of fixtures) assert.ok((f.counts['GCBegin'] ?? 0) > 0, f.name);
});

for (const f of fixtures) {
  test(`${f.name}: record counts are identical to go tool trace -d=2`, () => {
    assert.deepEqual(decode(f.bytes).result.eventCounts, f.counts);
  });

  test(`${f.name}: tiny read chunks decode the same as one big one`, () => {
    const big = decode(f.bytes);
    const tiny = decode(f.bytes, 5);
    assert.deepEqual(tiny.result, big.result);
    assert.equal(tiny.events, big.events);
  });

  test(`${f.name}: event times strictly increase and stay within the trace`, () => {
    const { result, times } = decode(f.bytes);
    for (let i = 1; i < times.length; i++) assert.ok(times[i]! > times[i - 1]!);
    assert.ok(result.firstNs !== null && result.lastNs !== null && result.lastNs > result.firstNs);
    assert.equal(result.warnings.length, 0);
  });

  test(`${f.name}: a file cut inside a batch decodes what is complete and warns`, () => {
    const full = decode(f.bytes).result;
    const cut = decode(f.bytes.subarray(0, Math.floor(f.bytes.length * 0.6)));
    assert.ok(cut.result.warnings.some((w) => /cut off inside a batch/.test(w)), cut.result.warnings.join('\n'));
    const batches = (n: TraceDecodeResult) => (n.eventCounts['EventBatch'] ?? 0);
    assert.ok(batches(cut.result) < batches(full));
    assert.ok(batches(cut.result) > 0);
  });
}

test('a visitor that names the types it wants gets exactly those events, with the same times, and the same counts', () => {
  const f = fixtures[0]!;
  const all: [number, number, number, number][] = [];
  const full = decodeTrace(bytesSource(f.bytes), { event: (e) => void all.push([e.type, e.time, e.g, e.p]) });
  const wants = typeTable([Ev.HeapAlloc, Ev.GoStart]);
  const some: [number, number, number, number][] = [];
  const part = decodeTrace(bytesSource(f.bytes), { wants, event: (e) => void some.push([e.type, e.time, e.g, e.p]) });
  assert.deepEqual(some, all.filter(([type]) => wants[type] === 1));
  assert.ok(some.length > 0 && some.length < all.length);
  assert.deepEqual(part, full);
});

test('a pre-1.22 trace names the Go version that wrote it', () => {
  const old = new TextEncoder().encode('go 1.21 trace\0\0\0\x01\x02\x03');
  assert.throws(() => decode(old), (err: unknown) => err instanceof FormatError && /Go 1\.21/.test(err.message) && /not supported/.test(err.message));
});

test('bytes that are not a trace are refused as such', () => {
  const text = new TextEncoder().encode('hello, this is not a trace at all');
  assert.throws(() => decode(text), (err: unknown) => err instanceof FormatError && /not a Go execution trace/.test(err.message));
  assert.throws(() => decode(new Uint8Array(0)), FormatError);
});

test('a header alone is an empty trace, not an error', () => {
  const r = decode(new TextEncoder().encode('go 1.23 trace\0\0\0')).result;
  assert.equal(r.generations, 0);
  assert.equal(r.firstNs, null);
  assert.deepEqual(r.eventCounts, {});
});

const goTests = goTestTraces();

test("Go's own trace tests cover the 1.22, 1.23 and 1.25 formats", () => {
  const headers = new Set(goTests.map((t) => new TextDecoder().decode(t.bytes.subarray(0, 13))));
  assert.deepEqual([...headers].sort(), ['go 1.22 trace', 'go 1.23 trace', 'go 1.25 trace']);
});

for (const t of goTests) {
  test(`Go's test trace ${t.name}: record counts identical to go tool trace -d=wire`, () => {
    const { result } = decode(t.bytes);
    assert.deepEqual(result.eventCounts, t.counts);
    assert.deepEqual(result.warnings, []);
  });
}
