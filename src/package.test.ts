import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './testkit/temp.js';

/**
 * The package as a user gets it: packed, installed from the tarball into an
 * empty project, imported by name, its bin run, and a consumer type-checked
 * against the shipped declarations.
 */

const ROOT = new URL('../', import.meta.url).pathname;
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const NAME = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string }).name;

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
}

/** `npm pack`, without its scripts: dist/ is already built by the test run, and a rebuild would pull it from under the other tests. */
function pack(dest: string): { tarball: string; files: string[] } {
  const [info] = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dest], ROOT)) as {
    filename: string;
    files: { path: string }[];
  }[];
  return { tarball: join(dest, info!.filename), files: info!.files.map((f) => f.path) };
}

test('the packed package ships the library, the CLI and its data, and no tests', (t) => {
  const { files } = pack(tempDir(t, 'pack'));
  for (const f of ['dist/index.js', 'dist/index.d.ts', 'dist/cli/main.js', 'bin/footprint.js', 'demo/heap.pb.gz']) {
    assert.ok(files.includes(f), `${f} is shipped`);
  }
  const unwanted = files.filter((f) => /\.test\.|testkit|\.map$|^src\/|^testdata\//.test(f));
  assert.deepEqual(unwanted, []);
});

test('installed from the tarball, it is imported by name, runs, and type-checks a consumer', (t) => {
  const dir = tempDir(t, 'consumer');
  const { tarball } = pack(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  run('npm', ['install', tarball, '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], dir);

  writeFileSync(
    join(dir, 'use.mjs'),
    `import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { decodeProfile, Report, topReport, analyzeHeap, FormatError, formatBytes } from '${NAME}';
const demo = createRequire(import.meta.url).resolve('${NAME}/package.json').replace(/package\\.json$/, 'demo/heap.pb.gz');
const profile = decodeProfile(readFileSync(demo), 'heap.pb.gz');
const top = topReport(new Report(profile, 'top', { sampleIndex: 'alloc_space' }));
const heap = analyzeHeap({ snapshots: [{ profile, source: 'heap.pb.gz', atMs: null }] });
let refused = '';
try { decodeProfile(new Uint8Array([1, 2, 3]), 'junk'); } catch (e) { refused = e instanceof FormatError ? e.describe() : 'other'; }
console.log(JSON.stringify({ total: top.total, first: top.rows[0].name, sites: heap.sites.length, refused, size: formatBytes(top.total) }));
`,
  );
  const used = JSON.parse(run(process.execPath, ['use.mjs'], dir)) as { total: number; first: string; sites: number; refused: string; size: string };
  assert.ok(used.total > 0 && used.sites > 0, JSON.stringify(used));
  assert.match(used.first, /^main\./);
  assert.match(used.refused, /^junk: /);

  const demo = run(join(dir, 'node_modules/.bin/footprint'), ['demo', '--json'], dir);
  assert.ok((JSON.parse(demo) as { rows: unknown[] }).rows.length > 0, 'the installed bin runs');

  writeFileSync(
    join(dir, 'consumer.ts'),
    `import { analyzeGoroutines, decodeGoroutineInput, formatQuantity, type Finding, type goroutines } from '${NAME}';
const input = decodeGoroutineInput(new TextEncoder().encode('goroutine 1 [running]:\\nmain.main()\\n\\t/x/main.go:3 +0x1\\n'), 'dump.txt');
const a: goroutines.GoroutineAnalysis = analyzeGoroutines(input, { similarity: 'lines' });
const lines: string[] = a.findings.map((f: Finding) => f.evidence.map((e) => (e.unit ? formatQuantity(e.value, e.unit) : e.value)).join(', '));
export const total: number = a.total + lines.length;
`,
  );
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        target: 'ES2022',
        skipLibCheck: false,
        types: ['node'],
        typeRoots: [join(ROOT, 'node_modules/@types')],
      },
      files: ['consumer.ts'],
    }),
  );
  run(process.execPath, [TSC, '-p', 'tsconfig.json'], dir);
});
