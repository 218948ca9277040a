import { RE2JS } from 're2js';

/**
 * Regular expressions as Go's regexp package reads them (RE2 syntax), which is
 * what pprof's -focus, -ignore, -hide, -show, -show_from, -tagfocus,
 * -tagignore and -peek take, and what a profile's drop_frames holds.
 *
 * A JS RegExp is not that language: it rejects `(?P<x>…)`, reads `[[:upper:]]`
 * as a class of `[:uper` followed by `]`, has no `(?U)`, `\Q…\E`, `\z` or
 * inline flags, and accepts look-arounds and back-references Go refuses.
 * re2js is a port of RE2/J, itself a port of Go's regexp package, so it reads
 * the same syntax, gives Go's error messages and matches in linear time;
 * testdata/golden/goregexp.json (written by Go, see regen-goregexp.sh) holds
 * it to Go's answers construct by construct.
 */
export interface GoRegexp {
  readonly source: string;
  /** Go's MatchString: whether the expression matches anywhere in `input` (unanchored). */
  test(input: string): boolean;
  /** Go's FindString: the leftmost-first match, or null when there is none. */
  find(input: string): string | null;
}

/** A pattern Go's regexp.Compile refuses; the message is Go's (`error parsing regexp: …`). */
export class GoRegexpError extends Error {
  override name = 'GoRegexpError';
}

export function compileGoRegexp(source: string): GoRegexp {
  const re = sameAsRegExp(source) ?? compile(source);
  return {
    source,
    test: (input) => re.test(input),
    find: (input) => {
      const m = re.exec(input);
      return m ? (m[0] as string) : null;
    },
  };
}

/**
 * A JS RegExp that matches exactly what Go's regexp matches, for a pattern
 * made only of what both languages read alike; null for anything else, which
 * re2js compiles. Compiling a long pattern costs re2js ~100 ms (a legacy heap
 * profile's drop_frames, 49 alternatives, is compiled for every report) and
 * V8 a few microseconds.
 *
 * Read alike: printable ASCII literals; `\` before punctuation a JS `u`
 * RegExp also takes as literal; classes of ASCII word characters and their
 * ranges (`[0-9]`, `[^a-z_]`); `.` (any character but a newline in Go, so
 * `[^\n]` here: JS's `.` also stops at `\r`); `(`, `(?:`, `)`, `|`; `^`
 * and `$` (Go without (?m) anchors the text, as JS without the m flag); and
 * greedy `*`, `+`, `?` on one character, or `?` on a group holding no
 * quantifier. Without the `u` flag JS would step through a surrogate pair as
 * two characters where Go steps over one rune.
 *
 * JS backtracks where Go does not, so the shapes that backtrack badly are
 * left to re2js: no quantifier on a group but `?`, no quantifier after a
 * quantifier, and at most two quantified items (one unbounded) along any path
 * through the pattern, which keeps a match polynomial and small.
 */
export function sameAsRegExp(source: string): RegExp | null {
  // One entry per open group: quantified items in the current branch, and the most in any branch so far.
  const groups: { branch: number; unbounded: number; most: number; mostUnbounded: number }[] = [{ branch: 0, unbounded: 0, most: 0, mostUnbounded: 0 }];
  let out = '';
  /** What a quantifier after the last token would apply to. */
  let last: 'char' | 'plain-group' | 'other' = 'other';
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    const g = groups[groups.length - 1]!;
    if (c === '*' || c === '+' || c === '?') {
      if (last === 'other' || (last === 'plain-group' && c !== '?')) return null;
      g.branch++;
      if (c !== '?') g.unbounded++;
      if (g.branch > 2 || g.unbounded > 1) return null;
      out += c;
      last = 'other';
      continue;
    }
    if (c === '\\') {
      const next = source[i + 1];
      if (next === undefined || !JS_SYNTAX.includes(next)) return null;
      out += c + next;
      i++;
      last = 'char';
    } else if (c === '.') {
      out += '[^\\n]';
      last = 'char';
    } else if (c === '[') {
      const end = simpleClassEnd(source, i);
      if (end < 0) return null;
      out += source.slice(i, end);
      i = end - 1;
      last = 'char';
    } else if (c === '(') {
      if (source[i + 1] === '?') {
        if (source[i + 2] !== ':') return null;
        i += 2;
      }
      if (groups.length > 100) return null;
      groups.push({ branch: 0, unbounded: 0, most: 0, mostUnbounded: 0 });
      out += '(?:';
      last = 'other';
    } else if (c === ')') {
      if (groups.length === 1) return null;
      groups.pop();
      const most = Math.max(g.most, g.branch);
      const parent = groups[groups.length - 1]!;
      parent.branch += most;
      parent.unbounded += Math.max(g.mostUnbounded, g.unbounded);
      if (parent.branch > 2 || parent.unbounded > 1) return null;
      out += ')';
      last = most === 0 ? 'plain-group' : 'other';
    } else if (c === '|') {
      g.most = Math.max(g.most, g.branch);
      g.mostUnbounded = Math.max(g.mostUnbounded, g.unbounded);
      g.branch = 0;
      g.unbounded = 0;
      out += c;
      last = 'other';
    } else if (c === '^' || c === '$') {
      out += c;
      last = 'other';
    } else if (c >= ' ' && c <= '~' && !'[]{}'.includes(c)) {
      out += c;
      last = 'char';
    } else return null;
  }
  if (groups.length !== 1) return null;
  return new RegExp(out, 'u');
}

/**
 * Just past a class of ASCII letters, digits, `_` and ascending ranges of
 * them, maybe negated (`[0-9]`, `[^a-z_]`), which Go and a `u` RegExp read
 * alike (a negated class takes a newline in both); -1 for any other class.
 */
function simpleClassEnd(source: string, at: number): number {
  let i = at + 1;
  if (source[i] === '^') i++;
  const first = i;
  while (i < source.length && source[i] !== ']') {
    if (!WORD.test(source[i]!)) return -1;
    if (source[i + 1] === '-') {
      if (!WORD.test(source[i + 2] ?? '') || source[i + 2]! < source[i]!) return -1;
      i += 3;
    } else i++;
  }
  return i === first || i >= source.length ? -1 : i + 1;
}

const WORD = /^\w$/;

/** Punctuation a `u` RegExp takes escaped as itself (its SyntaxCharacter); Go takes these so too. */
const JS_SYNTAX = '^$\\.*+?()[]{}|/';

function compile(source: string): RE2JS {
  try {
    return RE2JS.compile(source);
  } catch (err) {
    const message = (err as Error).message;
    // RE2 (C++ and its ports) refuses a capture name used twice; Go's parser never checks, and names do not change what matches.
    if (message.includes('duplicate capture group name')) {
      const renamed = renameDuplicateGroups(source);
      if (renamed !== source) return compile(renamed);
    }
    throw new GoRegexpError(goMessage(message));
  }
}

/** Go's syntax.Error always ends with `: ` and the offending text, even when that is empty (a trailing backslash). */
function goMessage(message: string): string {
  return message.endsWith('trailing backslash at end of expression') ? `${message}: \`\`` : message;
}

const NAMED_GROUP = /\(\?P?<(\w+)>/y;

/**
 * The pattern with every repeated capture name made unique. Skips what cannot
 * open a group: escapes (`\(`), quoted text (`\Q…\E`) and bracket classes
 * (`[(]`, `[[:word:]]`).
 */
function renameDuplicateGroups(source: string): string {
  const seen = new Set<string>();
  let out = '';
  let i = 0;
  while (i < source.length) {
    const start = i;
    const c = source[i]!;
    if (c === '\\') i = source[i + 1] === 'Q' ? endOfQuote(source, i) : i + 2;
    else if (c === '[') i = endOfClass(source, i);
    else if (c === '(') {
      NAMED_GROUP.lastIndex = i;
      const named = NAMED_GROUP.exec(source);
      if (named) {
        let unique = named[1]!;
        for (let n = 2; seen.has(unique); n++) unique = `${named[1]}_${n}`;
        seen.add(unique);
        out += `(?P<${unique}>`;
        i = NAMED_GROUP.lastIndex;
        continue;
      }
      i++;
    } else i++;
    out += source.slice(start, i);
  }
  return out;
}

function endOfQuote(source: string, at: number): number {
  const end = source.indexOf('\\E', at + 2);
  return end < 0 ? source.length : end + 2;
}

/** Just past the `]` that closes the class opened at `at` (a `]` first in the class is literal, as are escaped ones). */
function endOfClass(source: string, at: number): number {
  let i = at + 1;
  if (source[i] === '^') i++;
  if (source[i] === ']') i++;
  while (i < source.length && source[i] !== ']') {
    if (source[i] === '\\') i += 2;
    else if (source.startsWith('[:', i) && source.indexOf(':]', i + 2) >= 0) i = source.indexOf(':]', i + 2) + 2;
    else i++;
  }
  return i + 1;
}

/** Entries a name cache keeps before it stops adding (label values can be unbounded, e.g. request ids). */
const NAME_CACHE_LIMIT = 1 << 16;

/**
 * `re.test` remembered per input: reports test the same few function, file
 * and mapping names or label values once per location or sample, and an RE2
 * match costs about a microsecond where a cache hit costs a map lookup.
 */
export function cachedTest(re: GoRegexp): (input: string) => boolean {
  const seen = new Map<string, boolean>();
  return (input) => {
    let r = seen.get(input);
    if (r === undefined) {
      r = re.test(input);
      if (seen.size < NAME_CACHE_LIMIT) seen.set(input, r);
    }
    return r;
  };
}
