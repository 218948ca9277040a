import { createRequire } from 'node:module';
import type { Evidence, Finding, Severity } from '../finding.js';
import { formatBytes } from '../../model/units.js';
import type { Attributed } from './attributed.js';
import type { BundleReport, TargetsUsed } from './types.js';

/**
 * Polyfills the target browsers do not need, decided as babel-preset-env
 * and the seed decide them: core-js-compat's data says, per core-js module,
 * from which version of each browser it is no longer needed. A module
 * bundled for targets that all have the feature is dead weight.
 *
 * core-js modules are recognised by path (`core-js/modules/es.array.at.js`;
 * core-js 2's `es6.`/`es7.` names, as babel-polyfill bundles them, are
 * read as their core-js 3 equivalents). What would remain is the needed
 * modules and the shared helpers (`internals/`) they require, followed
 * through the embedded sources; without them, all helpers (an upper bound).
 * regenerator-runtime is needed only where generators or async functions
 * are missing.
 */

type Compat = (options: { targets: readonly string[]; modules: readonly string[] }) => { list: string[] };
interface CompatModule {
  compat: Compat;
  data: Record<string, unknown>;
}

let compatModule: CompatModule | undefined;
/** Loaded on first use: its data is ~1 MB of JSON that most runs never need. */
function coreJsCompat(): CompatModule {
  compatModule ??= createRequire(import.meta.url)('core-js-compat') as CompatModule;
  return compatModule;
}

const CORE_JS_MODULE = /^modules\/((?:es|esnext|web)\d*\.[\w.-]+)\.js$/;

/** core-js 2 names (`es6.array.from`, `es7.array.includes`) → core-js 3's (`es.array.from`, `es.array.includes`). */
function modernName(name: string): string {
  return name.replace(/^es[67]\./, 'es.');
}

/**
 * The first versions with both generators and async functions, from
 * @babel/compat-data's `transform-async-to-generator` and
 * `transform-regenerator` entries (the later of the two per browser), keyed
 * by browserslist's browser names. A target not listed needs the runtime.
 */
const NATIVE_ASYNC: Record<string, number> = {
  chrome: 55,
  and_chr: 55,
  android: 55,
  edge: 15,
  firefox: 53,
  and_ff: 53,
  safari: 11,
  ios_saf: 11,
  opera: 42,
  op_mob: 42,
  samsung: 6,
  node: 7.6,
};

function needsRegenerator(browsers: readonly string[]): string[] {
  return browsers.filter((b) => {
    const [name, version] = b.split(' ');
    const since = NATIVE_ASYNC[name!];
    const v = parseFloat((version ?? '').split('-')[0]!);
    return since === undefined || !(v >= since);
  });
}

/**
 * Bytes of the core-js internals the kept modules still need: the closure
 * of `require('../internals/NAME')` over their sources (the map's
 * sourcesContent), internals requiring internals. Null when a source is not
 * embedded, so the closure cannot be followed.
 */
function keptInternals(a: Attributed, roots: readonly number[], internals: ReadonlyMap<string, number>): number | null {
  const seen = new Set<number>();
  const queue = [...roots];
  let bytes = 0;
  while (queue.length) {
    const source = queue.pop()!;
    const text = a.bundle.map?.content(source);
    if (text === null || text === undefined) return null;
    for (const m of text.matchAll(/require\(\s*['"](?:\.\.\/internals|\.)\/([\w.-]+?)(?:\.js)?['"]\s*\)/g)) {
      const i = internals.get(m[1]!);
      if (i === undefined || seen.has(i)) continue;
      seen.add(i);
      bytes += a.perSource[i]!;
      queue.push(i);
    }
  }
  return bytes;
}

/** Packages whose modules are polyfills: core-js in its forms, babel-polyfill (core-js 2 inside), and regenerator-runtime. */
const CORE_JS_PACKAGES: ReadonlySet<string> = new Set(['core-js', 'core-js-pure', 'babel-polyfill', '@babel/polyfill']);

export function holdsPolyfills(a: Attributed): boolean {
  return a.origins.some((o, i) => o.kind === 'package' && a.perSource[i]! > 0 && (CORE_JS_PACKAGES.has(o.package!) || o.package === 'regenerator-runtime'));
}

export function polyfillFindings(a: Attributed, r: BundleReport, targets: TargetsUsed | null): Finding[] {
  if (!targets) return [];
  const modules = new Map<string, number>();
  /** Source index of each bundled core-js module, and of each internal helper by name. */
  const moduleSource = new Map<string, number>();
  const internalSource = new Map<string, number>();
  let internals = 0;
  let regenerator = 0;
  a.origins.forEach((o, i) => {
    const bytes = a.perSource[i]!;
    if (o.kind !== 'package' || bytes === 0) return;
    if (o.package === 'regenerator-runtime') regenerator += bytes;
    if (!CORE_JS_PACKAGES.has(o.package!)) return;
    const inner = o.path.slice(o.root!.length + 1);
    const m = CORE_JS_MODULE.exec(inner);
    if (m) {
      modules.set(modernName(m[1]!), (modules.get(modernName(m[1]!)) ?? 0) + bytes);
      moduleSource.set(modernName(m[1]!), i);
    } else {
      internals += bytes;
      const helper = /^internals\/(.+)\.js$/.exec(inner);
      if (helper) internalSource.set(helper[1]!, i);
    }
  });
  const out: Finding[] = [];
  const softened = targets.from === 'browserslist defaults';
  const severity = (bytes: number): Severity => {
    const s: Severity = bytes >= 100 * 1024 ? 'high' : bytes >= 20 * 1024 ? 'medium' : 'low';
    return softened ? (s === 'high' ? 'medium' : 'low') : s;
  };
  const targetEvidence: Evidence[] = [
    { label: 'targets', value: `${targets.query} (from ${targets.from})` },
    { label: 'browsers', value: targets.browsers.length, unit: 'count' },
  ];
  if (modules.size > 0) {
    const { compat, data } = coreJsCompat();
    const known = [...modules.keys()].filter((m) => m in data);
    const needed = new Set(compat({ targets: targets.browsers, modules: known }).list);
    const unneeded = known.filter((m) => !needed.has(m));
    const unneededBytes = unneeded.reduce((s, m) => s + modules.get(m)!, 0);
    const total = [...modules.values()].reduce((s, b) => s + b, 0) + internals;
    if (unneededBytes >= 2 * 1024) {
      const kept = keptInternals(a, [...needed].filter((m) => moduleSource.has(m)).map((m) => moduleSource.get(m)!), internalSource);
      const remain = kept === null ? total - unneededBytes : total - unneededBytes - (internals - kept);
      const remainLabel = kept === null ? 'would remain (needed modules and all shared internals: an upper bound, the map has no sources to follow)' : 'would remain (needed modules and the internals they require)';
      const saved = total - remain;
      out.push({
        kind: 'unneeded-polyfill',
        severity: severity(saved),
        title: `${unneeded.length} of ${modules.size} core-js modules are not needed by the target browsers: ${formatBytes(saved)} with the helpers only they use (${formatBytes(remain)} would remain)`,
        location: { function: 'core-js' },
        evidence: [
          { label: 'saved', value: saved, unit: 'bytes' },
          { label: 'unneeded modules\' bytes', value: unneededBytes, unit: 'bytes' },
          { label: 'unneeded modules', value: unneeded.length, unit: 'count' },
          { label: 'core-js bytes', value: total, unit: 'bytes' },
          { label: remainLabel, value: remain, unit: 'bytes' },
          { label: 'needed modules', value: known.length - unneeded.length, unit: 'count' },
          ...targetEvidence,
          { label: 'largest unneeded', value: unneeded.sort((x, y) => modules.get(y)! - modules.get(x)!).slice(0, 8).join(', ') },
          { label: 'bundle', value: r.file },
        ],
        advice:
          "Import polyfills by need, not in bulk: babel-preset-env with `useBuiltIns: 'usage'` and `corejs: 3` (or core-js-compat with your browserslist) adds only what the targets lack; drop `import 'core-js'` / `core-js/stable` / `@babel/polyfill`.",
      });
    }
  }
  if (regenerator > 0 && needsRegenerator(targets.browsers).length === 0) {
    out.push({
      kind: 'unneeded-polyfill',
      severity: severity(regenerator),
      title: `regenerator-runtime is bundled (${formatBytes(regenerator)}) but every target browser has generators and async functions`,
      location: { function: 'regenerator-runtime' },
      evidence: [{ label: 'bytes', value: regenerator, unit: 'bytes' }, ...targetEvidence, { label: 'bundle', value: r.file }],
      advice: 'Stop transpiling generators and async functions for these targets (babel-preset-env with this browserslist does it), then drop the regenerator-runtime import.',
    });
  }
  return out;
}
