import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/**
 * No array spread into a call's arguments in the product code: `Math.max(...xs)`,
 * `out.push(...xs)`, `String.fromCharCode(...bytes)` and `f.apply(null, xs)`
 * put every element on the call stack, and past about 120,000 elements V8
 * throws "Maximum call stack size exceeded" — a day of gctrace lines, a long
 * trace's pauses. Use maxOf/minOf (src/analyze/stats.ts) or a loop. Test files
 * are not checked: their inputs are the fixtures' few hundred values.
 */

const SRC = resolve(new URL('../src/', import.meta.url).pathname);

/** Calls that spread their arguments, or pass an array to apply. */
const SPREAD_CALL = /(?:\bMath\.(?:max|min)|\.(?:push|unshift|splice|concat)|\bString\.fromCharCode|\bString\.fromCodePoint)\s*\(\s*(?:[^(){}[\]'"`]*?,\s*)?\.\.\.|\.apply\(\s*(?:null|undefined|this)\s*,/g;

/** Reviewed uses, by file and the matched text, with why they are bounded. */
const ALLOWED: Record<string, { match: string; why: string }[]> = {
  'formats/pprof/decode.ts': [{ match: '.apply(null,', why: 'only for strings under 64 bytes' }],
};

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? tsFiles(p) : name.endsWith('.ts') && !name.endsWith('.test.ts') ? [p] : [];
  });
}

function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

test('no product code spreads an array into a call (Math.max(...xs) overflows the stack on long inputs)', () => {
  const found: string[] = [];
  const files = tsFiles(SRC);
  for (const file of files) {
    const rel = relative(SRC, file);
    const allowed = ALLOWED[rel] ?? [];
    const code = withoutComments(readFileSync(file, 'utf8'));
    for (const m of code.matchAll(SPREAD_CALL)) {
      if (allowed.some((a) => m[0].includes(a.match))) continue;
      const line = code.slice(0, m.index).split('\n').length;
      found.push(`${rel}:${line}: ${m[0]}`);
    }
  }
  assert.ok(files.length > 100, 'read the sources');
  assert.deepEqual(found, []);
});

test('the check finds what it looks for', () => {
  const samples = ['Math.max(...xs)', 'Math.min(1, ...xs.map((x) => x))', 'out.push(...rows)', 'String.fromCharCode(...bytes)', 'f.apply(null, xs)'];
  for (const s of samples) assert.ok([...s.matchAll(SPREAD_CALL)].length === 1, s);
  for (const s of ['Math.max(a, b)', 'out.push({ ...o })', 'out.push([...a])', 'const [a, ...rest] = xs', 'f({ ...o })', '[...a, ...b]', 'ctx.apply(s, role, args)']) {
    assert.equal([...s.matchAll(SPREAD_CALL)].length, 0, s);
  }
});
