import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FormatError } from '../errors.js';
import { byteMutators, hashString, Rng, type Mutator } from '../../testkit/fuzz-mutators.js';
import { syntheticGoBinary, SYNTH } from '../../testkit/go-binary.js';
import { goEnv, goVersion } from '../../testkit/go-build.js';
import { tempDir } from '../../testkit/temp.js';
import { bytesAccess } from '../random-access.js';
import { GoBinary } from './index.js';
import { readBinaryImage } from './image.js';

/**
 * A deterministic mutation fuzzer for the binary reader, like the profile
 * decoders' (formats/fuzz.test.ts): each case mutates a binary (bit flips,
 * overwrites, truncation, duplicated or deleted chunks), opens it and looks
 * up PCs across its text. A case passes when it answers or throws a
 * one-line FormatError; anything else (RangeError, TypeError, a hang) is a
 * bug, named with its seed and mutations. FOOTPRINT_FUZZ_SEED and
 * FOOTPRINT_FUZZ_SCALE work as there.
 */

const BASE_SEED = Number(process.env['FOOTPRINT_FUZZ_SEED'] ?? 0x5eed) >>> 0;
const SCALE = Number(process.env['FOOTPRINT_FUZZ_SCALE'] ?? 1);
/** A hang guard, not a benchmark: a case takes well under a millisecond (the real binary's, a few). */
const MAX_CASE_MS = 2000;

/** A Go-built fixture binary, when `bash testdata/regen.sh --binaries` has built them here. */
const FIXTURE_BINARY = '/opt/footprint-fixtures/bin/heap';

interface Target {
  name: string;
  bytes: Uint8Array;
  cases: number;
  pcs: number[];
}

function pcsAcross(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => lo + Math.floor(((hi - lo) * i) / n));
}

const targets: Target[] = [
  { name: 'synthetic binary', bytes: syntheticGoBinary(), cases: Math.round(3000 * SCALE), pcs: pcsAcross(SYNTH.textStart - 4, SYNTH.end + 4, 64) },
];
if (existsSync(FIXTURE_BINARY)) {
  const bytes = new Uint8Array(readFileSync(FIXTURE_BINARY));
  const b = GoBinary.open(bytesAccess(bytes));
  targets.push({ name: FIXTURE_BINARY, bytes, cases: Math.round(60 * SCALE), pcs: pcsAcross(b.table.entry(0), b.table.entry(b.table.funcCount), 400) });
}

/** gofmt cross-built for macOS and Windows by the installed Go, so the Mach-O and PE readers are fuzzed too. */
if (goVersion('go')) {
  const dir = tempDir(after, 'fuzz-containers');
  const programs = new URL('../../../testdata/programs/', import.meta.url).pathname;
  for (const [goos, goarch] of [['darwin', 'arm64'], ['windows', 'amd64']] as const) {
    const out = join(dir, `gofmt-${goos}`);
    execFileSync('go', ['build', '-trimpath', '-o', out, './gofmt'], { cwd: programs, env: { ...goEnv(), GOOS: goos, GOARCH: goarch }, stdio: 'pipe', timeout: 300_000 });
    targets.push({ name: `${goos}/${goarch} gofmt`, bytes: new Uint8Array(readFileSync(out)), cases: Math.round(200 * SCALE), pcs: [] });
  }
}

/** The symboliser's lookups, then the size reader (footprint binary), each on its own. */
function tryBinary(bytes: Uint8Array, pcs: readonly number[]): string | undefined {
  const symbols = oneLineOrBug(() => {
    const b = GoBinary.open(bytesAccess(bytes), 'fuzz-input');
    for (const pc of pcs) {
      b.symbol(pc);
      b.frames(pc);
    }
  });
  return symbols ?? oneLineOrBug(() => readBinaryImage(bytesAccess(bytes), 'fuzz-input'));
}

function oneLineOrBug(read: () => void): string | undefined {
  try {
    read();
    return undefined;
  } catch (err) {
    if (err instanceof FormatError) {
      const line = err.describe();
      if (line.includes('\n')) return `FormatError message spans lines: ${JSON.stringify(line)}`;
      if (!line.startsWith('fuzz-input: ')) return `FormatError does not name the source: ${line}`;
      return undefined;
    }
    const e = err as Error;
    const frames = (e?.stack ?? '').split('\n').filter((l) => l.trimStart().startsWith('at ')).slice(0, 4);
    return [`${e?.name}: ${e?.message}`, ...frames].join('\n');
  }
}

for (const target of targets) {
  test(`fuzz: ${target.cases} mutations of the ${target.name} read or fail with a FormatError`, () => {
    assert.equal(tryBinary(target.bytes, target.pcs), undefined, 'the unmutated binary reads');
    const pool: Mutator[] = Object.values(byteMutators);
    const failures: string[] = [];
    let slowest = 0;
    const seed0 = (BASE_SEED ^ hashString(target.name)) >>> 0;
    for (let i = 0; i < target.cases && failures.length < 10; i++) {
      const seed = (seed0 + Math.imul(i, 0x9e3779b1)) >>> 0;
      const r = new Rng(seed);
      let bytes = target.bytes;
      const descs: string[] = [];
      for (let k = 1 + r.int(3); k > 0 && bytes.length > 0; k--) {
        const m = r.pick(pool)(bytes, r);
        bytes = m.bytes;
        descs.push(m.desc);
      }
      const t0 = performance.now();
      const problem = tryBinary(bytes, target.pcs);
      slowest = Math.max(slowest, performance.now() - t0);
      if (problem) failures.push(`case ${i} (seed 0x${seed.toString(16)}): ${descs.join('; ')}\n  ${problem}`);
    }
    assert.deepEqual(failures, []);
    assert.ok(slowest < MAX_CASE_MS, `slowest case ${slowest.toFixed(0)} ms (hang guard)`);
  });
}
