/**
 * Real bundles for tests, built by testdata/generate/bundles.mjs with esbuild
 * (and Rollup) from real npm packages, cached under the system temp folder.
 */

export interface BuiltBundle {
  js: string;
  map: string;
  /** esbuild's metafile (bytesInOutput per input), or Rollup's rendered lengths. */
  meta: string;
  dir: string;
}

export type Recipe = 'lodash-whole' | 'lodash-twins' | 'icons' | 'polyfill' | 'moment-locales' | 'lean' | 'seed' | 'large';

interface Generator {
  buildBundle(name: Recipe, options?: { minify?: boolean }): Promise<BuiltBundle>;
  buildRollupBundle(): Promise<BuiltBundle>;
}

const generator = async () => (await import(new URL('../../testdata/generate/bundles.mjs', import.meta.url).href)) as Generator;

export const buildBundle = async (name: Recipe, options?: { minify?: boolean }) => (await generator()).buildBundle(name, options);
export const buildRollupBundle = async () => (await generator()).buildRollupBundle();

/** esbuild's metafile, reduced to what the tests compare: bytesInOutput per input path. */
export interface Metafile {
  outputs: Record<string, { bytes: number; inputs: Record<string, { bytesInOutput: number }>; entryPoint?: string }>;
}
