import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { prng } from '../../testkit/prng.js';
import { FormatError } from '../errors.js';
import { goTestTraces, MUTATIONS, TESTDATA, traceFixtures, varint as uv } from '../../testkit/trace-fixtures.js';
import { bytesSource, decodeTrace, Ev, type MergeEngine } from './index.js';
import { timedArgCountTable } from './spec.js';
import { withInitialCaps, type Caps } from './wasm-merge.js';
import { tempDir } from '../../testkit/temp.js';

/**
 * The WebAssembly merge is a transcription of the JavaScript one: on every
 * committed trace, on damaged ones, and when its memory has to move, both
 * must hand out the same events in the same order, count the same records and
 * fail with the same message at the same offset.
 */

interface Outcome {
  /** Every event's fields, in order (type, time, m, g, p, four arguments). */
  events: number[];
  result: unknown;
  error: string | null;
}

function run(bytes: Uint8Array, engine: MergeEngine, chunkSize?: number, wants?: Uint8Array): Outcome {
  const events: number[] = [];
  try {
    const result = decodeTrace(
      bytesSource(bytes),
      { event: (e) => void events.push(e.type, e.time, e.m, e.g, e.p, ...e.args), ...(wants ? { wants } : {}) },
      { source: 'x.trace', engine, ...(chunkSize !== undefined ? { chunkSize } : {}) },
    );
    return { events, result, error: null };
  } catch (err) {
    if (!(err instanceof FormatError)) throw err;
    return { events, result: null, error: err.describe() };
  }
}

function assertSame(bytes: Uint8Array, what: string, chunkSize?: number, wants?: Uint8Array): Outcome {
  const js = run(bytes, 'js', chunkSize, wants);
  const wasm = run(bytes, 'wasm', chunkSize, wants);
  assert.equal(wasm.error, js.error, `${what}: error`);
  assert.deepEqual(wasm.result, js.result, `${what}: result`);
  assert.equal(wasm.events.length, js.events.length, `${what}: event count`);
  for (let i = 0; i < js.events.length; i++) {
    if (!Object.is(wasm.events[i], js.events[i])) assert.fail(`${what}: event field ${i} is ${wasm.events[i]}, the JavaScript merge gives ${js.events[i]}`);
  }
  return js;
}

const traces = [...traceFixtures(), ...goTestTraces()];

for (const t of traces) {
  test(`${t.name}: the WebAssembly merge hands out exactly the JavaScript merge's events`, () => {
    const js = assertSame(t.bytes, t.name);
    assert.ok(js.events.length > 0);
  });
}

test('the WebAssembly merge gives the same events when every region has to move to a larger memory, mid-generation too', () => {
  const tiny: Omit<Caps, 'msIndex'> = { ms: 1, cursors: 1, heap: 1, cursorInfo: 1, heads: 1, bytes: 1 };
  for (const t of traces) withInitialCaps(tiny, () => assertSame(t.bytes, `${t.name} (from tiny regions)`));
});

test('damaged traces: both merges give the same events, then the same FormatError at the same offset', () => {
  const names = Object.keys(MUTATIONS);
  let failures = 0;
  for (const t of traces.slice(0, 8)) {
    const base = t.bytes.subarray(0, 1 << 20);
    for (let i = 0; i < 25; i++) {
      const rnd = prng(0xd1ff + i);
      const int = (n: number) => Math.floor(rnd() * n);
      const name = names[int(names.length)]!;
      const outcome = assertSame(MUTATIONS[name]!(base, int), `${t.name} case ${i} (${name})`, 1 + int(70000));
      if (outcome.error !== null) failures++;
    }
  }
  assert.ok(failures > 0, 'some damage is caught by the event decoding both merges do');
});

/**
 * Traces built byte by byte, for what real ones seldom have: clocks whose ns
 * per tick is not whole (the truncation of each delta), values from 2^63 (none)
 * and above 2^53, padded, ten- and eleven-byte varints, Ms numbered past 2^53
 * or none, more Ms than the table starts with, ProcSteal and GoStatus naming
 * Ms that wrote nothing, runs longer than one hand-over of 4,096 events,
 * damaged events and partial `wants` tables.
 */
test('synthetic traces: both merges agree on clocks, varints and Ms that real traces seldom have', () => {
  const rnd = prng(0x5e7);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(a: readonly T[]): T => a[int(a.length)]!;
  const NONE64 = (1n << 64n) - 1n;
  const timed = Object.entries(ARG_COUNTS).map(([t]) => Number(t));
  let errors = 0;
  for (let iteration = 0; iteration < 120; iteration++) {
    const damaged = int(3) === 0;
    const ms = Array.from({ length: 1 + (int(4) === 0 ? int(150) : int(6)) }, (_, i) => (int(10) === 0 ? NONE64 : BigInt(int(4) === 0 ? int(1e6) : i)));
    const named = [...ms, ...Array.from({ length: 10 }, () => BigInt(1000 + int(500)))];
    const value = (): number[] => {
      switch (int(10)) {
        case 0: return uv(NONE64);
        case 1: return uv((1n << 63n) + BigInt(int(1000)));
        case 2: return uv(BigInt(int(2 ** 30)) * BigInt(int(2 ** 30)) * 64n);
        case 3: return padded(int(100), 1 + int(4));
        case 4: return uv(pick(named));
        default: return uv(int(300));
      }
    };
    const event = (): number[] => {
      const type = damaged && int(400) === 0 ? pick([0, 1, 7, 127, 200]) : pick(timed);
      const out = [type, ...uv(int(3) === 0 ? 0 : int(50))];
      for (let i = 1; i < (ARG_COUNTS[type] ?? 1); i++) out.push(...(int(4) === 0 ? uv(pick(named)) : value()));
      if (damaged && int(600) === 0) out.push(...new Array<number>(11).fill(0x80));
      return out;
    };
    const bytes = [...Buffer.from('go 1.23 trace\0\0\0')];
    const ticksPerSecond = pick([1e9, 5e8, 3e8, 7, 1, 2.5e9, 3, 15625000, 1e9 + 7]);
    for (let gen = 1; gen <= 1 + int(3); gen++) {
      bytes.push(...batch(gen, 0n, 0n, [Ev.Frequency, ...uv(ticksPerSecond)]));
      for (let b = 0; b < 1 + int(ms.length * 3); b++) {
        const events: number[] = [];
        const count = int(5) === 0 ? 0 : int(4) === 0 ? 300 + int(3000) : int(20);
        for (let e = 0; e < count; e++) events.push(...event());
        let data = events.slice(0, 65536);
        if (damaged && int(8) === 0) data = data.slice(0, int(data.length + 1));
        bytes.push(...batch(gen, pick(ms), int(5) === 0 ? NONE64 : BigInt(int(1e12)), data));
      }
    }
    const wants = int(2) === 0 ? undefined : Uint8Array.from({ length: int(2) === 0 ? 256 : int(256) }, () => int(2));
    const outcome = assertSame(Uint8Array.from(bytes), `synthetic ${iteration}`, undefined, wants);
    if (outcome.error !== null) errors++;
  }
  assert.ok(errors > 0 && errors < 120, `${errors} of 120 end in an error: both kinds are covered`);
});

/** Arguments per timed event type, delta included (spec.ts, as the decoder reads Go 1.23). */
const ARG_COUNTS: Record<number, number> = (() => {
  const table = timedArgCountTable(23);
  const out: Record<number, number> = {};
  table.forEach((n, type) => {
    if (n > 0) out[type] = n;
  });
  return out;
})();

/** A small value written in more bytes than it needs (Go pads the batch length so). */
function padded(value: number, extra: number): number[] {
  const out = uv(value);
  for (let i = 0; i < extra && out.length < 10; i++) {
    out[out.length - 1]! |= 0x80;
    out.push(0);
  }
  return out;
}

function batch(gen: number, m: bigint, ts: bigint, data: number[]): number[] {
  return [Ev.EventBatch, ...uv(gen), ...uv(m), ...uv(ts), ...uv(data.length), ...data];
}

test('wasm/trace-merge.wasm is what its source builds (when cargo and the wasm32 target are here)', (t) => {
  const root = join(TESTDATA, '..');
  let targets = '';
  try {
    targets = execFileSync('rustup', ['target', 'list', '--installed'], { encoding: 'utf8' });
  } catch {
    // No rustup: nothing to build with.
  }
  if (!targets.includes('wasm32-unknown-unknown')) {
    t.skip('needs rustup with the wasm32-unknown-unknown target (see wasm/build.sh)');
    return;
  }
  const out = tempDir(t, 'trace-merge');
  execFileSync('bash', [join(root, 'wasm', 'build.sh'), join(out, 'trace-merge.wasm')], { cwd: root, stdio: 'pipe', env: { ...process.env, CARGO_TARGET_DIR: join(out, 'target') } });
  assert.ok(readFileSync(join(out, 'trace-merge.wasm')).equals(readFileSync(join(root, 'wasm', 'trace-merge.wasm'))), 'rebuild with: bash wasm/build.sh');
});
