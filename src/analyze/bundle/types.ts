import type { Finding } from '../finding.js';

/** One original file of a bundle and the bytes of the bundle it accounts for. */
export interface BundleFile {
  path: string;
  kind: 'package' | 'app' | 'runtime';
  /** npm package, for kind 'package'. */
  package?: string;
  bytes: number;
}

/** One copy of a package (its folder), when a bundle holds more than one. */
export interface PackageCopy {
  root: string;
  version?: string;
  bytes: number;
  files: number;
}

/**
 * How a package's compressed size was found: by compressing the bundle
 * without the package's bytes (what removing it would really save), or as
 * its share of the raw bytes times the bundle's compressed size (an
 * estimate, for packages too small to be worth a compression each).
 */
export type CompressedMethod = 'leave-one-out' | 'proportional';

export interface BundlePackage {
  name: string;
  bytes: number;
  files: number;
  /** Share of the bundle's bytes. */
  share: number;
  /** Compressed bytes that removing the package would save (gzip), when compression was asked for. */
  gzip?: number;
  gzipMethod?: CompressedMethod;
  /** Version, when every copy's path says it (pnpm, Yarn). */
  version?: string;
  /** Every copy, when there is more than one. */
  copies?: PackageCopy[];
}

/** One generated file. Its raw bytes add up: packages + app + runtime + unmapped = bytes. */
export interface BundleReport {
  file: string;
  bytes: number;
  /** The whole file compressed (gzip -9, brotli quality 11), null when not asked for. */
  gzip: number | null;
  brotli: number | null;
  /** Where the map came from (a path, or `inline`), null when none was found or it could not be read. */
  map: string | null;
  packages: BundlePackage[];
  /** The app's own code: sources outside node_modules. */
  app: { bytes: number; files: number };
  /** The bundler's own runtime (webpack's bootstrap, Rollup's helpers) when the map names it. */
  runtime: number;
  /** Bytes no source owns: bundler glue the map does not cover, comments between modules, the map reference. */
  unmapped: number;
  files: BundleFile[];
  warnings: string[];
}

/** The browsers polyfills were judged against. */
export interface TargetsUsed {
  query: string;
  /** Where the query came from: `--targets`, a `.browserslistrc`, `package.json`, or browserslist's defaults. */
  from: string;
  browsers: string[];
}

export interface BundleAnalysis {
  bundles: BundleReport[];
  findings: Finding[];
  /** What compression was done: `none`, `gzip` (whole file and per package), or `all` (brotli too). */
  compression: CompressionLevel;
  targets: TargetsUsed | null;
}

export type CompressionLevel = 'none' | 'gzip' | 'all';
