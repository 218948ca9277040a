import type { Evidence, Finding, Severity } from '../finding.js';
import { formatBytes, formatCount } from '../../model/units.js';
import type { Attributed } from './attributed.js';
import { findInlineAssets, type InlineAssets } from './assets.js';
import { polyfillFindings } from './polyfills.js';
import type { BundlePackage, BundleReport, TargetsUsed } from './types.js';

/**
 * What to cut, with the bytes at stake: the seed's three "black holes"
 * (a whole library for a few functions, inline icons, a blanket polyfill)
 * and their kin (two copies of a package, every locale of a date library).
 * Thresholds are in bytes of the minified file; a lean bundle raises none.
 */

const KiB = 1024;

export function bundleFindings(attributed: readonly Attributed[], reports: readonly BundleReport[], options: { targets: TargetsUsed | null }): Finding[] {
  return attributed.flatMap((a, i) => {
    const r = reports[i]!;
    return [
      ...wholePackageFindings(a, r),
      ...duplicateFindings(r),
      ...inlineAssetFindings(r, findInlineAssets(a)),
      ...localeFindings(a, r),
      ...polyfillFindings(a, r, options.targets),
    ];
  });
}

/** `label` with the bundle's name, when a report covers several. */
function where(r: BundleReport): Evidence {
  return { label: 'bundle', value: r.file };
}

function bySize(bytes: number, high: number, medium: number): Severity {
  return bytes >= high ? 'high' : bytes >= medium ? 'medium' : 'low';
}

function gzipEvidence(p: BundlePackage): Evidence[] {
  return p.gzip === undefined ? [] : [{ label: p.gzipMethod === 'leave-one-out' ? 'gzip saved if removed' : 'gzip (proportional estimate)', value: p.gzip, unit: 'bytes' }];
}

/**
 * Libraries whose single-file build is bundled where a per-method or
 * ES-module build exists. `whole` matches the package-relative path of the
 * monolithic file; `namespace` is for ES-module packages pulled in almost
 * whole (a namespace import keeps every export).
 */
const WHOLE_BUILDS: readonly { name: string; whole: RegExp; advice: string }[] = [
  {
    name: 'lodash',
    whole: /^lodash(\.min)?\.js$|^core(\.min)?\.js$/,
    advice: "Import the methods you use: `import debounce from 'lodash/debounce'`, or `import { debounce } from 'lodash-es'` with a bundler that tree-shakes; babel-plugin-lodash rewrites `_.x` calls for you.",
  },
  { name: 'ramda', whole: /^dist\/ramda(\.min)?\.js$/, advice: "Import from the ES-module build (`import { map } from 'ramda'` resolving to `es/`), or per function (`ramda/src/map`)." },
  { name: 'rxjs', whole: /^bundles\/rxjs\.umd(\.min)?\.js$/, advice: "Import operators from 'rxjs' / 'rxjs/operators' (ES modules), never the UMD bundle." },
  { name: 'date-fns', whole: /^(dist\/)?date-fns(\.min)?\.js$|^cdn(\.min)?\.js$/, advice: "Import functions from 'date-fns' as ES modules (`import { format } from 'date-fns'`), not the CDN build." },
];

/** ES-module packages that ship one file per export; pulled in at this share of their files or more, something imports them whole. */
const NAMESPACE_PACKAGES: readonly { name: string; minFiles: number; advice: string }[] = [
  { name: 'lodash-es', minFiles: 300, advice: "A namespace import (`import * as _ from 'lodash-es'`), `_.chain`, or a re-export keeps every method: import the methods by name." },
];

function wholePackageFindings(a: Attributed, r: BundleReport): Finding[] {
  const out: Finding[] = [];
  for (const rule of WHOLE_BUILDS) {
    const p = r.packages.find((x) => x.name === rule.name);
    if (!p) continue;
    const files = a.origins.map((o, i) => ({ o, i })).filter(({ o }) => o.package === rule.name && rule.whole.test(o.path.slice(o.root!.length + 1)));
    const wholeBytes = files.reduce((s, f) => s + a.perSource[f.i]!, 0);
    if (wholeBytes < 10 * KiB) continue;
    const used = usedMethods(a, new Set(files.map((f) => f.i)));
    const evidence: Evidence[] = [{ label: 'bytes', value: p.bytes, unit: 'bytes' }, ...gzipEvidence(p), { label: 'share of bundle', value: p.share, unit: 'fraction' }, { label: 'whole build', value: files.map((f) => f.o.path).join(', ') }];
    if (used) {
      evidence.push({ label: 'methods the app code names', value: used.names.length, unit: 'count' }, { label: 'methods the build defines', value: used.defined, unit: 'count' });
      if (used.names.length) evidence.push({ label: 'named', value: used.names.slice(0, 12).join(', ') + (used.names.length > 12 ? ', …' : '') });
    }
    evidence.push(where(r));
    const usedText = used && used.defined > 0 ? `; the app's code names ${used.names.length} of its ${used.defined} methods` : '';
    out.push({
      kind: 'whole-package-import',
      severity: bySize(p.bytes, 50 * KiB, 10 * KiB),
      title: `${rule.name} is bundled whole (${formatBytes(p.bytes)})${usedText}`,
      location: { function: rule.name, file: files[0]!.o.path },
      evidence,
      advice: rule.advice,
    });
  }
  for (const rule of NAMESPACE_PACKAGES) {
    const p = r.packages.find((x) => x.name === rule.name);
    if (!p || p.files < rule.minFiles) continue;
    out.push({
      kind: 'whole-package-import',
      severity: bySize(p.bytes, 50 * KiB, 10 * KiB),
      title: `${rule.name} is bundled almost whole: ${p.files} of its modules (${formatBytes(p.bytes)})`,
      location: { function: rule.name },
      evidence: [{ label: 'bytes', value: p.bytes, unit: 'bytes' }, ...gzipEvidence(p), { label: 'modules bundled', value: p.files, unit: 'count' }, where(r)],
      advice: rule.advice,
    });
  }
  return out;
}

/**
 * How much of a monolithic library the app seems to use: the methods the
 * build assigns to itself (`x.name=`, property names survive minification)
 * that the app's own code mentions as `.name` — a lower bound on what a
 * per-method import would keep, when the app calls them as `_.name(…)`.
 */
function usedMethods(a: Attributed, wholeSources: ReadonlySet<number>): { names: string[]; defined: number } | null {
  const text = (owners: (o: number) => boolean) => {
    const { starts, owners: who, size } = a.spans;
    const parts: string[] = [];
    for (let i = 0; i < starts.length; i++) if (owners(who[i]!)) parts.push(Buffer.from(a.bundle.code.buffer, a.bundle.code.byteOffset + starts[i]!, (i + 1 < starts.length ? starts[i + 1]! : size) - starts[i]!).toString('latin1'));
    return parts.join('\n');
  };
  const lib = text((o) => wholeSources.has(o));
  const defined = new Set([...lib.matchAll(/[\w$]\.([a-zA-Z][a-zA-Z0-9]{2,})=(?!=)/g)].map((m) => m[1]!));
  if (defined.size < 10) return null;
  const app = text((o) => o >= 0 && a.origins[o]!.kind === 'app');
  const named = new Set([...app.matchAll(/\.([a-zA-Z][a-zA-Z0-9]{2,})\b/g)].map((m) => m[1]!).filter((n) => defined.has(n)));
  return { names: [...named].sort(), defined: defined.size };
}

/** CommonJS and ES-module builds of one library, which bundle as two packages. */
const TWINS: readonly [string, string][] = [
  ['lodash', 'lodash-es'],
  ['date-fns', 'date-fns-jalali'],
];

function twinOf(name: string, names: ReadonlySet<string>): string | undefined {
  const listed = TWINS.find(([cjs]) => cjs === name)?.[1];
  if (listed && names.has(listed)) return listed;
  return names.has(`${name}-es`) ? `${name}-es` : undefined;
}

function duplicateFindings(r: BundleReport): Finding[] {
  const out: Finding[] = [];
  for (const p of r.packages) {
    if (!p.copies || p.copies.length < 2) continue;
    const wasted = p.bytes - p.copies[0]!.bytes;
    const versions = p.copies.map((c) => c.version ?? '?');
    out.push({
      kind: 'duplicate-package',
      severity: bySize(wasted, 100 * KiB, 20 * KiB),
      title: `${p.name} is bundled ${p.copies.length} times (${formatBytes(wasted)} in the extra ${p.copies.length === 2 ? 'copy' : 'copies'})`,
      location: { function: p.name, file: p.copies[1]!.root },
      evidence: [
        { label: 'bytes in extra copies', value: wasted, unit: 'bytes' },
        ...p.copies.map((c): Evidence => ({ label: `copy at ${c.root}${c.version ? ` (${c.version})` : ''}`, value: c.bytes, unit: 'bytes' })),
        where(r),
      ],
      advice: `Make every dependent resolve to one version of ${p.name}${new Set(versions).size > 1 ? ` (versions ${[...new Set(versions)].join(', ')})` : ''}: \`npm dedupe\`, a compatible range, or overrides/resolutions in package.json; \`npm ls ${p.name}\` shows who asks for which.`,
    });
  }
  const names = new Set(r.packages.map((p) => p.name));
  for (const p of r.packages) {
    const twin = twinOf(p.name, names);
    if (!twin) continue;
    const q = r.packages.find((x) => x.name === twin)!;
    const smaller = Math.min(p.bytes, q.bytes);
    out.push({
      kind: 'duplicate-package',
      severity: bySize(smaller, 100 * KiB, 20 * KiB),
      title: `${p.name} and ${twin} are the same library twice (CommonJS and ES-module builds): ${formatBytes(p.bytes + q.bytes)} together`,
      location: { function: p.name },
      evidence: [{ label: p.name, value: p.bytes, unit: 'bytes' }, { label: twin, value: q.bytes, unit: 'bytes' }, { label: 'bytes at stake (the smaller)', value: smaller, unit: 'bytes' }, where(r)],
      advice: `Use one of them everywhere: \`${twin}\` (per-method ES modules) tree-shakes; alias ${p.name} to ${twin} in the bundler for dependencies that import ${p.name}.`,
    });
  }
  return out;
}

function inlineAssetFindings(r: BundleReport, assets: InlineAssets): Finding[] {
  const total = assets.svgBytes + assets.dataUriBytes;
  if (total < 10 * KiB) return [];
  const share = r.bytes > 0 ? total / r.bytes : 0;
  const severity: Severity = total >= 500 * KiB || share >= 0.2 ? 'high' : total >= 50 * KiB && share >= 0.05 ? 'medium' : 'low';
  const top = assets.byModule[0]!;
  return [
    {
      kind: 'inline-assets',
      severity,
      title: `${formatBytes(total)} of images inside the JavaScript: ${formatCount(assets.svgCount)} SVG${assets.svgCount === 1 ? '' : 's'}, ${formatCount(assets.dataUriCount)} data: URI${assets.dataUriCount === 1 ? '' : 's'}`,
      location: { function: top.path },
      evidence: [
        { label: 'inline asset bytes', value: total, unit: 'bytes' },
        { label: 'share of bundle', value: share, unit: 'fraction' },
        { label: 'SVG markup', value: assets.svgCount, unit: 'count' },
        { label: 'SVG bytes', value: assets.svgBytes, unit: 'bytes' },
        { label: 'data: URIs', value: assets.dataUriCount, unit: 'count' },
        { label: 'data: URI bytes', value: assets.dataUriBytes, unit: 'bytes' },
        ...assets.byModule.slice(0, 5).map((m): Evidence => ({ label: `in ${m.path} (${m.count})`, value: m.bytes, unit: 'bytes' })),
        where(r),
      ],
      advice:
        'Ship icons and images as separate files (an SVG sprite, or `<img src>` assets the bundler emits) so the browser caches them and parses no JavaScript for them; import only the icons a page uses.',
    },
  ];
}

/** Folder names that hold one file per locale. */
const LOCALE_DIR = /(^|\/)(locale|locales|locale-data|lang|langs|i18n|nls)\//;
const LOCALE_BUNDLE = /(^|\/)(min\/locales|moment-with-locales|locales?-all)(\.min)?\.js$/;

function localeFindings(a: Attributed, r: BundleReport): Finding[] {
  const per = new Map<string, { files: number; bytes: number; single: boolean }>();
  a.origins.forEach((o, i) => {
    if (o.kind !== 'package' || a.perSource[i]! === 0) return;
    const inner = o.path.slice(o.root!.length + 1);
    const single = LOCALE_BUNDLE.test(inner);
    if (!single && !LOCALE_DIR.test(inner)) return;
    const e = per.get(o.package!) ?? { files: 0, bytes: 0, single: false };
    e.files++;
    e.bytes += a.perSource[i]!;
    e.single ||= single;
    per.set(o.package!, e);
  });
  const out: Finding[] = [];
  for (const [name, e] of per) {
    if (e.bytes < 20 * KiB || (!e.single && e.files < 5)) continue;
    const advice =
      name === 'moment'
        ? "Load only the locales you serve: import 'moment/locale/de' for each (esbuild, Vite, Rollup), or webpack's IgnorePlugin({ resourceRegExp: /^\\.\\/locale$/, contextRegExp: /moment$/ }) / moment-locales-webpack-plugin; or move to a date library with per-locale imports (date-fns, Day.js)."
        : `Import only the locales you serve from ${name} (one import per locale, or the bundler's context/ignore rule), and load others on demand with a dynamic import().`;
    out.push({
      kind: 'large-locale-data',
      severity: bySize(e.bytes, 200 * KiB, 50 * KiB),
      title: `${name} ships ${e.single ? 'every locale in one file' : `${e.files} locale files`}: ${formatBytes(e.bytes)}`,
      location: { function: name },
      evidence: [{ label: 'locale bytes', value: e.bytes, unit: 'bytes' }, { label: 'locale files', value: e.files, unit: 'count' }, { label: 'share of bundle', value: r.bytes ? e.bytes / r.bytes : 0, unit: 'fraction' }, where(r)],
      advice,
    });
  }
  return out;
}
