import type { Bundle } from '../../model/bundle.js';
import { sortFindings } from '../finding.js';
import { attributeBundle, type Attributed } from './attributed.js';
import { brotliSize, gzipSaved, gzipSize, pooled } from './compress.js';
import { bundleFindings } from './findings.js';
import { holdsPolyfills } from './polyfills.js';
import type { BundleAnalysis, BundleFile, BundlePackage, BundleReport, CompressionLevel, PackageCopy, TargetsUsed } from './types.js';

export type * from './types.js';
export { attributeBundle, type Attributed } from './attributed.js';
export { originOf, displayPath, type Origin } from './origin.js';
export { compareBundles, bundleHeadlines, stableName, type BundleComparison, type SizeDelta, type PackageDelta, type FileDelta, type BundleDelta, type EntryChange } from './compare.js';
export { checkBudgets, parseBudgets, parseSize, globToRegExp, type Budgets, type BudgetResult, type BudgetCheck } from './budgets.js';

export interface AnalyzeOptions {
  /** Default 'gzip': gzip of each file and per package; 'all' adds brotli-11 of each file (slow on big files). */
  compression?: CompressionLevel;
  /** Browsers for the polyfill finding (null: it does not run). */
  /**
   * A function is called only when a bundle holds polyfills (core-js, regenerator-runtime, babel-polyfill):
   * resolving a browserslist query loads its caniuse data, which most bundles never need.
   */
  targets?: TargetsUsed | null | (() => TargetsUsed);
  /** Packages at or above this share of a bundle get a real leave-one-out gzip (default 1%), at most `leaveOneOutMax` per bundle (default 24). */
  leaveOneOutShare?: number;
  leaveOneOutMax?: number;
}

/** Bytes per original file and per package of each bundle, compressed sizes, and findings across them. */
export async function analyzeBundles(bundles: readonly Bundle[], options: AnalyzeOptions = {}): Promise<BundleAnalysis> {
  const compression = options.compression ?? 'gzip';
  const attributed = bundles.map(attributeBundle);
  const reports = await Promise.all(attributed.map((a) => reportFor(a, compression, options)));
  const option = options.targets ?? null;
  const targets = typeof option === 'function' ? (attributed.some(holdsPolyfills) ? option() : null) : option;
  const findings = sortFindings(bundleFindings(attributed, reports, { targets }));
  return { bundles: reports, findings, compression, targets };
}

async function reportFor(a: Attributed, compression: CompressionLevel, options: AnalyzeOptions): Promise<BundleReport> {
  const { bundle } = a;
  const size = bundle.code.length;
  // Started first: compression runs in the thread pool while the tables are built here.
  const gzipWhole = compression === 'none' ? null : gzipSize(bundle.code);
  const brotliWhole = compression === 'all' ? brotliSize(bundle.code) : null;
  const files: BundleFile[] = [];
  let app = 0;
  let appFiles = 0;
  let runtime = 0;
  const groups = new Map<string, { sources: number[]; copies: Map<string, PackageCopy> }>();
  a.origins.forEach((o, i) => {
    const bytes = a.perSource[i]!;
    if (bytes === 0) return;
    files.push(o.package ? { path: o.path, kind: o.kind, package: o.package, bytes } : { path: o.path, kind: o.kind, bytes });
    if (o.kind === 'runtime') runtime += bytes;
    else if (o.kind === 'app') {
      app += bytes;
      appFiles++;
    } else {
      let g = groups.get(o.package!);
      if (!g) groups.set(o.package!, (g = { sources: [], copies: new Map() }));
      g.sources.push(i);
      const copy = g.copies.get(o.root!) ?? { root: o.root!, ...(o.version ? { version: o.version } : {}), bytes: 0, files: 0 };
      copy.bytes += bytes;
      copy.files++;
      g.copies.set(o.root!, copy);
    }
  });
  files.sort((x, y) => y.bytes - x.bytes || x.path.localeCompare(y.path));
  const packages = [...groups].map(([name, g]): BundlePackage & { sources: number[] } => {
    const copies = [...g.copies.values()].sort((x, y) => y.bytes - x.bytes);
    const bytes = copies.reduce((s, c) => s + c.bytes, 0);
    const versions = new Set(copies.map((c) => c.version));
    const version = versions.size === 1 ? copies[0]!.version : undefined;
    return {
      name,
      bytes,
      files: copies.reduce((s, c) => s + c.files, 0),
      share: size > 0 ? bytes / size : 0,
      ...(version ? { version } : {}),
      ...(copies.length > 1 ? { copies } : {}),
      sources: g.sources,
    };
  });
  packages.sort((x, y) => y.bytes - x.bytes || x.name.localeCompare(y.name));
  const gzip = gzipWhole ? await gzipWhole : null;
  if (gzip !== null) await packageGzip(a, packages, gzip, options);
  return {
    file: bundle.file,
    bytes: size,
    gzip,
    brotli: brotliWhole ? await brotliWhole : null,
    map: bundle.mapSource,
    packages: packages.map(({ sources: _, ...p }) => p),
    app: { bytes: app, files: appFiles },
    runtime,
    unmapped: a.unmapped,
    files,
    warnings: a.warnings,
  };
}

/**
 * Per package, the gzip bytes removing it would save: leave-one-out for the
 * largest (≥ 1% of the file, at most 24), two at a time; a proportional
 * estimate for the rest, marked as such.
 */
async function packageGzip(a: Attributed, packages: (BundlePackage & { sources: number[] })[], whole: number, options: AnalyzeOptions): Promise<void> {
  const size = a.bundle.code.length;
  const minShare = options.leaveOneOutShare ?? 0.01;
  const max = options.leaveOneOutMax ?? 24;
  const exact = packages.filter((p) => p.share >= minShare).slice(0, max);
  const saved = await pooled(
    exact.map((p) => () => gzipSaved(a.bundle.code, a.spans, new Set(p.sources), whole)),
    2,
  );
  exact.forEach((p, i) => {
    p.gzip = saved[i]!;
    p.gzipMethod = 'leave-one-out';
  });
  for (const p of packages) {
    if (p.gzipMethod) continue;
    p.gzip = size > 0 ? Math.round((p.bytes / size) * whole) : 0;
    p.gzipMethod = 'proportional';
  }
}
