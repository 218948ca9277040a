import { FormatError } from '../../formats/errors.js';
import type { BundleAnalysis } from './types.js';

/**
 * Size budgets, checked in CI (size-limit's job, for files and packages):
 *
 *   "footprint": { "budgets": {
 *     "files": [{ "path": "dist/*.js", "bytes": "300 KiB", "gzip": "100 KiB", "brotli": "90 KiB" }],
 *     "packages": { "lodash": "30 KiB", "moment": { "gzip": "20 kB" } } } }
 *
 * in package.json, or the same object in .footprintrc.json. A size is a
 * number of bytes or a string with a unit (B, kB/MB = 1000, KiB/MiB = 1024).
 * A file budget applies to each bundle whose path (or name) matches the
 * glob; a package budget to the package's bytes summed over the bundles read.
 */

export type Metric = 'bytes' | 'gzip' | 'brotli';

export interface FileBudget {
  path: string;
  limits: Partial<Record<Metric, number>>;
}

export interface Budgets {
  files: FileBudget[];
  packages: { name: string; limits: Partial<Record<'bytes' | 'gzip', number>> }[];
}

export interface BudgetCheck {
  target: 'file' | 'package';
  name: string;
  /** The glob, for a file budget. */
  rule?: string;
  metric: Metric;
  limit: number;
  /** null when the size was not measured (gzip with --compress none). */
  actual: number | null;
  over: boolean;
}

export interface BudgetResult {
  checks: BudgetCheck[];
  over: number;
  /** Budgets that matched nothing: a glob with no bundle, a package not bundled (not a failure, but likely a typo). */
  unmatched: string[];
}

const UNITS: Record<string, number> = { b: 1, kb: 1000, mb: 1e6, gb: 1e9, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 };

export function parseSize(value: unknown, where: string, source: string): number {
  if (typeof value === 'number' && value >= 0) return value;
  const m = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b|b)?\s*$/i.exec(value) : null;
  if (!m) throw new FormatError(`${where}: a size is a number of bytes or "N KiB" / "N kB" / "N MB", got ${JSON.stringify(value)}`, source);
  return Math.round(Number(m[1]) * UNITS[(m[2] ?? 'b').toLowerCase()]!);
}

function limitsOf<K extends string>(raw: unknown, keys: readonly K[], where: string, source: string): Partial<Record<K, number>> {
  if (typeof raw === 'number' || typeof raw === 'string') return { [keys[0]!]: parseSize(raw, where, source) } as Partial<Record<K, number>>;
  if (typeof raw !== 'object' || raw === null) throw new FormatError(`${where}: want a size or { ${keys.join(', ')} }`, source);
  const out: Partial<Record<K, number>> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (k === 'path') continue;
    if (!(keys as readonly string[]).includes(k)) throw new FormatError(`${where}: unknown limit ${JSON.stringify(k)} (want ${keys.join(', ')})`, source);
    out[k as K] = parseSize(v, `${where}.${k}`, source);
  }
  return out;
}

/** The `budgets` object of a footprint config; FormatError (naming `source`) when it is malformed. */
export function parseBudgets(raw: unknown, source: string): Budgets {
  if (typeof raw !== 'object' || raw === null) throw new FormatError('"budgets" must be an object with "files" and/or "packages"', source);
  const r = raw as { files?: unknown; packages?: unknown };
  if (r.files !== undefined && !Array.isArray(r.files)) throw new FormatError('budgets.files must be an array of { path, bytes?, gzip?, brotli? }', source);
  const files = ((r.files as unknown[] | undefined) ?? []).map((f, i): FileBudget => {
    const path = (f as { path?: unknown } | null)?.path;
    if (typeof path !== 'string') throw new FormatError(`budgets.files[${i}] has no "path" glob`, source);
    return { path, limits: limitsOf(f, ['bytes', 'gzip', 'brotli'] as const, `budgets.files[${i}]`, source) };
  });
  if (r.packages !== undefined && (typeof r.packages !== 'object' || r.packages === null || Array.isArray(r.packages))) throw new FormatError('budgets.packages must be an object of package name → size', source);
  const packages = Object.entries((r.packages as Record<string, unknown> | undefined) ?? {}).map(([name, v]) => ({ name, limits: limitsOf(v, ['bytes', 'gzip'] as const, `budgets.packages.${name}`, source) }));
  return { files, packages };
}

/** A glob as a RegExp: `*` within a folder, `**` across folders, `?` one character. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export function checkBudgets(analysis: BundleAnalysis, budgets: Budgets): BudgetResult {
  const checks: BudgetCheck[] = [];
  const unmatched: string[] = [];
  for (const b of budgets.files) {
    const re = globToRegExp(b.path.replace(/^\.\//, ''));
    const hits = analysis.bundles.filter((r) => re.test(r.file.replace(/^\.\//, '')) || re.test(r.file.split('/').pop()!));
    if (hits.length === 0) unmatched.push(`files: ${b.path}`);
    for (const r of hits)
      for (const [metric, limit] of Object.entries(b.limits) as [Metric, number][]) {
        const actual = metric === 'bytes' ? r.bytes : r[metric];
        checks.push({ target: 'file', name: r.file, rule: b.path, metric, limit, actual, over: actual !== null && actual > limit });
      }
  }
  for (const p of budgets.packages) {
    const rows = analysis.bundles.flatMap((r) => r.packages.filter((x) => x.name === p.name));
    if (rows.length === 0) {
      unmatched.push(`packages: ${p.name}`);
      continue;
    }
    for (const [metric, limit] of Object.entries(p.limits) as ['bytes' | 'gzip', number][]) {
      const actual = metric === 'bytes' ? rows.reduce((s, x) => s + x.bytes, 0) : rows.every((x) => x.gzip !== undefined) ? rows.reduce((s, x) => s + x.gzip!, 0) : null;
      checks.push({ target: 'package', name: p.name, metric, limit, actual, over: actual !== null && actual > limit });
    }
  }
  return { checks, over: checks.filter((c) => c.over).length, unmatched };
}
