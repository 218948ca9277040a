import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prng } from '../../testkit/prng.js';
import { FormatError } from '../errors.js';
import { goTestTraces, MUTATIONS, TESTDATA, traceFixtures } from './fixtures.testutil.js';
import { bytesSource, decodeTrace, type MergeEngine } from './index.js';
import { withInitialCaps, type Caps } from './wasm-merge.js';

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

function run(bytes: Uint8Array, engine: MergeEngine, chunkSize?: number): Outcome {
  const events: number[] = [];
  try {
    const result = decodeTrace(
      bytesSource(bytes),
      { event: (e) => void events.push(e.type, e.time, e.m, e.g, e.p, ...e.args) },
      { source: 'x.trace', engine, ...(chunkSize !== undefined ? { chunkSize } : {}) },
    );
    return { events, result, error: null };
  } catch (err) {
    if (!(err instanceof FormatError)) throw err;
    return { events, result: null, error: err.describe() };
  }
}

function assertSame(bytes: Uint8Array, what: string, chunkSize?: number): Outcome {
  const js = run(bytes, 'js', chunkSize);
  const wasm = run(bytes, 'wasm', chunkSize);
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
  const tiny: Caps = { ms: 1, cursors: 1, heap: 1, cursorInfo: 1, heads: 1, bytes: 1 };
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

test('wasm/trace-merge.wasm is what its source builds (when cargo and the wasm32 target are here)', (t) => {
  const root = join(TESTDATA, '..');
  let targets = '';
  try {
    targets = execFileSync('rustup', ['target', 'list', '--installed'], { encoding: 'utf8' });
  } catch {
    // No rustup: nothing to build with.
  }
  if (!targets.includes('wasm32-unknown-unknown')) {
    t.skip('needs rustup with the wasm32-unknown-unknown target (wasm/README.md)');
    return;
  }
  const out = mkdtempSync(join(tmpdir(), 'trace-merge-'));
  try {
    execFileSync('bash', [join(root, 'wasm', 'build.sh'), join(out, 'trace-merge.wasm')], { cwd: root, stdio: 'pipe', env: { ...process.env, CARGO_TARGET_DIR: join(out, 'target') } });
    assert.ok(readFileSync(join(out, 'trace-merge.wasm')).equals(readFileSync(join(root, 'wasm', 'trace-merge.wasm'))), 'rebuild with: bash wasm/build.sh');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
