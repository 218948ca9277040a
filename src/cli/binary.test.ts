import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../testkit/run-cli.js';
import { tempDir } from '../testkit/temp.js';

/**
 * `footprint REPORT BINARY heap.txt` against `go tool pprof` (Go 1.23.5) given
 * the same binary, on a program built and run here with each toolchain
 * (testdata/programs/symbols): it allocates through what a legacy profile's own
 * frame lines cannot name as the binary does — generic shapes, a method
 * value's -fm wrapper, deferwrap and gowrap closures, inlined helpers. The
 * binary is built in the test, not committed; a missing toolchain skips.
 */

process.env['TZ'] = 'UTC';
const PROGRAMS = new URL('../../testdata/programs/', import.meta.url).pathname;
const PPROF_GO = process.env['GO123'] ?? '/usr/lib/go-1.23/bin/go';
const TOOLCHAINS = [
  ['go1.23', PPROF_GO],
  ['go1.26', process.env['GO126'] ?? 'go'],
] as const;

function version(go: string): string | undefined {
  try {
    return execFileSync(go, ['env', 'GOVERSION'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** Builds and runs the program with `go`; returns the binary and the heap.txt it wrote. */
function buildAndRun(go: string, dir: string): { binary: string; profile: string } {
  const env = { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-buildvcs=false', CGO_ENABLED: '0', GOWORK: 'off' };
  const binary = join(dir, 'symbols');
  execFileSync(go, ['build', '-trimpath', '-o', binary, './symbols'], { cwd: PROGRAMS, env, stdio: 'pipe', timeout: 240_000 });
  execFileSync(binary, [dir], { cwd: '/', stdio: 'pipe', timeout: 60_000 });
  return { binary, profile: join(dir, 'heap.txt') };
}

function pprof(args: string[]): string {
  return execFileSync(PPROF_GO, ['tool', 'pprof', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, TZ: 'UTC' }, maxBuffer: 1 << 26 });
}

/** The reports compared, as footprint's arguments; pprof takes the same flags with the command as a flag. */
const REPORTS: string[][] = [
  ['top', '-nodefraction=0'],
  ['top', '-lines', '-nodefraction=0'],
  ['top', '-addresses', '-nodefraction=0'],
  ['top', '-cum', '-sample_index=alloc_space'],
  ['peek', 'main\\.'],
  ['traces'],
];

function pprofArgs(report: string[]): string[] {
  const [cmd, ...rest] = report;
  return cmd === 'peek' ? [`-peek=${rest[0]}`, ...rest.slice(1)] : [`-${cmd}`, ...rest];
}

const haveReference = version(PPROF_GO) === 'go1.23.5';
/** One folder for the file: the last test reads what the first two built. */
const ROOT = tempDir(after, 'symbols');
const built = new Map<string, { binary: string; profile: string }>();

for (const [name, go] of TOOLCHAINS) {
  const v = version(go);
  const skip = !haveReference ? `the reference pprof (${PPROF_GO}, Go 1.23.5) is not installed` : !v?.startsWith(name) ? `${name} is not installed (${go})` : false;

  test(`${name}: footprint given the binary prints what go tool pprof prints given it`, { skip, timeout: 300_000 }, async () => {
    const dir = join(ROOT, name);
    mkdirSync(dir);
    const run = buildAndRun(go, dir);
    built.set(name, run);
    const traces = pprof(['-traces', run.binary, run.profile]);
    // The program plants what the text cannot name; pprof, given the binary, names it.
    for (const planted of ['slices.pdqsortCmpFunc[go.shape.*uint8]', 'main.collect[go.shape.int]', 'main.(*builder).add-fm', 'main.withDefer.deferwrap1']) {
      assert.ok(traces.includes(planted), `pprof -traces names ${planted}`);
    }
    for (const report of REPORTS) {
      const want = pprof([...pprofArgs(report), run.binary, run.profile]);
      const got = await runCli([...report, run.binary, run.profile]);
      assert.equal(got.code, 0, got.err);
      assert.equal(got.err, '', 'no warning: this binary wrote the profile');
      assert.deepEqual(got.out.split('\n'), want.split('\n'), report.join(' '));
    }
    // Without the binary the names come from the text, which prints shapes as [...].
    const text = await runCli(['traces', run.profile]);
    assert.ok(text.out.includes('slices.pdqsortCmpFunc[...]'));
    assert.ok(!text.out.includes('go.shape'));
  });
}

test('a binary that did not write the profile is refused with a warning; names come from the text', { timeout: 300_000 }, async (t) => {
  const a = built.get('go1.23');
  const b = built.get('go1.26');
  if (!a || !b) {
    t.skip('needs both toolchains (the programs they built)');
    return;
  }
  const wrong = await runCli(['top', '-lines', a.binary, b.profile]);
  assert.equal(wrong.code, 0, wrong.err);
  assert.match(wrong.err, /is not the binary that wrote this profile \(at 0x[0-9a-f]+ the binary has .*, the profile's own frames say .*; \d+ of \d+ addresses differ\): names are taken from the profile's own frames/);
  const textOnly = await runCli(['top', '-lines', b.profile]);
  assert.deepEqual(wrong.out.split('\n').slice(1), textOnly.out.split('\n'), 'the same report as without a binary, after the File: line');
  assert.equal(wrong.out.split('\n')[0], 'File: symbols');
});
