import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { FormatError } from '../errors.js';
import { fixturePath, jsonFiles, VERSIONS } from '../../testkit/escape-fixtures.js';
import { decodeEscapeJsonFiles, decodeEscapes } from './index.js';
import type { EscapeReport } from '../../model/escapes.js';

/**
 * Seeded garbage over the real escape fixtures: every mutated input must
 * decode to a consistent report or throw a one-line FormatError — never
 * another exception, never a hang. FOOTPRINT_FUZZ_SEED changes the seed.
 */

const SEED = Number(process.env['FOOTPRINT_FUZZ_SEED'] ?? 0xe5ca9e) >>> 0;
const CASES_PER_INPUT = 150;

function rng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

type Mutator = (b: Uint8Array, r: (n: number) => number) => Uint8Array;

const lines = (b: Uint8Array) => Buffer.from(b).toString('latin1').split('\n');
const join = (ls: string[]) => new Uint8Array(Buffer.from(ls.join('\n'), 'latin1'));

const MUTATORS: Record<string, Mutator> = {
  flipBytes(b, r) {
    const out = Uint8Array.from(b);
    for (let k = 0; k < 1 + r(8); k++) out[r(out.length)] = r(256);
    return out;
  },
  truncate: (b, r) => b.subarray(0, r(b.length)),
  shuffleLines(b, r) {
    const ls = lines(b);
    for (let k = 0; k < 1 + r(20); k++) {
      const i = r(ls.length);
      const j = r(ls.length);
      [ls[i], ls[j]] = [ls[j]!, ls[i]!];
    }
    return join(ls);
  },
  dropAndRepeatLines(b, r) {
    const ls = lines(b);
    for (let k = 0; k < 1 + r(20); k++) {
      const i = r(ls.length);
      if (r(2)) ls.splice(i, 1);
      else ls.splice(i, 0, ls[r(ls.length)]!);
    }
    return join(ls);
  },
  changeDigits(b, r) {
    const out = Uint8Array.from(b);
    for (let k = 0; k < 1 + r(30); k++) {
      const i = r(out.length);
      if (out[i]! >= 0x30 && out[i]! <= 0x39) out[i] = 0x30 + r(10);
      else if (r(4) === 0) out[i] = [0x3a, 0x20, 0x7b, 0x22, 0x09][r(5)]!;
    }
    return join(lines(out).map((l) => (r(50) === 0 ? l + '9'.repeat(r(40)) : l)));
  },
};

function assertConsistent(report: EscapeReport): void {
  for (const s of report.sites) {
    assert.ok(Number.isSafeInteger(s.line) && Number.isSafeInteger(s.column), 'integral positions');
    assert.equal(typeof s.expr, 'string');
  }
}

function check(run: () => EscapeReport, what: string): void {
  try {
    assertConsistent(run());
  } catch (err) {
    if (err instanceof FormatError) {
      assert.ok(!err.describe().includes('\n'), `${what}: one-line error`);
      return;
    }
    throw new Error(`${what}: ${String(err)}`);
  }
}

for (const v of VERSIONS) {
  test(`${v}: mutated -m / -m=2 text never crashes the decoder`, () => {
    for (const name of ['m.txt', 'm2.txt']) {
      const bytes = readFileSync(fixturePath(v, name));
      const r = rng(SEED ^ name.length ^ v.length);
      const names = Object.keys(MUTATORS);
      for (let c = 0; c < CASES_PER_INPUT; c++) {
        const m = names[r(names.length)]!;
        check(() => decodeEscapes(MUTATORS[m]!(bytes, r), name), `${v}/${name} case ${c} (${m}, seed ${SEED})`);
      }
    }
  });

  test(`${v}: mutated -json files never crash the decoder`, () => {
    const files = jsonFiles(v);
    const r = rng(SEED + 7);
    const names = Object.keys(MUTATORS);
    for (let c = 0; c < CASES_PER_INPUT; c++) {
      const target = r(files.length);
      const m = names[r(names.length)]!;
      const mutated = files.map((f, i) => (i === target ? { ...f, bytes: MUTATORS[m]!(f.bytes, r) } : f));
      check(() => decodeEscapeJsonFiles(mutated), `${v}/json case ${c} (${m}, seed ${SEED})`);
    }
  });
}
