// Real JS bundles for the `bundle` tests and benchmark, built with esbuild
// (and one with Rollup) from real npm packages (devDependencies): lodash and
// lodash-es, React, core-js, moment with its locales, and an icon set made of
// simple-icons' SVG files inlined as strings. Each recipe is a small entry
// module; the build writes the bundle, its source map and esbuild's metafile
// (the ground truth: bytesInOutput per input) into a cache folder under the
// system temp directory, keyed by the recipe and the installed versions, so
// a test run builds each bundle once and nothing multi-MB is committed.
//
//   node testdata/generate/bundles.mjs NAME [OUTDIR]    # prints the bundle's path
//
// Plain Node ESM: the tests (src/testkit/bundles.ts) and bench/ import it.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MODULES = join(ROOT, 'node_modules');

/** The icon set: the first `count` SVG files of simple-icons, as one module of string constants. */
function iconModule(count) {
  const dir = join(MODULES, 'simple-icons', 'icons');
  const files = readdirSync(dir).filter((f) => f.endsWith('.svg')).sort().slice(0, count);
  const lines = files.map((f) => `  ${JSON.stringify(f.replace(/\.svg$/, ''))}: ${JSON.stringify(readFileSync(join(dir, f), 'utf8').trim())},`);
  return `// ${files.length} icons from simple-icons, inlined as SVG markup (as icon component libraries ship them)\nexport const icons = {\n${lines.join('\n')}\n};\n`;
}

/** Every locale moment ships, imported one by one (what `import 'moment/min/locales'` or a webpack context does). */
function allMomentLocales() {
  return readdirSync(join(MODULES, 'moment', 'locale'))
    .filter((f) => f.endsWith('.js'))
    .sort()
    .map((f) => `import 'moment/locale/${f}';`)
    .join('\n');
}

/** three.js's example loaders (every file of examples/jsm/loaders), as an app that reads many 3D formats imports them. */
function threeLoaders() {
  return readdirSync(join(MODULES, 'three', 'examples', 'jsm', 'loaders'))
    .filter((f) => f.endsWith('.js'))
    .sort()
    .map((f, i) => `import * as loader${i} from 'three/examples/jsm/loaders/${f}';\nexport { loader${i} };`)
    .join('\n');
}

const PRODUCTION = { 'process.env.NODE_ENV': '"production"' };

/**
 * The recipes. `files` are the app's own modules (entry.js first);
 * `options` are esbuild's. Names say what each bundle is for.
 */
export const RECIPES = {
  /** The whole of lodash for three functions: whole-package-import. */
  'lodash-whole': {
    files: () => ({
      'entry.js': `import _ from 'lodash';\nexport const run = (f) => [_.debounce(f, 100), _.throttle(f, 50), _.chunk([1, 2, 3, 4], 2)];\n`,
    }),
  },
  /** lodash (CommonJS) and lodash-es (its ES-module twin) side by side: duplicate-package. */
  'lodash-twins': {
    files: () => ({
      'entry.js': `import _ from 'lodash';\nimport * as L from 'lodash-es';\nexport const run = (f) => [_.debounce(f, 100), L];\n`,
    }),
  },
  /** 1,200 inline SVG icons: inline-assets. */
  icons: {
    files: () => ({
      'entry.js': `import { icons } from './icons.js';\nexport const icon = (name) => icons[name];\n`,
      'icons.js': iconModule(1200),
    }),
  },
  /** core-js in full for a broad target (what a blanket `import 'core-js'` ships): unneeded-polyfill. */
  polyfill: {
    files: () => ({ 'entry.js': `import 'core-js/stable';\nimport 'regenerator-runtime/runtime.js';\nexport const ok = true;\n` }),
    options: { target: 'es2015' },
    needs: ['regenerator-runtime'],
  },
  /** moment with every locale: large-locale-data. */
  'moment-locales': {
    files: () => ({ 'entry.js': `import moment from 'moment';\n${allMomentLocales()}\nexport const now = () => moment().format('LLLL');\n` }),
  },
  /** A lean app: React, and lodash-es per method. No finding should fire. */
  lean: {
    files: () => ({
      'entry.js': `import { createElement, useState } from 'react';\nimport { createRoot } from 'react-dom/client';\nimport debounce from 'lodash-es/debounce.js';\nimport { label } from './label.js';\nfunction App() { const [n, setN] = useState(0); return createElement('button', { onClick: debounce(() => setN(n + 1), 100) }, label(n)); }\nexport const mount = (el) => createRoot(el).render(createElement(App));\n`,
      'label.js': `export const label = (n) => \`clicked \${n} time\${n === 1 ? '' : 's'} — ünïcödé 😀\`;\n`,
    }),
    options: { define: PRODUCTION },
  },
  /** The seed's case in one bundle: whole lodash, icons, blanket core-js, moment with locales, React. */
  seed: {
    files: () => ({
      'entry.js': `import _ from 'lodash';\nimport 'core-js/stable';\nimport moment from 'moment';\n${allMomentLocales()}\nimport { createElement } from 'react';\nimport { createRoot } from 'react-dom/client';\nimport { icons } from './icons.js';\nconst Icon = ({ name }) => createElement('span', { dangerouslySetInnerHTML: { __html: icons[name] } });\nexport const mount = (el) => createRoot(el).render(createElement('div', null, _.capitalize(moment().format('LL')), createElement(Icon, { name: 'github' })));\n`,
      'icons.js': iconModule(1200),
    }),
    options: { define: PRODUCTION, target: 'es2015' },
  },
  /**
   * The benchmark's bundle: ~3.9 MB minified with a ~16 MB map (sources
   * embedded). React in both its production and development builds (what
   * an unset NODE_ENV does), all of lodash-es, three.js and its example
   * loaders, core-js, moment with every locale, and 400 icons.
   */
  large: {
    files: () => ({
      'entry.js': `import _ from 'lodash';\nimport * as L from 'lodash-es';\nimport * as THREE from 'three';\nimport 'core-js/stable';\nimport moment from 'moment';\n${allMomentLocales()}\nimport { createElement } from 'react';\nimport { createRoot } from 'react-dom/client';\nimport { renderToString } from 'react-dom/server.browser';\nimport { icons } from './icons.js';\n${threeLoaders()}\nexport const mount = (el) => [_, L, THREE, moment, createRoot, renderToString, icons, createElement];\n`,
      'icons.js': iconModule(400),
    }),
    options: { target: 'es2015' },
  },
};

function installedVersion(name) {
  try {
    return JSON.parse(readFileSync(join(MODULES, name, 'package.json'), 'utf8')).version;
  } catch {
    return 'missing';
  }
}

const PACKAGES = ['esbuild', 'rollup', 'lodash', 'lodash-es', 'react', 'react-dom', 'core-js', 'moment', 'simple-icons', 'regenerator-runtime', 'three', 'rxjs'];

/** The cache folder: a hash of the recipes' source (this file) and the installed package versions. */
export function cacheDir() {
  const key = createHash('sha256')
    .update(readFileSync(fileURLToPath(import.meta.url)))
    .update(PACKAGES.map(installedVersion).join(','))
    .digest('hex')
    .slice(0, 12);
  return join(tmpdir(), `footprint-bundles-cache-${key}`);
}

/**
 * Builds the recipe `name` (once: later calls find it in the cache) and
 * returns the paths of the bundle, its map and esbuild's metafile.
 * Options: `minify` (default true), `outDir` (default the cache).
 */
export async function buildBundle(name, { minify = true, outDir = cacheDir() } = {}) {
  const recipe = RECIPES[name];
  if (!recipe) throw new Error(`no bundle recipe ${name}`);
  const tag = `${name}${minify ? '' : '.dev'}`;
  const dir = join(outDir, tag);
  const result = { js: join(dir, 'out', `${name}.js`), map: join(dir, 'out', `${name}.js.map`), meta: join(dir, 'meta.json'), dir };
  if (existsSync(result.meta)) return result;
  // Built in a private folder and renamed into place, so parallel test files never see half a build.
  const work = `${dir}.tmp-${process.pid}-${Date.now()}`;
  mkdirSync(work, { recursive: true });
  for (const [file, text] of Object.entries(recipe.files())) writeFileSync(join(work, file), text);
  const esbuild = await import('esbuild');
  const built = await esbuild.build({
    absWorkingDir: work,
    entryPoints: [join(work, 'entry.js')],
    bundle: true,
    minify,
    format: 'esm',
    sourcemap: true,
    metafile: true,
    outfile: join(work, 'out', `${name}.js`),
    nodePaths: [MODULES],
    logLevel: 'error',
    ...recipe.options,
  });
  writeFileSync(join(work, 'meta.json'), JSON.stringify(built.metafile));
  mkdirSync(dirname(dir), { recursive: true });
  try {
    renameSync(work, dir);
  } catch {
    rmSync(work, { recursive: true, force: true }); // another process won the race; its build is the same
  }
  return result;
}

/**
 * lodash-es bundled by Rollup (a second source-map dialect: magic-string's
 * segments, `names`, no esbuild conventions), with Rollup's own rendering of
 * each module (its code, in UTF-8 bytes) as the truth. Returns the paths.
 */
export async function buildRollupBundle({ outDir = cacheDir() } = {}) {
  const dir = join(outDir, 'rollup-lodash-es');
  const result = { js: join(dir, 'out', 'bundle.js'), map: join(dir, 'out', 'bundle.js.map'), meta: join(dir, 'rendered.json'), dir };
  if (existsSync(result.meta)) return result;
  const work = `${dir}.tmp-${process.pid}-${Date.now()}`;
  mkdirSync(join(work, 'out'), { recursive: true });
  writeFileSync(join(work, 'entry.js'), `import { debounce, throttle, chunk, groupBy, sortBy, uniq } from 'lodash-es';\nexport const run = (f) => [debounce(f, 1), throttle(f, 2), chunk([1, 2], 1), groupBy([], 'a'), sortBy([]), uniq([])];\n`);
  const { rollup } = await import('rollup');
  const resolver = {
    name: 'node-modules',
    resolveId(id) {
      if (id.startsWith('.') || id.startsWith('/')) return null;
      const [pkg, ...rest] = id.split('/');
      const manifest = JSON.parse(readFileSync(join(MODULES, pkg, 'package.json'), 'utf8'));
      return join(MODULES, pkg, rest.length ? rest.join('/') : manifest.module ?? manifest.main ?? 'index.js');
    },
  };
  const bundle = await rollup({ input: join(work, 'entry.js'), plugins: [resolver], logLevel: 'silent' });
  const { output } = await bundle.write({ file: join(work, 'out', 'bundle.js'), format: 'es', sourcemap: true });
  const chunk = output.find((o) => o.type === 'chunk');
  // renderedLength counts UTF-16 units; the module's rendered code in UTF-8 is its bytes in the file.
  const rendered = Object.fromEntries(Object.entries(chunk.modules).map(([id, m]) => [id, Buffer.byteLength(m.code ?? '')]));
  writeFileSync(join(work, 'rendered.json'), JSON.stringify(rendered));
  try {
    renameSync(work, dir);
  } catch {
    rmSync(work, { recursive: true, force: true });
  }
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [name, outDir] = process.argv.slice(2);
  const built = name === 'rollup' ? await buildRollupBundle({ outDir }) : await buildBundle(name, { outDir });
  process.stdout.write(`${built.js}\n`);
}
