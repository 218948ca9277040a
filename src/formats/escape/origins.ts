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
export function linkInlinedCopies(report: EscapeReport): void {
  const callsAt = groupBy(report.inlineCalls, posKey);
  if (callsAt.size === 0) return;
  const bodies = new FunctionBodies(report.functions, report.packages);
  const heapSites = report.sites.filter((s) => isHeapDecision(s.decision));
  const resolve = (site: EscapeSite, depth: number): SourcePos | undefined => {
    const calls = callsAt.get(posKey(site));
    if (!calls || depth > MAX_INLINE_DEPTH) return undefined;
    for (const call of calls) {
      const inner = originIn(bodies.lookup(call), site, heapSites);
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

function pick(p: SourcePos): SourcePos {
  return { file: p.file, line: p.line, column: p.column };
}

/** The site in `body` this inlined copy came from: same expression, else the only heap site of its kind. */
function originIn(body: BodyRange | undefined, copy: EscapeSite, heapSites: EscapeSite[]): EscapeSite | undefined {
  if (!body) return undefined;
  const inBody = heapSites.filter(
    (s) => s !== copy && s.decision === copy.decision && s.file === body.file && s.line >= body.from && s.line < body.to,
  );
  const same = inBody.filter((s) => s.expr === copy.expr);
  if (same.length > 0) return same[0];
  return inBody.length === 1 ? inBody[0] : undefined;
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
    const next = this.starts.get(decl.file)?.find((line) => line > decl.line);
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
    if (!decls) continue;
    let enclosing: FunctionDecl | undefined;
    for (const d of decls) if (d.line < site.line || (d.line === site.line && d.column < site.column)) enclosing = d;
    if (enclosing) site.function = enclosing.name;
  }
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
