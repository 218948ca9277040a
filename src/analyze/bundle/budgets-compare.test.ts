import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FormatError } from '../../formats/errors.js';
import { checkBudgets, compareBundles, globToRegExp, parseBudgets, parseSize, stableName } from './index.js';
import type { BundleAnalysis, BundlePackage, BundleReport } from './types.js';

/** Budgets and build comparison on hand-made reports (their inputs are the analysis's output, so no bundle is needed). */

function pkg(name: string, bytes: number, gzip: number): BundlePackage {
  return { name, bytes, files: 1, share: 0, gzip, gzipMethod: 'leave-one-out' };
}

function report(file: string, bytes: number, gzip: number | null, packages: BundlePackage[], files: [string, number][] = []): BundleReport {
  return {
    file,
    bytes,
    gzip,
    brotli: gzip === null ? null : gzip - 10,
    map: `${file}.map`,
    packages,
    app: { bytes: 100, files: 1 },
    runtime: 0,
    unmapped: 0,
    files: files.map(([path, b]) => ({ path, kind: 'package' as const, package: path.split('/')[1]!, bytes: b })),
    warnings: [],
  };
}

const analysis = (bundles: BundleReport[]): BundleAnalysis => ({ bundles, findings: [], compression: 'all', targets: null });

test('sizes: bytes, SI and IEC units; a bad size is a FormatError naming the file', () => {
  assert.equal(parseSize(1234, 'x', 'f'), 1234);
  assert.equal(parseSize('30 KiB', 'x', 'f'), 30 * 1024);
  assert.equal(parseSize('1.5MB', 'x', 'f'), 1_500_000);
  assert.equal(parseSize('20 kB', 'x', 'f'), 20_000);
  assert.throws(() => parseSize('lots', 'budgets.files[0].gzip', 'package.json'), (e: unknown) => e instanceof FormatError && /package\.json.*budgets\.files\[0\]\.gzip/.test(e.describe()));
});

test('globs: * within a folder, ** across folders, ? one character', () => {
  assert.ok(globToRegExp('dist/*.js').test('dist/main.js'));
  assert.ok(!globToRegExp('dist/*.js').test('dist/chunks/a.js'));
  assert.ok(globToRegExp('dist/**/*.js').test('dist/chunks/a.js'));
  assert.ok(globToRegExp('dist/**/*.js').test('dist/main.js'));
  assert.ok(globToRegExp('main.????????.js').test('main.3f9a2c1b.js'));
  assert.ok(!globToRegExp('main.js').test('mainXjs'), 'a dot is a dot');
});

test('parseBudgets: files and packages, a size alone meaning bytes; unknown limits and missing paths refused', () => {
  const b = parseBudgets({ files: [{ path: 'dist/*.js', bytes: '300 KiB', gzip: 90000 }], packages: { lodash: '30 KiB', moment: { gzip: '20 kB' } } }, 'package.json');
  assert.deepEqual(b, {
    files: [{ path: 'dist/*.js', limits: { bytes: 307200, gzip: 90000 } }],
    packages: [
      { name: 'lodash', limits: { bytes: 30720 } },
      { name: 'moment', limits: { gzip: 20000 } },
    ],
  });
  assert.throws(() => parseBudgets({ files: [{ path: 'a.js', zstd: 1 }] }, 'p.json'), /unknown limit "zstd"/);
  assert.throws(() => parseBudgets({ files: [{ gzip: 1 }] }, 'p.json'), /has no "path"/);
  assert.throws(() => parseBudgets({ packages: ['lodash'] }, 'p.json'), /object of package name/);
});

test('checkBudgets: each matching bundle and metric checked; packages summed over bundles; unmeasured is not over; unmatched listed', () => {
  const a = analysis([report('dist/main.js', 5000, 2000, [pkg('lodash', 3000, 1000)]), report('dist/admin.js', 1000, 400, [pkg('lodash', 500, 150)])]);
  const budgets = parseBudgets({ files: [{ path: 'dist/*.js', bytes: 4000, gzip: 2000 }, { path: 'static/*.css', bytes: 1 }], packages: { lodash: { bytes: 3400, gzip: 1200 }, react: 1 } }, 'x');
  const r = checkBudgets(a, budgets);
  const row = (name: string, metric: string) => r.checks.find((c) => c.name === name && c.metric === metric)!;
  assert.equal(row('dist/main.js', 'bytes').over, true);
  assert.equal(row('dist/main.js', 'gzip').over, false, 'at the limit is within it');
  assert.equal(row('dist/admin.js', 'bytes').over, false);
  assert.equal(row('lodash', 'bytes').actual, 3500);
  assert.equal(row('lodash', 'bytes').over, true);
  assert.equal(row('lodash', 'gzip').actual, 1150);
  assert.equal(r.over, 2);
  assert.deepEqual(r.unmatched, ['files: static/*.css', 'packages: react']);
  const raw = checkBudgets(analysis([report('dist/main.js', 5000, null, [])]), parseBudgets({ files: [{ path: 'main.js', gzip: 1 }] }, 'x'));
  assert.deepEqual(raw.checks.map((c) => [c.actual, c.over]), [[null, false]], 'a bare file name matches too; gzip not measured');
});

test('stableName takes content hashes out (they have a digit), not words', () => {
  assert.equal(stableName('main.3f9a2c1b.js'), 'main.js');
  assert.equal(stableName('main-3F9A2C1B.js'), 'main.js');
  assert.equal(stableName('chunk.a1b2c3d4e5.min.js'), 'chunk.min.js');
  assert.equal(stableName('app-facade.js'), 'app-facade.js');
  assert.equal(stableName('react-dom.production.js'), 'react-dom.production.js');
});

test('compareBundles: bundles matched across hashes; packages and files new, gone, grew, shrank; largest moves first', () => {
  const before = analysis([report('dist/main.1a2b3c4d.js', 10000, 4000, [pkg('lodash', 7000, 2500), pkg('moment', 1000, 300)], [['node_modules/lodash/lodash.js', 7000], ['node_modules/moment/moment.js', 1000]])]);
  const after = analysis([report('dist/main.9f8e7d6c.js', 4000, 1700, [pkg('lodash-es', 900, 350), pkg('moment', 1200, 320)], [['node_modules/lodash-es/debounce.js', 900], ['node_modules/moment/moment.js', 1200]])]);
  const c = compareBundles({ source: 'old', analysis: before }, { source: 'new', analysis: after });
  assert.deepEqual(c.bundles, [{ name: 'main.js', change: 'shrank', bytes: { before: 10000, after: 4000, delta: -6000 }, gzip: { before: 4000, after: 1700, delta: -2300 }, brotli: { before: 3990, after: 1690, delta: -2300 } }]);
  assert.deepEqual(
    c.packages.map((p) => [p.name, p.change, p.bytes.delta, p.gzip?.delta]),
    [
      ['lodash', 'gone', -7000, -2500],
      ['lodash-es', 'new', 900, 350],
      ['moment', 'grew', 200, 20],
    ],
  );
  assert.deepEqual(c.files.map((f) => [f.path, f.change]), [
    ['node_modules/lodash/lodash.js', 'gone'],
    ['node_modules/lodash-es/debounce.js', 'new'],
    ['node_modules/moment/moment.js', 'grew'],
  ]);
  const gz = c.headlines.find((h) => h.label === 'gzip')!;
  assert.deepEqual([gz.before, gz.after], [4000, 1700]);
});
