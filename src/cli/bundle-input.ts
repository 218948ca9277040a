import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { createRequire } from 'node:module';
import type { Bundle } from '../model/bundle.js';
import { FormatError } from '../formats/errors.js';
import { tooLarge, type SizeLimit } from '../formats/limits.js';
import { fileAccess, readExactly, type RandomAccess } from '../formats/random-access.js';
import { decodeSourceMap } from '../formats/sourcemap/decode.js';
import { decodeDataUrl, findMapReference } from '../formats/sourcemap/locate.js';
import { parseBudgets, type BundleAnalysis, type Budgets, type TargetsUsed } from '../analyze/bundle/index.js';
import { fileError } from './input/open.js';
import { UsageError } from './args.js';

/**
 * Reading bundles for `footprint bundle`: files or folders of them, each
 * with its map found as a browser's devtools would find it — the
 * `sourceMappingURL` comment (a file beside it, or an inline `data:` URL),
 * else `FILE.map` beside it, or `--map FILE`. A map that is missing or
 * broken is a warning and the bundle's bytes are unmapped: never a refusal.
 */

const BUNDLE_FILE = /\.(m?js|cjs|css)$/;

/**
 * Bundles and maps are read from disk (a map is found beside its bundle), whole and synchronously:
 * the largest seen are a few tens of MB (the bench's map: 17 MB), so a file past this is not one.
 */
const BUNDLE_LIMIT: SizeLimit = { bytes: 256 * 2 ** 20, what: 'a bundle or source map' };

function readBundleFile(path: string): Uint8Array {
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new FormatError('is a directory, not a file', path);
    if (st.size > BUNDLE_LIMIT.bytes) throw tooLarge(BUNDLE_LIMIT, false, st.size).withSource(path);
    return readFileSync(path);
  } catch (err) {
    throw fileError(err, path);
  }
}

/** The bundle files named: files as given, folders searched (node_modules and maps skipped). */
export function bundlePaths(args: readonly string[]): string[] {
  const out: string[] = [];
  for (const arg of args) {
    if (!existsSync(arg)) throw new FormatError('no such file or folder', arg);
    if (!statSync(arg).isDirectory()) {
      out.push(arg);
      continue;
    }
    const found = walk(arg).filter((f) => BUNDLE_FILE.test(f));
    if (found.length === 0) throw new FormatError('no .js, .mjs, .cjs or .css file in this folder', arg);
    for (const f of found) out.push(f);
  }
  return out;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? (e.name === 'node_modules' ? [] : walk(join(dir, e.name))) : [join(dir, e.name)]));
}

export function loadBundle(path: string, mapPath?: string): Bundle {
  const code = readBundleFile(path);
  const warnings: string[] = [];
  const found = mapPath !== undefined ? { bytes: readBundleFile(mapPath), source: mapPath, file: mapPath } : findMap(path, code, warnings);
  if (!found) {
    warnings.push('no source map found (no sourceMappingURL comment, no .map file beside it): every byte is unmapped');
    return { file: path, code, map: null, mapSource: null, warnings };
  }
  try {
    return { file: path, code, map: decodeSourceMap(found.bytes, found.source, found.file ? readAgain(found.file) : undefined), mapSource: found.source, warnings };
  } catch (err) {
    if (!(err instanceof FormatError)) throw err;
    warnings.push(`source map ${found.source} could not be read (${err.describe()}): every byte is unmapped`);
    return { file: path, code, map: null, mapSource: null, warnings };
  }
}

/** A map's bytes, how reports name it, and the file it was read from (none when inline). */
interface FoundMap {
  bytes: Uint8Array;
  source: string;
  file?: string;
}

/**
 * Reads a byte range of a map file again: `sourcesContent` is most of a map, and only the few sources a
 * finding looks at are read, so the map's bytes are let go once its segments are decoded (17 MB on the
 * bench's bundle, a sixth of footprint's peak memory there).
 */
function readAgain(file: string): (start: number, end: number) => Uint8Array {
  return (start, end) => {
    let access: RandomAccess | undefined;
    try {
      access = fileAccess(file);
      return readExactly(access, start, end - start);
    } catch (err) {
      throw err instanceof FormatError ? err.withSource(file) : fileError(err, file);
    } finally {
      access?.close();
    }
  };
}

function findMap(path: string, code: Uint8Array, warnings: string[]): FoundMap | null {
  const ref = findMapReference(code);
  if (ref) {
    if (ref.url.startsWith('data:')) {
      try {
        return { bytes: decodeDataUrl(ref.url, path), source: 'inline' };
      } catch (err) {
        if (!(err instanceof FormatError)) throw err;
        warnings.push(err.message);
      }
    } else if (/^[a-z][a-z0-9+.-]*:/i.test(ref.url) && !ref.url.startsWith('file:')) {
      warnings.push(`sourceMappingURL is ${ref.url}: not fetched (give the file with --map)`);
    } else {
      const file = resolve(dirname(path), decodeURIComponent(ref.url.replace(/^file:\/\//, '').split(/[?#]/)[0]!));
      if (existsSync(file)) return { bytes: readBundleFile(file), source: shownPath(file), file };
      warnings.push(`sourceMappingURL names ${ref.url}, which does not exist`);
    }
  }
  const beside = `${path}.map`;
  return existsSync(beside) ? { bytes: readBundleFile(beside), source: beside, file: beside } : null;
}

/** A path as a user would type it: relative to the current folder when inside it, else absolute. */
function shownPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel === '' || rel.startsWith('..') ? file : rel;
}

/** A saved `footprint bundle --json` (for --compare), or null when the file is not one. */
export function savedAnalysis(path: string): BundleAnalysis | null {
  if (!path.endsWith('.json') || !existsSync(path) || statSync(path).isDirectory()) return null;
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
  const v = value as Partial<BundleAnalysis> | null;
  if (!v || !Array.isArray(v.bundles) || !Array.isArray(v.findings)) return null;
  return v as BundleAnalysis;
}

type Browserslist = ((query?: string | readonly string[], opts?: { path?: string }) => string[]) & {
  loadConfig: (opts: { path: string }) => string[] | undefined;
};

/**
 * The browsers polyfills are judged against: `--targets QUERY`, else the
 * project's browserslist config (`.browserslistrc`, `package.json`'s
 * `browserslist`, found from the current folder up), else browserslist's
 * defaults — said so, and findings made from them are softened.
 */
export function resolveTargets(query: string | undefined, from = process.cwd()): TargetsUsed {
  const browserslist = createRequire(import.meta.url)('browserslist') as Browserslist;
  const run = (q: string | readonly string[], source: string): TargetsUsed => {
    try {
      return { query: typeof q === 'string' ? q : q.join(', '), from: source, browsers: browserslist(q, { path: from }) };
    } catch (err) {
      throw new UsageError(`${source}: ${(err as Error).message}`);
    }
  };
  if (query !== undefined) return run(query, '--targets');
  const config = browserslist.loadConfig({ path: from });
  if (config && config.length) return run(config, 'browserslist config');
  return run('defaults', 'browserslist defaults');
}

/**
 * The budgets: `--config FILE` (a .footprintrc.json or a package.json), else
 * `.footprintrc.json` or `package.json` ("footprint") in the current folder.
 */
export function loadBudgets(configPath: string | undefined): { budgets: Budgets; source: string } {
  const candidates = configPath !== undefined ? [configPath] : ['.footprintrc.json', 'package.json'].filter((f) => existsSync(f));
  for (const file of candidates) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new FormatError(`cannot read budgets: ${(err as Error).message}`, file);
    }
    const section = file.endsWith('package.json') ? (raw as { footprint?: { budgets?: unknown } }).footprint : (raw as { budgets?: unknown } | null);
    const budgets = (section as { budgets?: unknown } | undefined)?.budgets;
    if (budgets !== undefined) return { budgets: parseBudgets(budgets, file), source: file };
    if (configPath !== undefined) throw new FormatError('has no "budgets" (in package.json: under "footprint")', file);
  }
  throw new UsageError('--check found no budgets: add "footprint": { "budgets": … } to package.json or a .footprintrc.json, or give --config FILE');
}
