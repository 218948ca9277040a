#!/usr/bin/env node
// The GOGC/GOMEMLIMIT what-if, checked against real runs it was not tuned on.
//
//   node bench/whatif-matrix.mjs            # the summary tables (after `npm test`, which builds dist/ with its test kit)
//   node bench/whatif-matrix.mjs --json     # every prediction
//   node bench/whatif-matrix.mjs --detail   # one line per (baseline log, predicted setting)
//
// The evaluation itself is src/testkit/whatif-matrix.ts (the what-if test asserts on it): every log of
// testdata/go1.2x/whatif is the baseline in turn and predicts every other setting of its shape; a
// prediction is inside when its cycle count lies within the spread of the three real runs widened by
// 10% (and at least one cycle) at each end.
import { fileURLToPath } from 'node:url';
import { join, dirname } from 'node:path';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { loadMatrix, evaluateMatrix, summarizeMatrix } = await import(join(ROOT, 'dist/testkit/whatif-matrix.js'));

const pct = (x) => (x === null ? '-' : `${(x * 100).toFixed(1)}%`);

const rows = evaluateMatrix(loadMatrix());
if (process.argv.includes('--json')) {
  console.log(JSON.stringify(rows, null, 1));
} else if (process.argv.includes('--detail')) {
  for (const r of rows) {
    const range = r.range ? ` [${r.range.join('–')}]` : '';
    const verdict = r.refused ? 'refused' : r.inside ? 'inside' : `OUT ${pct(r.error)}`;
    console.log(`${r.group} ${r.baseline} → ${r.setting}: ${r.predicted ?? '-'}${range} ${r.trust ?? ''}, real ${r.real.join('/')}: ${verdict}${r.replay ? ` (replay of a ${r.observed}-cycle log)` : ''}`);
  }
} else {
  console.log('Each log replayed at its own setting, and every other setting of its program predicted from it.\n');
  console.log(`${'program'.padEnd(16)} ${'replays within 5%'.padStart(18)} ${'predictions inside'.padStart(19)} ${'median |error|'.padStart(15)} ${'worst'.padStart(8)} ${'refused'.padStart(8)}`);
  for (const s of summarizeMatrix(rows)) {
    console.log(
      `${s.group.padEnd(16)} ${`${s.replaysWithin5}/${s.replays}`.padStart(18)} ${`${s.inside}/${s.predictions}`.padStart(19)} ${pct(s.medianError).padStart(15)} ${pct(s.worstError).padStart(8)} ${String(s.refused).padStart(8)}`,
    );
  }
  console.log('\nBy the trust each prediction states (all programs):');
  for (const t of ['good', 'fair', 'low']) {
    const ps = rows.filter((r) => !r.replay && r.trust === t);
    if (ps.length) console.log(`  ${t.padEnd(5)} ${ps.filter((r) => r.inside).length}/${ps.length} inside; the stated range overlaps the real spread in ${ps.filter((r) => r.rangeInside).length}`);
  }
  console.log('\nPer setting: median prediction over every baseline of the program [the three real runs] baselines inside');
  for (const group of [...new Set(rows.map((r) => r.group))]) {
    const rs = rows.filter((r) => r.group === group && !r.replay);
    const cells = [...new Set(rs.map((r) => r.setting))].map((setting) => {
      const ps = rs.filter((r) => r.setting === setting);
      const vals = ps.map((r) => r.predicted).filter((v) => v !== null).sort((a, b) => a - b);
      const median = vals.length ? vals[Math.floor(vals.length / 2)] : 'refused';
      return `${setting} ${median} [${ps[0].real.join('/')}] ${ps.filter((r) => r.inside).length}/${ps.length}`;
    });
    console.log(`  ${group}: ${cells.join('; ')}`);
  }
  const refused = rows.find((r) => r.refused);
  if (refused) console.log(`\nRefused, e.g. ${refused.group} ${refused.setting}: ${refused.refused}`);
}
