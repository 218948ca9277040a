import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Severity } from '../analyze/finding.js';
import { EXIT } from '../model/errors.js';
import { runCli } from '../testkit/run-cli.js';

/**
 * `--fail-on SEVERITY` on every analysing command: exit 1 exactly when a
 * finding is at SEVERITY or above, after the report is printed, with one line
 * on stderr; else 0. Each command runs on two real inputs, and what it should
 * return is derived from its own --json findings: at the worst finding's
 * severity it fails, one step above it (or at info, with no findings) it passes.
 */

const TESTDATA = new URL('../../testdata/', import.meta.url).pathname;
const at = (p: string) => join(TESTDATA, p);
const ORDER: readonly Severity[] = ['info', 'low', 'medium', 'high'];

const COMMANDS: Record<string, string[][]> = {
  heap: [[1, 2, 3, 4, 5, 6].map((i) => at(`zoo/cache/heap.${i}.pb.gz`)), [1, 2, 3, 4, 5, 6].map((i) => at(`zoo/steady/heap.${i}.pb.gz`))],
  gc: [[at('go1.26/gctrace/gogc50.log')], [at('go1.26/gctrace/idle.log')]],
  trace: [[at('go1.26/trace/tracewriter.trace.gz')], [at('go1.26/trace/stdtest.trace.gz')]],
  goroutines: [[at('go1.26/stuck/goroutine.debug2.txt')], [at('go1.26/goroutines/goroutine.pb.gz')]],
  contention: [[at('go1.26/contention/mutex.pb.gz')], [at('go1.26/contention/block.pb.gz')]],
  escapes: [[at('go1.26/escapes/m2.txt'), '--profile', at('go1.26/escapes/allocs.pb.gz')], [at('go1.26/escapes/m.txt')]],
};

async function severities(command: string, args: string[]): Promise<Severity[]> {
  const r = await runCli([command, '--json', ...args]);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out) as { findings?: { severity: Severity }[]; files?: { findings: { severity: Severity }[] }[] };
  return (j.findings ?? j.files!.flatMap((f) => f.findings)).map((f) => f.severity);
}

for (const [command, inputs] of Object.entries(COMMANDS)) {
  test(`${command} --fail-on: exit 1 at the worst finding's severity, 0 above it; documented in --help`, async () => {
    const help = await runCli([command, '--help']);
    assert.match(help.out, /--fail-on SEVERITY +exit 1 when a finding is at SEVERITY or above/);
    const outcomes = new Set<number>();
    for (const args of inputs) {
      const found = await severities(command, args);
      const worst = Math.max(-1, ...found.map((s) => ORDER.indexOf(s)));
      if (worst >= 0) {
        const threshold = ORDER[worst]!;
        const r = await runCli([command, '--fail-on', threshold, ...args]);
        assert.equal(r.code, EXIT.checkFailed, `${command} --fail-on ${threshold}: ${r.err}`);
        const n = found.filter((s) => ORDER.indexOf(s) >= worst).length;
        assert.equal(r.err, `footprint ${command}: ${n} finding${n === 1 ? '' : 's'} at ${threshold} or above (--fail-on ${threshold})\n`);
        assert.ok(r.out.length > 0, 'the report is printed first');
        outcomes.add(r.code);
      }
      const above = ORDER[worst + 1];
      if (above !== undefined) {
        const r = await runCli([command, '--fail-on', above, ...args]);
        assert.equal(r.code, 0, `${command} --fail-on ${above}: ${r.err}`);
        assert.equal(r.err, '');
        outcomes.add(r.code);
      }
    }
    assert.deepEqual([...outcomes].sort(), [0, EXIT.checkFailed], 'both outcomes are exercised');
  });
}

test('--fail-on with a severity that is not one: exit 2 before any work, for every analysing command', async () => {
  for (const [command, inputs] of Object.entries(COMMANDS)) {
    const r = await runCli([command, '--fail-on', 'severe', ...inputs[0]!]);
    assert.equal(r.code, EXIT.usage, command);
    assert.equal(r.err, `footprint ${command}: --fail-on wants one of high, medium, low, info, got "severe"\n`);
    assert.equal(r.out, '');
  }
});
