import { cachedTest, compileGoRegexp, GoRegexpError, type GoRegexp } from './goregexp.js';
import { ReportError } from './errors.js';
import type { WorkProfile } from './work.js';

/**
 * pprof's sample filters (google/pprof profile/filter.go, prune.go) on a
 * WorkProfile. Regexes are Go's (goregexp.ts) and match a function's name or
 * file name, or the location's mapping file; they are unanchored, as Go's
 * MatchString is.
 */

/** Per-function cache of a regex test on name or file name. */
function functionMatcher(w: WorkProfile, re: GoRegexp): (line: number) => boolean {
  const p = w.p;
  const cache = new Int8Array(p.functions.count);
  return (line) => {
    const f = p.lines.function[line]!;
    if (f < 0) return false;
    let c = cache[f]!;
    if (c === 0) {
      c = re.test(p.strings[p.functions.name[f]!]!) || re.test(p.strings[p.functions.filename[f]!]!) ? 1 : 2;
      cache[f] = c;
    }
    return c === 1;
  };
}

/** Whether a location's mapping file matches, tested once per file name (a profile has a handful of mappings and many locations). */
function mappingMatcher(w: WorkProfile, re: GoRegexp): (loc: number) => boolean {
  const test = cachedTest(re);
  return (loc) => {
    const file = w.mappingFile(loc);
    return file !== undefined && test(file);
  };
}

function anyLine(w: WorkProfile, loc: number, pred: (line: number) => boolean): boolean {
  for (let j = w.lineStart[loc]!, end = j + w.lineCount[loc]!; j < end; j++) if (pred(w.lineIdx[j]!)) return true;
  return false;
}

/** One filter's tests: on a line's function, on a location's mapping, and either (pprof's matchesName). */
interface LocationMatcher {
  line: (line: number) => boolean;
  mapping: (loc: number) => boolean;
  any: (loc: number) => boolean;
}

function locationMatcher(w: WorkProfile, re: GoRegexp): LocationMatcher {
  const line = functionMatcher(w, re);
  const mapping = mappingMatcher(w, re);
  return { line, mapping, any: (loc) => anyLine(w, loc, line) || mapping(loc) };
}

export interface NameFilters {
  focus?: GoRegexp | undefined;
  ignore?: GoRegexp | undefined;
  hide?: GoRegexp | undefined;
  show?: GoRegexp | undefined;
}

/** Which filters matched anything, so the CLI can warn as pprof does. */
export interface FilterMatches {
  focus: boolean;
  ignore: boolean;
  hide: boolean;
  show: boolean;
}

/** pprof FilterSamplesByName: focus/ignore select samples, hide/show remove frames. */
export function filterSamplesByName(w: WorkProfile, f: NameFilters): FilterMatches {
  const m: FilterMatches = { focus: false, ignore: false, hide: false, show: false };
  if (!f.focus && !f.ignore && !f.hide && !f.show) {
    m.focus = true;
    return m;
  }
  const nLoc = w.p.locations.count;
  // 0: neither, 1: focused, 2: ignored
  const focusOrIgnore = new Uint8Array(nLoc);
  const hidden = new Uint8Array(nLoc);
  let anyHidden = false;
  const focus = f.focus && locationMatcher(w, f.focus);
  const ignore = f.ignore && locationMatcher(w, f.ignore);
  const hide = f.hide && locationMatcher(w, f.hide);
  const show = f.show && locationMatcher(w, f.show);
  for (let loc = 0; loc < nLoc; loc++) {
    if (ignore && ignore.any(loc)) {
      m.ignore = true;
      focusOrIgnore[loc] = 2;
    } else if (!focus || focus.any(loc)) {
      m.focus = true;
      focusOrIgnore[loc] = 1;
    }
    if (hide && hide.any(loc)) {
      m.hide = true;
      const left = hide.mapping(loc) ? w.filterLines(loc, () => false) : w.filterLines(loc, (l) => !hide.line(l));
      if (left === 0) {
        hidden[loc] = 1;
        anyHidden = true;
      }
    }
    if (show) {
      const left = show.mapping(loc) ? w.lineCount[loc]! : w.filterLines(loc, (l) => w.p.lines.function[l]! < 0 || show.line(l));
      if (left === 0) {
        hidden[loc] = 1;
        anyHidden = true;
      } else {
        m.show = true;
      }
    }
  }
  const stacks = anyHidden ? w.writableStacks() : w.stacks;
  w.filterSamples((s) => {
    const start = w.stackStart[s]!;
    const count = w.stackCount[s]!;
    let focused = false;
    for (let j = start; j < start + count; j++) {
      const v = focusOrIgnore[stacks[j]!]!;
      if (v === 2) return false;
      if (v === 1) focused = true;
    }
    if (!focused) return false;
    if (!anyHidden) return true;
    let wr = start;
    for (let j = start; j < start + count; j++) {
      const loc = stacks[j]!;
      if (!hidden[loc]) stacks[wr++] = loc;
    }
    w.stackCount[s] = wr - start;
    return wr > start;
  });
  return m;
}

/** pprof ShowFrom: drops frames above (rootward of) the highest frame matching `re`. */
export function showFrom(w: WorkProfile, re: GoRegexp): boolean {
  const nLoc = w.p.locations.count;
  const matchedLoc = new Uint8Array(nLoc);
  let matched = false;
  const fn = functionMatcher(w, re);
  const mapping = mappingMatcher(w, re);
  for (let loc = 0; loc < nLoc; loc++) {
    if (mapping(loc)) {
      matchedLoc[loc] = 1;
      matched = true;
      continue;
    }
    const start = w.lineStart[loc]!;
    for (let i = w.lineCount[loc]! - 1; i >= 0; i--) {
      if (fn(w.lineIdx[start + i]!)) {
        w.lineCount[loc] = i + 1;
        matchedLoc[loc] = 1;
        matched = true;
        break;
      }
    }
  }
  w.filterSamples((s) => {
    const start = w.stackStart[s]!;
    for (let i = w.stackCount[s]! - 1; i >= 0; i--) {
      if (matchedLoc[w.stacks[start + i]!]) {
        w.stackCount[s] = i + 1;
        return true;
      }
    }
    return false;
  });
  return matched;
}

/** pprof's simplifyFunc: a name cut at its first "(" that is not part of a reserved C++ name. */
function simplifyFunc(name: string): string {
  const f = name.startsWith('.') ? name.slice(1) : name;
  const re = /\(anonymous namespace\)|operator\(\)|\(/g;
  for (let m = re.exec(f); m; m = re.exec(f)) {
    if (m[0] === '(') return f.slice(0, m.index);
  }
  return f;
}

/** A profile's drop_frames / keep_frames, which must match a whole name (pprof compiles `^(` + it + `)$`). */
function wholeNameRegexp(source: string): GoRegexp {
  try {
    return compileGoRegexp(`^(${source})$`);
  } catch (err) {
    if (!(err instanceof GoRegexpError)) throw err;
    throw new ReportError(`failed to compile regexp ${source}: ${err.message}`);
  }
}

/**
 * pprof RemoveUninteresting/Prune: with `drop_frames` set, a frame whose
 * simplified name fully matches it (and not `keep_frames`) is removed with
 * everything leafward of it, once the stack has reached user code.
 */
export function pruneDropFrames(w: WorkProfile, dropFrames: string, keepFrames: string): void {
  if (dropFrames === '') return;
  const drop = wholeNameRegexp(dropFrames);
  const keep = keepFrames !== '' ? wholeNameRegexp(keepFrames) : undefined;
  const p = w.p;
  const cache = new Map<string, boolean>();
  const pruneFromHere = (name: string): boolean => {
    let r = cache.get(name);
    if (r === undefined) {
      const simple = simplifyFunc(name);
      r = drop.test(simple) && !(keep && keep.test(simple));
      cache.set(name, r);
    }
    return r;
  };
  const nLoc = p.locations.count;
  const prune = new Uint8Array(nLoc);
  const pruneBeneath = new Uint8Array(nLoc);
  for (let loc = 0; loc < nLoc; loc++) {
    const start = w.lineStart[loc]!;
    const count = w.lineCount[loc]!;
    let i = count - 1;
    for (; i >= 0; i--) {
      const f = p.lines.function[w.lineIdx[start + i]!]!;
      if (f >= 0) {
        const name = p.strings[p.functions.name[f]!]!;
        if (name !== '' && pruneFromHere(name)) break;
      }
    }
    if (i >= 0) {
      pruneBeneath[loc] = 1;
      if (i === count - 1) prune[loc] = 1;
      else {
        w.lineStart[loc] = start + i + 1;
        w.lineCount[loc] = count - i - 1;
      }
    }
  }
  for (const s of w.samples) {
    const start = w.stackStart[s]!;
    const count = w.stackCount[s]!;
    let foundUser = false;
    for (let i = count - 1; i >= 0; i--) {
      const loc = w.stacks[start + i]!;
      if (!prune[loc] && !pruneBeneath[loc]) {
        foundUser = true;
        continue;
      }
      if (!foundUser) continue;
      if (prune[loc]) {
        w.stackStart[s] = start + i + 1;
        w.stackCount[s] = count - i - 1;
        break;
      }
      w.stackStart[s] = start + i;
      w.stackCount[s] = count - i;
      break;
    }
  }
}
