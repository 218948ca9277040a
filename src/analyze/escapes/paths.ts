import { maxOf } from '../stats.js';

/**
 * Matching the compiler's paths to a profile's. The same file is spelled
 * `./main.go` (go build in the package dir), `pkg/main.go` (from the module
 * root), `/abs/mod/pkg/main.go` (no -trimpath), `example.com/mod/pkg/main.go`
 * (-trimpath, and in a -trimpath binary's profile), `file:///abs/…` (-json) or
 * `C:\src\pkg\main.go`. Files match on their name and as many trailing
 * directories as both spell; a relative compiler path also counts as
 * `<import path>/<name>`, which is how -trimpath spells it. Ties go to the
 * package the profile's function belongs to, and a remaining tie matches
 * nothing rather than guess.
 */

/** Path segments without `.`, empty parts, leading `..`, URI scheme or drive letter. */
export function pathSegments(path: string): string[] {
  const p = path.replace(/^file:\/\//, '').replace(/\\/g, '/').replace(/^[A-Za-z]:\//, '/');
  return p.split('/').filter((s) => s !== '' && s !== '.' && s !== '..');
}

function isRelative(path: string): boolean {
  return !path.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(path) && !path.startsWith('file://');
}

/** How many trailing segments two paths share. */
function sharedTail(a: readonly string[], b: readonly string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}

/** The package of a Go function symbol: `example.com/x.(*T).M` → `example.com/x`, `main.f.func1` → `main`. */
export function symbolPackage(fn: string): string | undefined {
  const bracket = fn.indexOf('[');
  const name = bracket >= 0 ? fn.slice(0, bracket) : fn;
  const slash = name.lastIndexOf('/');
  const dot = name.indexOf('.', slash + 1);
  return dot > 0 ? name.slice(0, dot) : undefined;
}

/**
 * Whether a compiler package (import path from `# pkg`, or `main` from -json)
 * can be the package of a profile function. A command's functions are
 * `main.F` whatever its import path, so `main` fits any package.
 */
function packageFits(compilerPkg: string | undefined, symbolPkg: string | undefined): boolean {
  if (!compilerPkg || !symbolPkg || symbolPkg === 'main') return true;
  return compilerPkg === symbolPkg;
}

/** A source file as the compiler named it, with the spellings it can be matched by. */
export interface CompilerFile {
  file: string;
  package?: string;
}

interface Candidate extends CompilerFile {
  spellings: string[][];
}

export class PathMatcher {
  private readonly byName = new Map<string, Candidate[]>();
  private readonly cache = new Map<string, CompilerFile | null>();

  constructor(files: Iterable<CompilerFile>) {
    const seen = new Set<string>();
    for (const f of files) {
      const key = `${f.package ?? ''}\0${f.file}`;
      if (seen.has(key) || f.file.startsWith('<')) continue;
      seen.add(key);
      const segs = pathSegments(f.file);
      const name = segs[segs.length - 1];
      if (name === undefined) continue;
      const spellings = [segs];
      if (isRelative(f.file) && f.package?.includes('/')) spellings.push([...f.package.split('/'), name]);
      const list = this.byName.get(name) ?? [];
      list.push({ ...f, spellings });
      this.byName.set(name, list);
    }
  }

  /** The compiler file a profile frame's file is, or undefined when none (or no single one) fits. */
  match(profileFile: string, functionName?: string): CompilerFile | undefined {
    const fnPkg = functionName ? symbolPackage(functionName) : undefined;
    const key = `${profileFile}\0${fnPkg ?? ''}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const found = this.find(profileFile, fnPkg);
    this.cache.set(key, found ?? null);
    return found;
  }

  private find(profileFile: string, fnPkg: string | undefined): CompilerFile | undefined {
    const segs = pathSegments(profileFile);
    const candidates = (this.byName.get(segs[segs.length - 1] ?? '') ?? []).filter((c) => packageFits(c.package, fnPkg));
    let best: Candidate[] = [];
    let bestScore = 0;
    for (const c of candidates) {
      const score = maxOf(c.spellings.map((s) => sharedTail(s, segs)));
      if (score > bestScore) [best, bestScore] = [[c], score];
      else if (score === bestScore) best.push(c);
    }
    if (best.length > 1) {
      const exact = best.filter((c) => fnPkg !== undefined && c.package === fnPkg);
      if (exact.length === 1) best = exact;
    }
    return best.length === 1 ? { file: best[0]!.file, ...(best[0]!.package ? { package: best[0]!.package } : {}) } : undefined;
  }
}
