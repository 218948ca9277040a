import { analyzeBundles, checkBudgets, compareBundles, type Budgets, type BundleAnalysis, type CompressionLevel } from '../analyze/bundle/index.js';
import { regressions } from '../analyze/compare.js';
import { EXIT } from '../model/errors.js';
import { renderBundleComparisonPage, renderBundlePage } from '../present/html/bundle-page.js';
import { budgetText, bundleComparisonText, bundleText } from '../present/text/bundle.js';
import { parse, rowLimit, UsageError } from './args.js';
import { bundlePaths, loadBudgets, loadBundle, resolveTargets, savedAnalysis } from './bundle-input.js';
import { exitForFindings, failOnThreshold, FAIL_ON_FLAG, FAIL_ON_HELP } from './fail-on.js';
import { printJson, styleOf, type Io } from './io.js';
import { writeOutput } from './output.js';

export const BUNDLE_HELP = `footprint bundle — where the bytes of a JS (or CSS) bundle go, from its source map

Usage: footprint bundle [flags] FILE|DIR...
       footprint bundle --compare OLD NEW     (files, folders, or saved --json)

Each bundle's map is found as devtools find it: its sourceMappingURL comment
(a file, or an inline data: URL), else FILE.map beside it; --map FILE for one
bundle. Index (sectioned) maps are read. Every byte of the file is given to
one original source, the bundler's runtime, or "unmapped", so the rows add up
to the file's size; a missing or broken map is a warning, not a refusal.

Per bundle: raw and gzip -9 sizes of the whole file (brotli-11 too with
--compress all, or when a budget limits brotli); bytes per npm package
(nested node_modules, pnpm and Yarn paths; copies kept apart) and per file;
the app's own code; and per package what removing it would save gzipped:
leave-one-out (the file compressed without it) for packages of 1% or more,
a proportional estimate (marked ~) for the rest.

Findings: whole-package-import (lodash whole for three methods),
duplicate-package (two copies, or lodash and lodash-es), inline-assets (SVG
markup and data: URIs in the JS), unneeded-polyfill (core-js modules and
regenerator-runtime the target browsers do not need, by core-js-compat's
data), large-locale-data (every moment locale).

Flags:        --map FILE        the source map of the (single) bundle
              --targets QUERY   browsers for the polyfill check (browserslist query);
                                default: .browserslistrc / package.json "browserslist",
                                else browserslist's defaults (said so, findings softened)
              --compress LEVEL  gzip (default: the file, and per package), all (brotli-11
                                too: ~10 s of CPU for a 4 MB file), none (raw bytes only)
              --top N           package and file rows per bundle (default 15; 0 for all)
Compare:      --compare         two builds: per bundle, package and file, raw and
                                gzip deltas, new and vanished packages, findings matched
Budgets:      --check           check the budgets in package.json ("footprint": {"budgets": …})
                                or .footprintrc.json; exit 1 when one is over
              --config FILE     read budgets from FILE instead
Output:       --json            { bundles: [{ file, bytes, gzip, brotli, map, packages, app,
                                runtime, unmapped, files, warnings }], findings, compression,
                                targets } (+ budgets with --check; a comparison with --compare)
              --html FILE       a treemap page of packages and files (searchable), with findings
${FAIL_ON_HELP.replace(/^  /, '              ')}

Examples:
  footprint bundle dist/                              every bundle in a build folder
  footprint bundle dist/main.js --map build/main.js.map
  footprint bundle --html bundle.html dist/main.js
  footprint bundle --targets 'last 2 chrome versions, safari >= 16' dist/app.js
  footprint bundle --json dist/ > before.json         save a build for later
  footprint bundle --compare before.json dist/        what the change did
  footprint bundle --check --fail-on high dist/       the CI gate: budgets and findings
`;

const FLAGS = {
  map: { type: 'string' as const },
  targets: { type: 'string' as const },
  compress: { type: 'string' as const },
  top: { type: 'string' as const },
  compare: { type: 'boolean' as const },
  check: { type: 'boolean' as const },
  config: { type: 'string' as const },
  html: { type: 'string' as const },
  ...FAIL_ON_FLAG,
};

const LEVELS: readonly CompressionLevel[] = ['all', 'gzip', 'none'];

export async function runBundle(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, FLAGS);
  if (values['help']) {
    io.out(BUNDLE_HELP);
    return EXIT.ok;
  }
  const failOn = failOnThreshold(values);
  const rows = rowLimit(values, 'top', 15);
  const asked = values['compress'] as string | undefined;
  if (asked !== undefined && !LEVELS.includes(asked as CompressionLevel)) throw new UsageError(`--compress wants all, gzip or none, got ${JSON.stringify(asked)}`);
  if (positionals.length === 0) throw new UsageError('want one or more bundles (files or folders); see footprint bundle --help');
  const budgets = values['check'] && !values['compare'] ? loadBudgets(values['config'] as string | undefined) : null;
  const compression = (asked as CompressionLevel | undefined) ?? (budgets && needsBrotli(budgets.budgets) ? 'all' : 'gzip');
  const mapPath = values['map'] as string | undefined;
  // A --targets query is checked at once (a typo is exit 2 before any work); the project's config is read only if a bundle holds polyfills.
  const query = values['targets'] as string | undefined;
  const targets = query !== undefined ? resolveTargets(query) : () => resolveTargets(undefined);
  const analyze = (paths: readonly string[]) => {
    const files = bundlePaths(paths);
    if (mapPath !== undefined && files.length !== 1) throw new UsageError(`--map names the map of one bundle; ${files.length} bundles were given`);
    return analyzeBundles(files.map((f) => loadBundle(f, mapPath)), { compression, targets });
  };
  const style = styleOf(io);
  const html = values['html'] as string | undefined;

  if (values['compare']) {
    if (positionals.length !== 2) throw new UsageError('--compare wants two builds: OLD NEW (files, folders or saved --json)');
    if (mapPath !== undefined) throw new UsageError('--map cannot be used with --compare (each build finds its own maps)');
    const side = async (p: string): Promise<BundleAnalysis> => savedAnalysis(p) ?? (await analyze([p]));
    const [before, after] = [await side(positionals[0]!), await side(positionals[1]!)];
    const comparison = compareBundles({ source: positionals[0]!, analysis: before }, { source: positionals[1]!, analysis: after });
    if (values['json']) printJson(io, comparison);
    else io.out(bundleComparisonText(comparison, style, rows));
    const code = html === undefined ? EXIT.ok : writeOutput(io, 'bundle', html, renderBundleComparisonPage(comparison), !values['json']);
    return exitForFindings(io, 'bundle', failOn, regressions(comparison.findings), code, 'new or worse finding');
  }

  const analysis = await analyze(positionals);
  const checked = budgets ? checkBudgets(analysis, budgets.budgets) : null;
  if (values['json']) printJson(io, checked ? { ...analysis, budgets: { source: budgets!.source, ...checked } } : analysis);
  else {
    io.out(bundleText(analysis, style, rows));
    if (checked) io.out('\n' + budgetText(checked, style));
  }
  let code: number = html === undefined ? EXIT.ok : writeOutput(io, 'bundle', html, renderBundlePage(analysis), !values['json']);
  if (checked && checked.over > 0 && code === EXIT.ok) {
    io.err(`footprint bundle: ${checked.over} budget${checked.over === 1 ? '' : 's'} over (from ${budgets!.source})\n`);
    code = EXIT.checkFailed;
  }
  return exitForFindings(io, 'bundle', failOn, analysis.findings, code);
}

/** Brotli-11 is slow on big files: measured by default only when a budget limits it. */
function needsBrotli(budgets: Budgets): boolean {
  return budgets.files.some((f) => f.limits.brotli !== undefined);
}
