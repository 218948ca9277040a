// A long GODEBUG=gctrace=1 log made from a real one: the steady second half of
// testdata/go1.26/gctrace/gogc100.log (programs/gcload at GOGC=100, 2 P)
// repeated after the whole log, renumbered and shifted in time as if the
// program had kept running. Every record is one Go printed; only `gc N` and
// `@T s` change.
//
//   node testdata/generate/gctrace.mjs CYCLES > gc.log
//
// Plain Node ESM, no dependencies: the tests (src/cli/scale.test.ts) and the
// benchmarks import it.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SOURCE = new URL('../go1.26/gctrace/gogc100.log', import.meta.url);
const RECORD = /^gc (\d+) @(\d+\.\d+)s (.*)$/;

/** The source log's gc records, as [at seconds, text after `@Ts `]. */
function sourceRecords() {
  return readFileSync(SOURCE, 'utf8')
    .split('\n')
    .map((line) => RECORD.exec(line))
    .filter((m) => m !== null)
    .map((m) => [Number(m[2]), m[3]]);
}

/** A gctrace log of `cycles` records (one line each, `\n`-terminated). */
export function gctraceLog(cycles) {
  const records = sourceRecords();
  const steady = records.slice(records.length >> 1);
  const period = steady.at(-1)[0] - steady[0][0] + (steady.at(-1)[0] - steady[0][0]) / (steady.length - 1);
  const out = [];
  let shift = 0;
  let from = records;
  for (let n = 1, i = 0; n <= cycles; n++, i++) {
    if (i === from.length) {
      shift += from === records ? records.at(-1)[0] - steady[0][0] + period / steady.length : period;
      from = steady;
      i = 0;
    }
    const [at, rest] = from[i];
    out.push(`gc ${n} @${(at + shift).toFixed(3)}s ${rest}\n`);
  }
  return out.join('');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(gctraceLog(Number(process.argv[2] ?? 100000)));
}
