import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCliChild, type ChildRun } from '../../testkit/run-child.js';
import { gzipBomb } from '../../testkit/generate.js';
import { tempDir } from '../../testkit/temp.js';

/**
 * Issue 16.4: a gzip bomb is refused with bounded memory. Each command runs
 * in a child process whose peak RSS is measured (process.resourceUsage),
 * on 2 GiB of compressed zeros in a 2 MB file — before, every command
 * inflated all of it and peaked at 2.2 GB — and on a bomb that starts like
 * the format (a valid first line, then 2 GiB of zeros or spaces), which is
 * read up to the format's 256 MiB limit and refused there.
 */

const BOUND = 400 * 2 ** 20;
const dir = tempDir(after, 'bomb');

function write(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

function expectRefused(r: ChildRun, command: string, path: string, what: RegExp): void {
  assert.equal(r.timedOut, false, 'finished within its time bound');
  assert.equal(r.code, 2, `exit 2 (stderr: ${r.err})`);
  assert.equal(r.out, '');
  assert.match(r.err, new RegExp(`^footprint ${command}: ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ${what.source}\\n$`));
  assert.ok(r.maxRssBytes !== null, 'the child reported its peak RSS');
  assert.ok(r.maxRssBytes < BOUND, `peak RSS ${(r.maxRssBytes / 2 ** 20).toFixed(0)} MiB is under ${BOUND / 2 ** 20} MiB`);
}

const zeros = async () => write('zeros.gz', await gzipBomb(2048));

const ZEROS: [string, RegExp][] = [
  ['top', /not a profile: .*found binary data/],
  ['heap', /not a profile: .*found binary data/],
  ['goroutines', /no goroutine dump or goroutine profile in it: .*/],
  ['contention', /not a profile: .*found binary data/],
  ['gc', /binary data, not a gctrace log.*/],
  ['escapes', /not escape-analysis output: .*found binary data/],
  ['trace', /not a Go execution trace .*/],
];

test('gzip bomb: 2 GiB of zeros in 2 MB is refused by every command from its first 64 KiB, under 400 MiB, naming the file', async (t) => {
  const path = await zeros();
  for (const [command, what] of ZEROS) {
    const r = await runCliChild([command, path], { timeoutMs: 120_000 });
    t.diagnostic(`${command}: peak RSS ${((r.maxRssBytes ?? 0) / 2 ** 20).toFixed(0)} MiB`);
    expectRefused(r, command, path, what);
  }
});

const LIKE_THE_FORMAT: [string, string, string, RegExp][] = [
  ['top', 'heap profile: 1: 1 [1: 1] @ heap/1\n', '\0', /gzip data inflates to more than 256 MiB, the most footprint reads of a profile/],
  ['gc', 'gc 1 @0.012s 2%: 0.015+1.2+0.003 ms clock, 0.060+0.5/1.0/0+0.012 ms cpu, 4->4->0 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 4 P\n', ' ', /gzip data inflates to more than 256 MiB, the most footprint reads of a gctrace log/],
  ['trace', 'go 1.23 trace\0\0\0', '\0', /expected a batch \(type 1 or 49\), found byte 0 \(byte offset 16\)/],
];

test('gzip bomb: one that starts like the format is refused at its limit (traces: at the first batch), under 400 MiB, naming the file', async (t) => {
  for (const [command, head, fill, what] of LIKE_THE_FORMAT) {
    const path = write(`${command}-bomb.gz`, await gzipBomb(2048, head, fill.charCodeAt(0)));
    const r = await runCliChild([command, path], { timeoutMs: 120_000 });
    t.diagnostic(`${command}: peak RSS ${((r.maxRssBytes ?? 0) / 2 ** 20).toFixed(0)} MiB`);
    expectRefused(r, command, path, what);
  }
});
