import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeProfile } from '../formats/index.js';
import { RE2JS } from 're2js';
import { compileGoRegexp, GoRegexpError, sameAsRegExp } from './goregexp.js';
import type { ReportOptions } from './options.js';
import { peekReport } from './peek.js';
import { Report, ReportError } from './report.js';
import { topReport } from './top.js';

/**
 * Go's regexp package is the truth: testdata/golden/goregexp.json holds, for
 * every RE2 construct pprof users type (named groups, POSIX and Unicode
 * classes, the i/s/m/U flags, \Q…\E, \A, \z, repetition limits, and what Go
 * refuses), the error regexp.Compile gives or, per input, whether it matches
 * and the leftmost-first match. Written by testdata/regen-goregexp.sh.
 */
interface GoldenCase {
  construct: string;
  pattern: string;
  error: string | null;
  results: { input: string; match: boolean; found: string | null }[];
}

const GOLDEN = JSON.parse(readFileSync(new URL('../../testdata/golden/goregexp.json', import.meta.url), 'utf8')) as GoldenCase[];

test('the golden covers every construct the issue names, and both outcomes', () => {
  const constructs = GOLDEN.map((c) => c.construct).join('\n');
  for (const want of ['(?P<name>)', '[[:upper:]]', '\\pL', '\\p{Greek}', '(?i)', '(?s)', '(?m)', '(?U)', '\\Q..\\E', '\\z', '\\A', '{n,m}', '{1001}']) {
    assert.ok(constructs.includes(want), want);
  }
  assert.ok(GOLDEN.filter((c) => c.error !== null).length >= 20, 'refusals');
  assert.ok(GOLDEN.flatMap((c) => c.results).filter((r) => r.match).length >= 50, 'matches');
});

for (const c of GOLDEN) {
  test(`as Go: ${c.construct}  ${JSON.stringify(c.pattern)}`, () => {
    if (c.error !== null) {
      assert.throws(() => compileGoRegexp(c.pattern), (err: unknown) => err instanceof GoRegexpError && err.message === c.error);
      return;
    }
    const re = compileGoRegexp(c.pattern);
    for (const r of c.results) {
      assert.equal(re.test(r.input), r.match, `test(${JSON.stringify(r.input)})`);
      assert.equal(re.find(r.input), r.found, `find(${JSON.stringify(r.input)})`);
    }
  });
}

const TESTDATA = new URL('../../testdata/', import.meta.url).pathname;

test('the golden holds patterns of both paths: a JS RegExp where the languages read alike, re2js elsewhere', () => {
  const fast = GOLDEN.filter((c) => sameAsRegExp(c.pattern) !== null);
  assert.ok(fast.length >= 10 && fast.length < GOLDEN.length / 2, `${fast.length} of ${GOLDEN.length}`);
  assert.ok(fast.every((c) => c.error === null));
  assert.ok(fast.some((c) => c.construct.includes('dot')), 'the dot cases (newline, \\r, one rune) run on the JS path');
});

test('legacy drop_frames and keep_frames (compiled for every report) take the JS path, with re2js\'s answers', () => {
  const names = ['runtime.mallocgc', 'runtime.', 'runtime', 'calloc', 'xcalloc', 'operator new', 'operator new[]', 'operator new[',
    'tcmalloc::ThreadCache::Allocate', 'tc_new', 'base::Mutex::Unlock', 'Mutex::UnlockSlow', 'SpinLockHolder::~SpinLockHolder',
    '__builtin_vec_new', '__builtin_new', '__builtin_vec_', 'main.main', '', 'a\nruntime.x', 'runtime.\u00e9', 'RecordLockProfileData', 'runtime.call32', 'runtime.call', 'runtime.callx', 'runtime.panic'];
  for (const file of ['heap/heap.txt', 'contention/mutex.txt']) {
    const p = decodeProfile(readFileSync(`${TESTDATA}go1.23/${file}`), file);
    for (const frames of [p.dropFrames, p.keepFrames].filter((f) => f !== '')) {
      const source = `^(${frames})$`;
      const fast = sameAsRegExp(source);
      assert.ok(fast, `${file}: ${source.slice(0, 60)}…`);
      const slow = RE2JS.compile(source);
      for (const name of [...names, ...p.strings]) assert.equal(fast.test(name), slow.test(name), `${file}: ${JSON.stringify(name)}`);
    }
  }
});

test('what JS would backtrack on, or reads otherwise, is left to re2js', () => {
  for (const s of ['(a*)*', '(a+)+b', '(a|b*)?', 'a*a*', '.*a.*', 'a?b?c?', '(a?b?)?c', 'a*?', '^*', '(*)', '(?i)a', '(?P<x>a)', '\\d', '\\Qa\\E', 'é', 'a{2}', '}', '(a', 'a)', '[a-]', '[]a]', '[^]', '[z-a]', '[a', '[.]', '[[:digit:]]']) {
    assert.equal(sameAsRegExp(s), null, s);
  }
  for (const s of ['(base::)?Unlock.*', 'operator new(\\[\\])?', 'a|b*|c+', '(?:x|y)?z*', 'runtime\\.call[0-9]*', '[^a-z_]x', '[A-Za-z0-9_]+', '[a]']) assert.ok(sameAsRegExp(s), s);
});
const heapProfile = () => decodeProfile(readFileSync(`${TESTDATA}go1.23/heap/heap.pb.gz`), 'heap.pb.gz');

test('every regex option reads Go syntax, and refuses what Go refuses with Go\'s message', () => {
  const p = heapProfile();
  const options: [keyof ReportOptions, string][] = [
    ['focus', 'focus'],
    ['ignore', 'ignore'],
    ['hide', 'hide'],
    ['show', 'show'],
    ['showFrom', 'show_from'],
  ];
  for (const [key, flag] of options) {
    // The three: a named group, a POSIX class, the ungreedy flag; none is a JS RegExp.
    for (const pattern of ['(?P<x>main\\.buildTree)', '[[:upper:]]', '(?U)main\\..+']) {
      const rpt = new Report(p, 'top', { [key]: pattern });
      assert.ok(topReport(rpt).rows.length > 0, `${flag}=${pattern}`);
    }
    assert.throws(
      () => new Report(p, 'top', { [key]: 'main(?=\\.f)' }),
      (err: unknown) => err instanceof ReportError && err.message === `parsing ${flag} regexp: error parsing regexp: invalid or unsupported Perl syntax: \`(?=\``,
      flag,
    );
  }
  assert.throws(() => peekReport(new Report(p, 'peek'), '(a)\\1'), /parsing argument regexp \(a\)\\1: error parsing regexp: invalid escape sequence: `\\1`/);
  assert.ok(peekReport(new Report(p, 'peek'), '(?P<x>main\\.buildTree)').entries.length === 1);
});

test('--focus with a named group selects what Go selects: the same rows as the plain pattern', () => {
  const p = heapProfile();
  const named = topReport(new Report(p, 'top', { focus: '(?P<x>main\\.buildTree)' })).rows;
  const plain = topReport(new Report(p, 'top', { focus: 'main\\.buildTree' })).rows;
  assert.deepEqual(named, plain);
  assert.ok(plain.length > 0 && plain.length < topReport(new Report(p, 'top')).rows.length);
});

test('a profile\'s drop_frames is Go syntax too, matched against the whole name; a bad one is a ReportError', () => {
  const p = heapProfile();
  const dropped = topReport(new Report({ ...p, dropFrames: '(?P<x>main\\.buildIndex)' }, 'top')).rows.map((r) => r.name);
  assert.ok(!dropped.includes('main.buildIndex') && dropped.includes('main.main'), dropped.join(', '));
  const partial = topReport(new Report({ ...p, dropFrames: 'main\\.build' }, 'top')).rows.map((r) => r.name);
  assert.ok(partial.includes('main.buildIndex'), 'unanchored text does not drop a longer name');
  assert.throws(() => new Report({ ...p, dropFrames: '(?<=x)' }, 'top'), (err: unknown) => err instanceof ReportError && /^failed to compile regexp \(\?<=x\): error parsing regexp: /.test(err.message));
});

test('tag filters read Go syntax: a named group and \\z select the io pool as the plain value does', () => {
  const g = decodeProfile(readFileSync(`${TESTDATA}go1.23/goroutines/goroutine.pb.gz`), 'goroutine.pb.gz');
  const io = topReport(new Report(g, 'top', { tagFocus: 'pool=(?P<p>io)\\z' }));
  const plain = topReport(new Report(g, 'top', { tagFocus: 'pool=io' }));
  assert.deepEqual(io.rows, plain.rows);
  assert.ok(plain.shownFlat > 0 && plain.shownFlat < plain.total, 'the filter selects some goroutines, not all');
});
