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
  const re = compile(source);
  return {
    source,
    test: (input) => re.test(input),
    find: (input) => {
      const m = re.exec(input);
      return m ? (m[0] as string) : null;
    },
  };
}

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
