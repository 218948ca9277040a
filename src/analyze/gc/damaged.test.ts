import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseGcTrace } from '../../formats/gctrace/index.js';
import { analyzeGcTrace } from './index.js';
import { cycleBound, simulate } from './whatif.js';
import { reconstructWorkload } from './workload.js';

/**
 * Logs the replay cannot model get no prediction, with the reason, instead
 * of one that ran into a cycle cap (a corrupted heap number once gave
 * "1,000,000 cycles, GC CPU 68,631%").
 */

const LOG = readFileSync(new URL('../../../testdata/go1.26/gctrace/gogc100.log', import.meta.url), 'utf8');

test('one heap number a thousand times too large (not provably impossible): the what-ifs are refused, saying why', () => {
  const text = LOG.replace('122->130->72 MB', '122->130000->72 MB');
  const a = analyzeGcTrace(parseGcTrace(text), { whatIfs: [{ gogc: 200 }, { gomemlimit: 256 * 2 ** 20 }] });
  assert.equal(a.summary.rejectedRecords, 0, 'kept: a huge allocation during one mark is possible');
  for (const r of [a.baseline.model, ...a.whatIf]) {
    assert.equal(r.cycles, null);
    assert.match(r.refusal ?? '', /even calibrated, the log gives [\d,]+ cycles where it has 154: the pacer model cannot explain this log/);
  }
  assert.ok(a.whatIfSeries.every((s) => s.length === 0));
  assert.doesNotMatch(JSON.stringify(a.findings), /Replaying this log/, 'no advice quotes a replay');
});

test('a replay that runs past a hundred times the log\'s cycles stops and gives no figure', () => {
  // Marks that allocate a MiB, then 30 GB allocated before the third cycle with nothing live: at GOGC=10 that is a cycle
  // every MiB or so, some 30,000 of them.
  const line = (n: number, at: string, heap: string) =>
    `gc ${n} @${at}s 1%: 0.01+1.0+0.01 ms clock, 0.02+0/0.5/0+0.02 ms cpu, ${heap} MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P\n`;
  const trace = parseGcTrace(line(1, '0.010', '4->5->0') + line(2, '0.020', '4->5->0') + line(3, '9.000', '30000->30001->0'));
  assert.equal(trace.rejectedCount, 0);
  const w = reconstructWorkload(trace.cycles);
  assert.equal(cycleBound(w), 10_000);
  const r = simulate(w, { gogc: 10, gomemlimit: null });
  assert.equal(r.cycles, null);
  assert.match(r.refusal ?? '', /^the replay ran past 10,000 cycles, 100 times the log's 3, and was stopped/);
});
