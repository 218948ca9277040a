import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prng } from '../../testkit/prng.js';
import { FormatError } from '../errors.js';
import { decodeGoroutineDump } from './index.js';
import { DUMPS, fixtureText } from '../../testkit/goroutine-fixtures.js';

/**
 * Seeded mutations of the real dumps: every result must parse or throw a
 * one-line FormatError naming the file, and never take long (the parser is
 * line by line with anchored regexps; nothing should backtrack). Set
 * FOOTPRINT_FUZZ_SEED for other seeds.
 */

const SEED = Number(process.env['FOOTPRINT_FUZZ_SEED'] ?? 0x60f00d) >>> 0;
const CASES_PER_DUMP = 120;
/** Generous: the biggest fixture parses in ~100 ms; a hang or a quadratic blow-up would take far longer. */
const MAX_MS_PER_CASE = 3000;
/** Only a prefix of the 12,600-goroutine dump, so the fuzz stays quick. */
const MAX_LINES = 4000;

/** An integer in [0, n) from the project's seeded PRNG. */
function random(seed: number): (n: number) => number {
  const next = prng(seed);
  return (n) => Math.floor(next() * n);
}

type Mutation = (lines: string[], r: (n: number) => number) => void;

const SNIPPETS = ['goroutine ', '\t', '...', '(', ')', '[', ']:', ' +0x', ':', 'created by ', ' in goroutine ', ', 9 minutes', '\r', '\u00e9', '0'];

const MUTATIONS: Mutation[] = [
  (ls, r) => void ls.splice(r(ls.length), 1 + r(3)),
  (ls, r) => void ls.splice(r(ls.length), 0, ls[r(ls.length)]!),
  (ls, r) => {
    const i = r(ls.length);
    const l = ls[i]!;
    ls[i] = l.slice(0, r(l.length + 1));
  },
  (ls, r) => {
    const i = r(ls.length);
    const l = ls[i]!;
    const at = r(l.length + 1);
    ls[i] = l.slice(0, at) + SNIPPETS[r(SNIPPETS.length)]! + l.slice(at);
  },
  (ls, r) => {
    const i = r(ls.length);
    ls[i] = ls[i]!.replace(/\d+/, String(r(1e6) - 1000));
  },
  (ls, r) => {
    const i = r(ls.length);
    const j = r(ls.length);
    [ls[i], ls[j]] = [ls[j]!, ls[i]!];
  },
  (ls, r) => void ls.splice(r(ls.length), 0, '0'.repeat(r(20000)) + ':' + '9'.repeat(r(5000))),
];

test('seeded mutations of every fixture dump: parse or a one-line FormatError, quickly', () => {
  const r = random(SEED);
  let formatErrors = 0;
  let parsed = 0;
  for (const [v, rel] of DUMPS) {
    const base = fixtureText(v, rel).split('\n').slice(0, MAX_LINES);
    for (let c = 0; c < CASES_PER_DUMP; c++) {
      const lines = [...base];
      for (let k = 0; k < 1 + r(6); k++) MUTATIONS[r(MUTATIONS.length)]!(lines, r);
      const bytes = new TextEncoder().encode(lines.join('\n'));
      const started = performance.now();
      try {
        decodeGoroutineDump(bytes, 'fuzz.txt');
        parsed++;
      } catch (err) {
        if (!(err instanceof FormatError)) throw new Error(`${v}/${rel} case ${c} (seed ${SEED}): ${String(err)}`);
        const line = err.describe();
        assert.ok(line.startsWith('fuzz.txt: ') && !line.includes('\n'), line);
        formatErrors++;
      }
      const ms = performance.now() - started;
      assert.ok(ms < MAX_MS_PER_CASE, `${v}/${rel} case ${c} took ${ms.toFixed(0)} ms`);
    }
  }
  // Both outcomes must occur, or the mutations are not reaching the parser's checks.
  assert.ok(parsed > 0 && formatErrors > 0, `parsed ${parsed}, errors ${formatErrors}`);
});
