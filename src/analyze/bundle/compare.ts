import { compareReadings, type Comparison, type Headline } from '../compare.js';
import type { BundleAnalysis } from './types.js';

/**
 * Two builds side by side: per package and per file, raw and gzip bytes
 * before and after; packages and files that appeared or vanished; the
 * totals; and the findings matched one to one (analyze/compare.ts, the
 * mechanism every domain shares).
 */

export type EntryChange = 'new' | 'gone' | 'grew' | 'shrank' | 'same';

export interface SizeDelta {
  before: number | null;
  after: number | null;
  delta: number;
}

export interface PackageDelta {
  name: string;
  change: EntryChange;
  bytes: SizeDelta;
  /** gzip bytes the package accounts for (leave-one-out or proportional, as each side measured them). */
  gzip: SizeDelta | null;
}

export interface FileDelta {
  path: string;
  package?: string;
  change: EntryChange;
  bytes: SizeDelta;
}

export interface BundleDelta {
  /** The file name with any content hash taken out (`main.3f9a2c1b.js` → `main.js`): how builds are matched. */
  name: string;
  change: EntryChange;
  bytes: SizeDelta;
  gzip: SizeDelta | null;
  brotli: SizeDelta | null;
}

export interface BundleComparison extends Comparison {
  bundles: BundleDelta[];
  packages: PackageDelta[];
  files: FileDelta[];
}

/** `main.3f9a2c1b.js`, `main-3F9A2C1B.js`, `chunk.a1b2c3d4e5.min.js` → `main.js`, `chunk.min.js`. */
export function stableName(file: string): string {
  // A hash has a digit: `app-facade.js` and `react-dom.production.js` keep their names.
  const hashOnly = (m: string) => (/\d/.test(m) ? '' : m);
  return file.replace(/[.-][0-9a-zA-Z_]{8,}(?=\.[a-z]+$|\.min\.[a-z]+$)/, hashOnly).replace(/[.-][0-9a-f]{6,}(?=\.)/, hashOnly);
}

function delta(before: number | null | undefined, after: number | null | undefined): SizeDelta {
  const b = before ?? null;
  const a = after ?? null;
  return { before: b, after: a, delta: (a ?? 0) - (b ?? 0) };
}

function changeOf(d: SizeDelta): EntryChange {
  if (d.before === null) return 'new';
  if (d.after === null) return 'gone';
  return d.delta > 0 ? 'grew' : d.delta < 0 ? 'shrank' : 'same';
}

function sum<T>(map: Map<string, T>, key: string, value: T, add: (x: T, y: T) => T): void {
  const had = map.get(key);
  map.set(key, had === undefined ? value : add(had, value));
}

function packageTotals(a: BundleAnalysis): Map<string, { bytes: number; gzip: number | null }> {
  const m = new Map<string, { bytes: number; gzip: number | null }>();
  for (const b of a.bundles)
    for (const p of b.packages) sum(m, p.name, { bytes: p.bytes, gzip: p.gzip ?? null }, (x, y) => ({ bytes: x.bytes + y.bytes, gzip: x.gzip === null || y.gzip === null ? null : x.gzip + y.gzip }));
  return m;
}

function fileTotals(a: BundleAnalysis): Map<string, { bytes: number; package?: string }> {
  const m = new Map<string, { bytes: number; package?: string }>();
  for (const b of a.bundles) for (const f of b.files) sum(m, f.path, f.package ? { bytes: f.bytes, package: f.package } : { bytes: f.bytes }, (x, y) => ({ ...x, bytes: x.bytes + y.bytes }));
  return m;
}

/** Largest moves first; unchanged last. */
function byMove<T extends { bytes: SizeDelta }>(xs: T[]): T[] {
  return xs.sort((x, y) => Math.abs(y.bytes.delta) - Math.abs(x.bytes.delta));
}

export function bundleHeadlines(a: BundleAnalysis): Headline[] {
  const total = (f: (b: BundleAnalysis['bundles'][number]) => number | null) => {
    const vs = a.bundles.map(f);
    return vs.some((v) => v === null) ? null : vs.reduce<number>((s, v) => s + v!, 0);
  };
  return [
    { label: 'bytes', value: total((b) => b.bytes), unit: 'bytes' },
    { label: 'gzip', value: total((b) => b.gzip), unit: 'bytes' },
    { label: 'brotli', value: total((b) => b.brotli), unit: 'bytes' },
    { label: 'app code', value: total((b) => b.app.bytes), unit: 'bytes' },
    { label: 'packages', value: new Set(a.bundles.flatMap((b) => b.packages.map((p) => p.name))).size, unit: 'count' },
    { label: 'unmapped', value: total((b) => b.unmapped), unit: 'bytes' },
  ];
}

export function compareBundles(before: { source: string; analysis: BundleAnalysis }, after: { source: string; analysis: BundleAnalysis }): BundleComparison {
  const base = compareReadings(
    { source: before.source, findings: before.analysis.findings, headlines: bundleHeadlines(before.analysis) },
    { source: after.source, findings: after.analysis.findings, headlines: bundleHeadlines(after.analysis) },
  );
  const pb = packageTotals(before.analysis);
  const pa = packageTotals(after.analysis);
  const packages = byMove(
    [...new Set([...pb.keys(), ...pa.keys()])].map((name): PackageDelta => {
      const bytes = delta(pb.get(name)?.bytes, pa.get(name)?.bytes);
      const gb = pb.get(name)?.gzip;
      const ga = pa.get(name)?.gzip;
      return { name, change: changeOf(bytes), bytes, gzip: gb === null || ga === null || (gb === undefined && ga === undefined) ? null : delta(gb, ga) };
    }),
  );
  const fb = fileTotals(before.analysis);
  const fa = fileTotals(after.analysis);
  const files = byMove(
    [...new Set([...fb.keys(), ...fa.keys()])].map((path): FileDelta => {
      const bytes = delta(fb.get(path)?.bytes, fa.get(path)?.bytes);
      const pkg = (fa.get(path) ?? fb.get(path))!.package;
      return pkg ? { path, package: pkg, change: changeOf(bytes), bytes } : { path, change: changeOf(bytes), bytes };
    }),
  );
  const byName = (a: BundleAnalysis) => new Map(a.bundles.map((b) => [stableName(b.file.split('/').pop()!), b]));
  const bb = byName(before.analysis);
  const ba = byName(after.analysis);
  const bundles = [...new Set([...bb.keys(), ...ba.keys()])].map((name): BundleDelta => {
    const x = bb.get(name);
    const y = ba.get(name);
    const bytes = delta(x?.bytes, y?.bytes);
    const opt = (f: 'gzip' | 'brotli') => ((x && x[f] === null) || (y && y[f] === null) ? null : delta(x?.[f], y?.[f]));
    return { name, change: changeOf(bytes), bytes, gzip: opt('gzip'), brotli: opt('brotli') };
  });
  return { ...base, bundles, packages, files };
}
