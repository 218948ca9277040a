import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { runCli } from '../testkit/run-cli.js';
import { tempDir } from '../testkit/temp.js';

/**
 * Golden tests: footprint's reports against what go tool pprof 1.23.5 printed
 * for the same files and flags (testdata/regen.sh writes manifest.json and the
 * golden files). Every line must match.
 */

process.env['TZ'] = 'UTC';
const TESTDATA = new URL('../../testdata/', import.meta.url).pathname;

interface GoldenCase {
  report: 'top' | 'peek' | 'traces';
  flags: string[];
  regex?: string;
  profile: string;
  base?: string;
  diff_base?: string;
  binary?: string;
  golden: string;
}

const manifestPath = join(TESTDATA, 'golden', 'manifest.json');
const cases: GoldenCase[] = existsSync(manifestPath) ? (JSON.parse(readFileSync(manifestPath, 'utf8')) as GoldenCase[]) : [];

export function argsFor(c: GoldenCase): string[] {
  const args: string[] = [c.report];
  if (c.report === 'peek') args.push(c.regex ?? '.');
  args.push(...c.flags);
  if (c.base) args.push(`-base=${join(TESTDATA, c.base)}`);
  if (c.diff_base) args.push(`-diff_base=${join(TESTDATA, c.diff_base)}`);
  if (c.binary) args.push(stubBinary(c.binary));
  args.push(join(TESTDATA, c.profile));
  return args;
}

test('the golden manifest lists cases', () => {
  assert.ok(cases.length > 50, `expected the regenerated golden matrix, found ${cases.length} cases`);
});

/**
 * pprof was given the fixture binary to symbolise legacy text. footprint reads
 * symbols from the text itself and uses the binary only for the File: header,
 * so an executable stub with the same name stands in for it on machines where
 * the fixtures were not rebuilt.
 */
const stubDir = tempDir(after, 'golden');
function stubBinary(path: string): string {
  const stub = join(stubDir, basename(path));
  if (!existsSync(stub)) writeFileSync(stub, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]));
  return stub;
}

function firstLine(text: string, prefix: string): string | undefined {
  return text.split('\n').find((l) => l.startsWith(prefix));
}

const UNIT_FACTORS: Record<string, number> = { '': 1, B: 1, kB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, ns: 1, us: 1e3, ms: 1e6, s: 1e9, hrs: 3600e9 };

function totalOf(text: string): number {
  const m = /of (-?[\d.]+)([a-zA-Z]*) total/.exec(text);
  assert.ok(m, 'no total line');
  return Number(m[1]) * (UNIT_FACTORS[m[2]!] ?? NaN);
}

const isLegacyText = (c: GoldenCase) => c.profile.endsWith('.txt');

/**
 * The one thing the text does not record: runtime.goexit's file and line (Go
 * prints no comment line for it), which pprof reads from the binary's tables.
 */
function withoutGoexitPosition(text: string): string {
  return text.replace(/runtime\.goexit \S+\.s:\d+/g, 'runtime.goexit');
}

/**
 * Known differences from pprof, each with its reason. They run as `todo`
 * tests that report one line (how many lines differ, and the first) instead
 * of failing; a fix shows as "now matches pprof".
 */
const KNOWN_GAPS: [RegExp, string][] = [
  [/goroutine_txt\.withbin\.(?!hide-runtime)/, 'goroutine text hides the leading runtime frames (runtime.gopark, chanrecv …); only the binary names them'],
  [/_txt\.withbin\.default\.traces/, 'legacy -traces: the same hidden runtime frames, and pprof keeps a zero `bytes` label'],
  [/mutex_txt\.withbin\.si-contentions/, 'Go hides wrapper functions (…deferwrap1) that inline the unlock, so the text cannot name the physical function'],
  [/heap_txt\.(withbin\.)?(files|filefunctions)\.top/, "runtime.goexit's file (runtime/asm_ARCH.s) is not in the text, so file rows differ"],
];

/** One line saying how far a known gap is from pprof: how many lines differ, and the first that does. */
function lineDifference(got: string, want: string): string {
  const a = got.split('\n');
  const b = want.split('\n');
  let differ = 0;
  let first = -1;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    differ++;
    if (first < 0) first = i;
  }
  if (differ === 0) return 'now matches pprof: take it off KNOWN_GAPS';
  return `${differ} of ${b.length} lines differ from pprof; first at line ${first + 1}: ${JSON.stringify(a[first] ?? '')} where pprof has ${JSON.stringify(b[first] ?? '')}`;
}

function knownGap(c: GoldenCase): string | undefined {
  return KNOWN_GAPS.find(([re]) => re.test(c.golden))?.[1];
}

for (const c of cases) {
  const todo = knownGap(c);
  if (isLegacyText(c) && !c.binary) {
    // Without the binary pprof prints every frame as <unknown>; footprint names
    // them from the text, so only the totals can agree.
    test(`golden ${c.golden} (totals; pprof could not symbolise)`, { todo }, async (t) => {
      const want = readFileSync(join(TESTDATA, c.golden), 'utf8');
      const got = await runCli(argsFor(c));
      assert.equal(got.code, 0, `footprint failed: ${got.err}`);
      assert.equal(firstLine(got.out, 'Type:'), firstLine(want, 'Type:'));
      const unknown = got.out.split('\n').filter((l) => l.includes('<unknown>')).length;
      if (todo === undefined) assert.equal(unknown, 0, 'every row named');
      else t.diagnostic(unknown ? `${unknown} row(s) footprint cannot name either` : 'every row named now: take it off KNOWN_GAPS');
      if (c.report === 'top') {
        // pprof picks its unit from a single <unknown> row, so compare the totals as quantities.
        const ours = totalOf(got.out);
        const theirs = totalOf(want);
        assert.ok(Math.abs(ours - theirs) <= Math.abs(theirs) * 0.005, `total ${ours} vs pprof ${theirs}`);
      }
    });
    continue;
  }
  test(`golden ${c.golden}`, { todo }, async (t) => {
    let want = readFileSync(join(TESTDATA, c.golden), 'utf8');
    const got = await runCli(argsFor(c));
    assert.equal(got.code, 0, `footprint failed: ${got.err}`);
    let out = got.out;
    if (isLegacyText(c)) {
      want = withoutGoexitPosition(want);
      out = withoutGoexitPosition(out);
    }
    if (todo === undefined) assert.deepEqual(out.split('\n'), want.split('\n'));
    else t.diagnostic(lineDifference(out, want));
  });
}
