import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
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

export function argsFor(c: GoldenCase, binary = c.binary): string[] {
  const args: string[] = [c.report];
  if (c.report === 'peek') args.push(c.regex ?? '.');
  args.push(...c.flags);
  if (c.base) args.push(`-base=${join(TESTDATA, c.base)}`);
  if (c.diff_base) args.push(`-diff_base=${join(TESTDATA, c.diff_base)}`);
  if (binary) args.push(binary);
  args.push(join(TESTDATA, c.profile));
  return args;
}

test('the golden manifest lists cases', () => {
  assert.ok(cases.length > 50, `expected the regenerated golden matrix, found ${cases.length} cases`);
});

/**
 * pprof was given a binary to symbolise legacy text: a fixture program
 * (rebuilt byte for byte by `bash testdata/regen.sh --binaries`, which CI
 * runs) or the Go compiler that wrote a compiler profile (`compile` in the
 * toolchain's GOTOOLDIR). footprint symbolises from it too when it is there
 * and is the binary that wrote the profile (footprint checks that itself and
 * warns otherwise). Without it, an executable stub with the same name gives
 * the File: header and names come from the text's own frame lines, which
 * reproduce pprof's except for what only the binary knows (KNOWN_GAPS).
 */
const stubDir = tempDir(after, 'golden');
function stubBinary(path: string): string {
  const stub = join(stubDir, basename(path));
  if (!existsSync(stub)) writeFileSync(stub, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]));
  return stub;
}

const TOOLCHAINS: Record<string, string> = { 'go1.23': process.env['GO123'] ?? '/usr/lib/go-1.23/bin/go', 'go1.26': process.env['GO126'] ?? 'go' };
const toolDirs = new Map<string, string | undefined>();

/**
 * The binary a case names on this machine: the recorded path, or the compiler
 * of the profile's toolchain; undefined when absent (or when
 * FOOTPRINT_GOLDEN_STUBS=1 asks to check the names the text gives alone).
 */
function realBinary(c: GoldenCase): string | undefined {
  if (!c.binary || process.env['FOOTPRINT_GOLDEN_STUBS'] === '1') return undefined;
  if (existsSync(c.binary)) return c.binary;
  const toolchain = c.profile.split('/')[0]!;
  if (basename(c.binary) !== 'compile' || !(toolchain in TOOLCHAINS)) return undefined;
  if (!toolDirs.has(toolchain)) {
    try {
      toolDirs.set(toolchain, execFileSync(TOOLCHAINS[toolchain]!, ['env', 'GOTOOLDIR'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    } catch {
      toolDirs.set(toolchain, undefined);
    }
  }
  const dir = toolDirs.get(toolchain);
  return dir && existsSync(join(dir, 'compile')) ? join(dir, 'compile') : undefined;
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
 * Known differences from pprof, each with its reason; `withoutBinary` gaps
 * are there only when names come from the text because the binary is not.
 * They run as `todo` tests that report one line (how many lines differ, and
 * the first) instead of failing; a fix shows as "now matches pprof".
 */
const KNOWN_GAPS: { re: RegExp; why: string; withoutBinary?: true }[] = [
  { re: /goroutine_txt\.withbin\.(?!hide-runtime)/, why: 'goroutine text hides the leading runtime frames (runtime.gopark, chanrecv …); only the binary names them', withoutBinary: true },
  { re: /_txt\.withbin\.default\.traces/, why: 'legacy -traces: the same hidden runtime frames', withoutBinary: true },
  { re: /mutex_txt\.withbin\.si-contentions/, why: 'Go hides wrapper functions (…deferwrap1) that inline the unlock, so the text cannot name the physical function', withoutBinary: true },
  { re: /compile\.memprofile_txt\.withbin\..*focus--fm/, why: 'Go hides wrapper functions (…-fm), so the text names the method they inline', withoutBinary: true },
  { re: /heap_txt\.withbin\.(files|filefunctions)\.top/, why: "runtime.goexit's file (runtime/asm_ARCH.s) is not in the text, so file rows differ", withoutBinary: true },
  { re: /heap_txt\.(files|filefunctions)\.top/, why: "runtime.goexit's file (runtime/asm_ARCH.s) is not in the text, so file rows differ" },
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

function knownGap(c: GoldenCase, usesBinary: boolean): string | undefined {
  const gap = KNOWN_GAPS.find((g) => g.re.test(c.golden) && !(usesBinary && g.withoutBinary));
  return gap && (gap.withoutBinary ? `${gap.why} (named from the text: the binary is not on this machine, or did not write the profile; bash testdata/regen.sh --binaries builds the fixtures)` : gap.why);
}

/** Why footprint did not symbolise from the binary it was given, from its warning. */
const NOT_THE_BINARY = /is not the binary that wrote this profile/;

for (const c of cases) {
  if (isLegacyText(c) && !c.binary) {
    const todo = knownGap(c, false);
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
  const binary = isLegacyText(c) ? realBinary(c) : undefined;
  test(`golden ${c.golden}`, async (t) => {
    let want = readFileSync(join(TESTDATA, c.golden), 'utf8');
    let got = await runCli(argsFor(c, binary));
    let usesBinary = binary !== undefined && !NOT_THE_BINARY.test(got.err);
    if (binary !== undefined && !usesBinary) t.diagnostic(`${binary} is not the binary that wrote ${c.profile} (regenerate with bash testdata/regen.sh): compared without it`);
    if (c.binary && !usesBinary) got = await runCli(argsFor(c, stubBinary(c.binary)));
    usesBinary ||= !isLegacyText(c);
    assert.equal(got.code, 0, `footprint failed: ${got.err}`);
    let out = got.out;
    if (!usesBinary) {
      want = withoutGoexitPosition(want);
      out = withoutGoexitPosition(out);
    }
    const todo = knownGap(c, usesBinary);
    if (todo === undefined) assert.deepEqual(out.split('\n'), want.split('\n'));
    else t.todo(`${todo}: ${lineDifference(out, want)}`);
  });
}
