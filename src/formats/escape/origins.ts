import type { EscapeReport, EscapeSite, FunctionDecl, InlineCall, SourcePos } from '../../model/escapes.js';
import { isHeapDecision, posKey } from '../../model/escapes.js';

/** How deep inlining chains are followed; the compiler's own budget keeps real chains short. */
const MAX_INLINE_DEPTH = 16;

/**
 * Ties each copy of a site made by inlining to the site in the inlined
 * function's own body. The compiler reports an inlined copy at the outermost
 * call site (base.FmtPos prints the outermost position) and says
 * `inlining call to F` at that same position; `can inline F` gives F's
 * declaration, so the origin is the site with the same expression in F's body.
 * Chains (F inlined into G inlined into main) are followed to the innermost.
 * The -json form states origins itself (inlineLoc), so sites that already
 * have one are left alone.
 */
export function linkInlinedCopies(report: EscapeReport, finder: OriginFinder = indexedOrigins): void {
  const callsAt = groupBy(report.inlineCalls, posKey);
  if (callsAt.size === 0) return;
  const heapSites = report.sites.filter((s) => isHeapDecision(s.decision));
  const originOf = finder(report, heapSites);
  const resolve = (site: EscapeSite, depth: number): SourcePos | undefined => {
    const calls = callsAt.get(posKey(site));
    if (!calls || depth > MAX_INLINE_DEPTH) return undefined;
    for (const call of calls) {
      const inner = originOf(call, site);
      if (inner) return resolve(inner, depth + 1) ?? pick(inner);
    }
    return undefined;
  };
  for (const site of heapSites) {
    const calls = callsAt.get(posKey(site));
    if (!calls || site.origin) continue;
    site.inlinedFrom = calls.map((c) => c.callee);
    const origin = resolve(site, 0);
    if (origin) site.origin = origin;
  }
}

/**
 * How a copy's origin is found: given the report and its heap sites, a
 * function from an `inlining call` and the copy at its position to the site
 * in the callee's body it was copied from. The tests hold the indexed one to
 * the plain scan it replaced.
 */
export type OriginFinder = (report: EscapeReport, heapSites: readonly EscapeSite[]) => (call: InlineCall, copy: EscapeSite) => EscapeSite | undefined;

/** Bodies by name and heap sites indexed by file and line: a binary search per copy. */
const indexedOrigins: OriginFinder = (report, heapSites) => {
  const bodies = new FunctionBodies(report.functions, report.packages);
  const index = new HeapSiteIndex(heapSites);
  return (call, copy) => {
    const body = bodies.lookup(call);
    return body && index.originIn(body, copy);
  };
};

function pick(p: SourcePos): SourcePos {
  return { file: p.file, line: p.line, column: p.column };
}

/**
 * The heap sites by file and decision, and by file, decision and expression,
 * so the sites of a body are found by binary search instead of a scan of
 * every site for each copy (8,000 inlined copies took over a minute).
 */
class HeapSiteIndex {
  private readonly byKind: Map<string, SitesByLine>;
  private readonly byExpr: Map<string, SitesByLine>;

  constructor(sites: readonly EscapeSite[]) {
    const kinds = new Map<string, EscapeSite[]>();
    const exprs = new Map<string, EscapeSite[]>();
    for (const site of sites) {
      const kind = `${site.file}\0${site.decision}`;
      append(kinds, kind, site);
      append(exprs, `${kind}\0${site.expr}`, site);
    }
    this.byKind = new Map([...kinds].map(([k, list]) => [k, new SitesByLine(list)]));
    this.byExpr = new Map([...exprs].map(([k, list]) => [k, new SitesByLine(list)]));
  }

  /**
   * The site in `body` this inlined copy came from: of those with the same
   * expression, the first the output lists; else the only heap site of its
   * kind in the body.
   */
  originIn(body: BodyRange, copy: EscapeSite): EscapeSite | undefined {
    const kind = `${body.file}\0${copy.decision}`;
    return this.byExpr.get(`${kind}\0${copy.expr}`)?.firstListed(body, copy) ?? this.byKind.get(kind)?.onlyOne(body, copy);
  }
}

/** Sites of one key in line order (ties in the output's order), with the output's order queryable over any stretch of lines. */
class SitesByLine {
  private readonly sites: EscapeSite[];
  private readonly lines: number[];
  private readonly at = new Map<EscapeSite, number>();
  private readonly listed: RangeMin;

  /** `sites` in the output's order. */
  constructor(sites: readonly EscapeSite[]) {
    const order = sites.map((_, i) => i).sort((a, b) => sites[a]!.line - sites[b]!.line || a - b);
    this.sites = order.map((i) => sites[i]!);
    this.lines = this.sites.map((s) => s.line);
    this.sites.forEach((s, i) => this.at.set(s, i));
    this.listed = new RangeMin(order);
  }

  /** The first-listed site within the body's lines, other than `except`. */
  firstListed(body: BodyRange, except: EscapeSite): EscapeSite | undefined {
    const [from, to, skip] = this.span(body, except);
    const best = skip < 0 ? this.listed.argmin(from, to) : this.listed.argmin2(from, skip, skip + 1, to);
    return best < 0 ? undefined : this.sites[best];
  }

  /** The single site within the body's lines other than `except`, if there is exactly one. */
  onlyOne(body: BodyRange, except: EscapeSite): EscapeSite | undefined {
    const [from, to, skip] = this.span(body, except);
    if (to - from - (skip < 0 ? 0 : 1) !== 1) return undefined;
    return this.sites[from === skip ? from + 1 : from];
  }

  /** The index range of the body's lines, and where `except` sits in it (-1: not there). */
  private span(body: BodyRange, except: EscapeSite): [number, number, number] {
    const from = lowerBound(this.lines, body.from);
    const to = lowerBound(this.lines, body.to);
    const i = this.at.get(except) ?? -1;
    return [from, to, i >= from && i < to ? i : -1];
  }
}

/** Range minimum over fixed values (a sparse table): the index of the smallest value in [from, to) in constant time. */
class RangeMin {
  private readonly table: Int32Array[] = [];

  constructor(private readonly values: readonly number[]) {
    this.table.push(Int32Array.from(values, (_, i) => i));
    for (let w = 1; 2 * w <= values.length; w *= 2) {
      const prev = this.table[this.table.length - 1]!;
      const next = new Int32Array(values.length - 2 * w + 1);
      for (let i = 0; i < next.length; i++) next[i] = this.lesser(prev[i]!, prev[i + w]!);
      this.table.push(next);
    }
  }

  /** The index of the smallest value in [from, to), or -1 when the range is empty. */
  argmin(from: number, to: number): number {
    if (to <= from) return -1;
    const level = 31 - Math.clz32(to - from);
    const row = this.table[level]!;
    return this.lesser(row[from]!, row[to - (1 << level)]!);
  }

  /** The same over two ranges together. */
  argmin2(from1: number, to1: number, from2: number, to2: number): number {
    const a = this.argmin(from1, to1);
    const b = this.argmin(from2, to2);
    return a < 0 ? b : b < 0 ? a : this.lesser(a, b);
  }

  private lesser(a: number, b: number): number {
    return this.values[b]! < this.values[a]! ? b : a;
  }
}

function append<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The first index whose value is at least `value`, in an ascending list. */
function lowerBound(list: readonly number[], value: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const CLOSURE = /\.func\d+(?:\.\d+)*$/;

interface BodyRange {
  file: string;
  from: number;
  /** Exclusive: the next declaration in the file, or Infinity. */
  to: number;
}

/** Function declarations by name, with the line range each body can span. */
class FunctionBodies {
  private readonly byName = new Map<string, FunctionDecl>();
  private readonly starts = new Map<string, number[]>();

  constructor(decls: FunctionDecl[], private readonly packages: string[]) {
    for (const d of decls) {
      this.byName.set(`${d.package ?? ''}\0${d.name}`, d);
      // A closure (F.func1) is declared inside F's body, so it does not end F.
      if (CLOSURE.test(d.name)) continue;
      const list = this.starts.get(d.file) ?? [];
      list.push(d.line);
      this.starts.set(d.file, list);
    }
    for (const list of this.starts.values()) list.sort((a, b) => a - b);
  }

  /** The callee's body: `newNode` in the caller's package, or `pkg.F` in another package of the output. */
  lookup(call: InlineCall): BodyRange | undefined {
    const decl = this.byName.get(`${call.package ?? ''}\0${call.callee}`) ?? this.qualified(call.callee);
    if (!decl) return undefined;
    const starts = this.starts.get(decl.file) ?? [];
    const next = starts[lowerBound(starts, decl.line + 1)];
    return { file: decl.file, from: decl.line, to: next ?? Infinity };
  }

  private qualified(callee: string): FunctionDecl | undefined {
    const dot = callee.indexOf('.');
    if (dot <= 0) return undefined;
    const name = callee.slice(0, dot);
    const pkg = this.packages.find((p) => p === name || p.endsWith('/' + name));
    return pkg === undefined ? undefined : this.byName.get(`${pkg}\0${callee.slice(dot + 1)}`);
  }
}

/**
 * Names the enclosing function of sites that lack one, from the declarations
 * in the same file: the nearest one above. Only when the file's list is
 * complete, which -m=2 and -json make it (they report `cannot inline` too);
 * plain -m lists inlinable functions only, and guessing from those would
 * name the wrong function.
 */
export function nameEnclosingFunctions(report: EscapeReport): void {
  const byFile = groupBy(
    report.functions.filter((d) => d.name !== ''),
    (d) => d.file,
  );
  for (const [file, decls] of byFile) {
    if (!decls.some((d) => !d.inlinable)) byFile.delete(file);
    else decls.sort((a, b) => a.line - b.line || a.column - b.column);
  }
  for (const site of report.sites) {
    if (site.function) continue;
    const decls = byFile.get(site.file);
    const enclosing = decls && lastBefore(decls, site);
    if (enclosing) site.function = enclosing.name;
  }
}

/** The last declaration (of a list in position order) that starts before `pos`, by binary search. */
function lastBefore(decls: readonly FunctionDecl[], pos: SourcePos): FunctionDecl | undefined {
  let lo = 0;
  let hi = decls.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const d = decls[mid]!;
    if (d.line < pos.line || (d.line === pos.line && d.column < pos.column)) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? decls[lo - 1] : undefined;
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
