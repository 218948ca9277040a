import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { decodeGcTrace, parseGcTrace } from './index.js';
import { FormatError } from '../errors.js';

const TESTDATA = new URL('../../../testdata/', import.meta.url).pathname;
const LOG = readFileSync(`${TESTDATA}go1.26/gctrace/gogc100.log`, 'utf8');
/** gc 152 of that log: `122->130->72 MB, 144 MB goal, …, 2 P`. */
const RECORD = '122->130->72 MB, 144 MB goal';

function damaged(from: string, to: string): string {
  assert.ok(LOG.includes(from));
  return LOG.replace(from, to);
}

test('a record Go cannot have printed is left out with its line and the reason; the rest is kept', () => {
  const cases: [string, string, RegExp][] = [
    [RECORD, '122->130->72 MB, 144 MB goal', /^$/],
    ['0 MB globals, 2 P\ngc 2 ', '0 MB globals, 0 P\ngc 2 ', /^0 P: GOMAXPROCS is at least 1$/],
    [RECORD, '122->300000000->72 MB, 144 MB goal', /^300000000 MB: more than a 64-bit Go heap can address/],
    [`${RECORD}, 0 MB stacks`, `${RECORD}, 300000000 MB stacks`, /^300000000 MB: more than/],
    [RECORD, '122->130->720 MB, 144 MB goal', /^marked heap 720 MB above the heap at the end of the cycle, 130 MB/],
    [RECORD, '122->13000000->72 MB, 144 MB goal', /^heap figure 13000000 MB is over 10,000 times the records' around it \(144 MB\)/],
    [RECORD, '122->130000->72 MB, 144 MB goal', /^$/], // 1,000 times: a huge allocation during one mark is possible
  ];
  const clean = parseGcTrace(LOG).cycles.length;
  for (const [from, to, reason] of cases) {
    const t = parseGcTrace(damaged(from, to));
    const rejected = t.rejected.map((r) => r.reason).join('; ');
    assert.match(rejected, reason, `${to}: ${rejected}`);
    assert.equal(t.rejectedCount, t.rejected.length);
    if (t.rejectedCount) {
      assert.equal(t.cycles.length, clean - 1);
      assert.ok(t.rejected[0]!.text.includes(to.split('\n')[0]!.split(', ').at(-1)!), t.rejected[0]!.text);
      assert.ok(!t.cycles.some((c) => c.line === t.rejected[0]!.line));
    }
  }
});

test('no committed log (29,486 records of Go 1.23 and 1.26) has a record left out', () => {
  // gctrace logs live under gctrace/ and whatif/; other .log files (a crashing service's stderr) are not gctrace.
  const files = execFileSync('find', [TESTDATA, '-name', '*.log', '-o', '-name', '*.log.gz'], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .filter((f) => /\/(?:gctrace|whatif)\//.test(f));
  let records = 0;
  for (const f of files) {
    const t = decodeGcTrace(readFileSync(f), f);
    assert.equal(t.rejectedCount, 0, `${f}: ${JSON.stringify(t.rejected[0])}`);
    records += t.cycles.length;
  }
  assert.ok(records > 29_000, `${records} records in ${files.length} logs`);
});

test('a log whose every record is impossible is refused, naming the first and why', () => {
  const text = LOG.replace(/, 2 P$/gm, ', 0 P');
  assert.throws(
    () => decodeGcTrace(new TextEncoder().encode(text), 'gc.log'),
    (e: unknown) => e instanceof FormatError && /no usable gc record: all 154 hold numbers Go cannot print \(line 1: 0 P: GOMAXPROCS is at least 1\)/.test(e.message),
  );
});
