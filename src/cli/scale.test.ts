import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { escapesOutput, gcTrace, gctraceLog, goroutineDump } from '../testkit/generate.js';
import { tempDir } from '../testkit/temp.js';
import { formatDuration } from '../model/units.js';
import { plotColumns } from '../present/html/svg.js';

/**
 * The commands on inputs of production size, built in the test from real
 * fixtures (testdata/generate/): each run is a child process with a time
 * bound (against hangs and quadratic work, not a timing assertion) and a cap
 * on its JavaScript heap. Before: 62,000 gc cycles and 125,000 trace pauses
 * overflowed the stack (exit 70), and 8,000 inlined escape sites took over a
 * minute.
 */

const BIN = new URL('../../bin/footprint.js', import.meta.url).pathname;
const tmp = tempDir(after, 'scale');
/** Generous: the machine running the suite may be shared; a quadratic step on these inputs takes many minutes. */
const TIME_BOUND_MS = 240_000;
const HEAP_CAP_MB = 1024;
/** What a page of charts reduced to the screen weighs at most, whatever the input's length. */
const PAGE_BYTES = 1_000_000;

function footprint(args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_CAP_MB}`, BIN, ...args], {
    encoding: 'utf8',
    timeout: TIME_BOUND_MS,
    maxBuffer: 1 << 30,
  });
  assert.equal(r.error, undefined, `footprint ${args.join(' ')}: ${r.error?.message}`);
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function write(name: string, data: string | Uint8Array): string {
  const file = join(tmp, name);
  writeFileSync(file, data);
  return file;
}

test('gc on 100,000 cycles: the report, its figures, and a page of a few hundred KB', async () => {
  const text = await gctraceLog(100_000);
  const log = write('gc.log', text);
  const page = join(tmp, 'gc.html');
  const r = footprint(['gc', '--html', page, log]);
  assert.equal(r.code, 0, r.err);
  // The figures, read from the log with regexps of the test's own.
  const peakMB = [...text.matchAll(/ms cpu, \d+->(\d+)->\d+ MB/g)].reduce((m, x) => Math.max(m, Number(x[1])), 0);
  const pauses = [...text.matchAll(/: ([\d.]+)\+[\d.]+\+([\d.]+) ms clock/g)].flatMap((m) => [Number(m[1]), Number(m[2])]);
  assert.equal(pauses.length, 200_000);
  assert.match(r.out, /100,000 GC cycles over/);
  assert.match(r.out, new RegExp(`Pauses +200,000 stop-the-world: .*, max ${formatDuration(pauses.reduce((m, p) => Math.max(m, p), 0) * 1e6)}\n`));
  assert.match(r.out, new RegExp(`, peak ${peakMB} MiB;`));
  const size = statSync(page).size;
  assert.ok(size > 50_000 && size < PAGE_BYTES, `page of ${size} bytes`);
  const markers = (readFileSync(page, 'utf8').match(/class="marker"/g) ?? []).length;
  assert.ok(markers > 500 && markers <= plotColumns(1060), `${markers} pause markers: one per column of the plot`);
});

test('trace with 150,000 GC cycles and over 125,000 heap-goal changes: the report and a bounded page', async () => {
  const file = write('gc.trace', await gcTrace(150_000));
  const page = join(tmp, 'trace.html');
  const r = footprint(['trace', '--html', page, file]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /GC +150,000 cycles/);
  assert.match(r.out, /Pauses +300,000 stop-the-world/);
  const steps = Number(/goal [^\n]* over ([\d,]+) steps/.exec(r.out)?.[1]?.replaceAll(',', ''));
  assert.ok(steps > 125_000, `${steps} goal changes`);
  const size = statSync(page).size;
  assert.ok(size > 50_000 && size < PAGE_BYTES, `page of ${size} bytes`);
});

test('goroutines --limit 0 on 130,000 groups lists every one', async () => {
  const dump = write('goroutines.txt', await goroutineDump(130_000));
  const page = join(tmp, 'goroutines.html');
  const r = footprint(['goroutines', '--limit', '0', '--system', '--html', page, dump]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /130,000 goroutines in 130,000 groups/);
  const rows = r.out.split('\n').filter((l) => /^ +1 {2}\S/.test(l));
  assert.equal(rows.length, 130_000);
  assert.ok(statSync(page).size < PAGE_BYTES);
});

test('escapes on -m=2 output with 16,000 inlined allocation sites lists every site', async () => {
  // Each copy adds three sites (newNodeK's &node{}, its inlined copy in buildListK, buildListK's append);
  // that every copy is tied to its own constructor is checked in src/formats/escape/origins.test.ts.
  const listed = async (sites: number) => {
    const r = footprint(['escapes', '--json', write(`escapes${sites}.txt`, await escapesOutput(sites))]);
    assert.equal(r.code, 0, r.err);
    return (JSON.parse(r.out) as { sites: unknown[] }).sites.length;
  };
  assert.equal((await listed(16_000)) - (await listed(1)), 3 * (16_000 - 1));
});
