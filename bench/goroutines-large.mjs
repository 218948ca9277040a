#!/usr/bin/env node
// Benchmark: `footprint goroutines` on a dump of >100,000 goroutines, side by side
// with panicparse (`pp`, github.com/maruel/panicparse/v2) when it is installed.
//
//   node bench/goroutines-large.mjs [--copies N]
//
// The dump is built from the real 12,600-goroutine capture
// (testdata/go1.26/stuckmany/goroutine.debug2.txt.gz) by repeating its goroutine
// blocks with fresh ids, so every stack is one Go really printed. It checks that
// the groups come out as N copies of the capture's groups, and prints the parse
// and grouping time, peak memory, and pp's time on the same file.
// Exit code: 0 when the grouping is right (this is a measurement), 1 when it is
// not, 2 when something fails to run. Plain Node ESM, no dependencies.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(BENCH);
const OUT = path.join(BENCH, 'out');
const SOURCE = path.join(ROOT, 'testdata/go1.26/stuckmany/goroutine.debug2.txt.gz');
const copiesArg = process.argv.indexOf('--copies');
const COPIES = copiesArg > 0 ? Number(process.argv[copiesArg + 1]) : 8;
const DUMP = path.join(OUT, `goroutines-x${COPIES}.txt`);

function buildDump() {
  const text = gunzipSync(fs.readFileSync(SOURCE)).toString('utf8');
  const blocks = text.split('\n\n').filter((b) => b.startsWith('goroutine '));
  const out = [];
  for (let k = 0; k < COPIES; k++) {
    const offset = k * 10_000_000;
    for (const b of blocks) {
      out.push(b.replace(/^goroutine (\d+)/, (_, id) => `goroutine ${Number(id) + offset}`).replace(/ in goroutine (\d+)$/gm, (_, id) => ` in goroutine ${Number(id) + offset}`));
    }
  }
  fs.mkdirSync(OUT, { recursive: true });
  fs.writeFileSync(DUMP, out.join('\n\n') + '\n');
  return { goroutines: out.length, baseGoroutines: blocks.length, bytes: fs.statSync(DUMP).size };
}

async function measureInProcess() {
  const { decodeGoroutineInput } = await import(path.join(ROOT, 'dist/formats/goroutines/index.js'));
  const { analyzeGoroutines } = await import(path.join(ROOT, 'dist/analyze/goroutines/index.js'));
  const base = analyzeGoroutines(decodeGoroutineInput(fs.readFileSync(SOURCE)));
  const bytes = fs.readFileSync(DUMP);
  const heapBefore = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const input = decodeGoroutineInput(bytes, DUMP);
  const t1 = performance.now();
  const analysis = analyzeGoroutines(input);
  const t2 = performance.now();
  const heapAfter = process.memoryUsage().heapUsed;
  // A group is its state, stack and creator site (the analysis keeps no key of its own).
  const key = (g) => JSON.stringify([g.state, g.leaked, g.frames, g.creator]);
  const want = new Map(base.groups.map((g) => [key(g), g.count * COPIES]));
  const ok = analysis.groups.length === base.groups.length && analysis.groups.every((g) => want.get(key(g)) === g.count);
  return { parseMs: t1 - t0, groupMs: t2 - t1, heapMB: (heapAfter - heapBefore) / 2 ** 20, analysis, ok };
}

function timeCommand(cmd, args, stdinFile) {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], {
    input: stdinFile ? fs.readFileSync(stdinFile) : undefined,
    maxBuffer: 1 << 30,
    encoding: 'utf8',
  });
  const ms = performance.now() - t0;
  if (r.status === null || r.error) return undefined;
  const rssKB = Number(r.stderr.trim().split('\n').pop());
  return { ms, rssMB: rssKB / 1024, status: r.status, stdout: r.stdout };
}

function findPanicparse() {
  for (const p of [process.env.PANICPARSE, path.join(process.env.HOME ?? '', 'go/bin/pp')]) {
    if (p && fs.existsSync(p)) return p;
  }
  const which = spawnSync('sh', ['-c', 'command -v pp'], { encoding: 'utf8' });
  return which.status === 0 ? which.stdout.trim() : undefined;
}

const built = buildDump();
console.log(`dump: ${built.goroutines} goroutines (${COPIES} × ${built.baseGoroutines}), ${(built.bytes / 2 ** 20).toFixed(1)} MiB: ${DUMP}`);
const m = await measureInProcess();
console.log(`footprint (in process): parse ${m.parseMs.toFixed(0)} ms, group + findings ${m.groupMs.toFixed(0)} ms, heap +${m.heapMB.toFixed(0)} MiB; ${m.analysis.groups.length} groups, counts ${m.ok ? 'equal' : 'DIFFER from'} ${COPIES} × the capture's`);
const cli = timeCommand('node', [path.join(ROOT, 'bin/footprint.js'), 'goroutines', '--json', DUMP]);
if (!cli || cli.status !== 0) {
  console.error('footprint goroutines failed to run');
  process.exit(2);
}
console.log(`footprint goroutines --json (whole CLI): ${cli.ms.toFixed(0)} ms, max RSS ${cli.rssMB.toFixed(0)} MiB`);
const pp = findPanicparse();
if (pp) {
  const r = timeCommand(pp, ['-rel-path'], DUMP);
  if (r) {
    const buckets = (r.stdout.match(/^\d+: /gm) ?? []).length;
    console.log(`panicparse pp (${pp}): ${r.ms.toFixed(0)} ms, max RSS ${r.rssMB.toFixed(0)} MiB, ${buckets} buckets; footprint/pp time ${(cli.ms / r.ms).toFixed(2)}×`);
  }
} else {
  console.log('panicparse pp not found (set PANICPARSE=/path/to/pp, or go install github.com/maruel/panicparse/v2/cmd/pp@v2.5.0)');
}
process.exit(m.ok ? 0 : 1);
