import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { FormatError } from '../errors.js';
import { parseSmaps, parseSmapsRollup, parseStatus } from './index.js';
import { prng } from '../../testkit/prng.js';

const DIR = new URL('../../../testdata/captures/go1.26/lockpile/', import.meta.url).pathname;
const read = (f: string) => readFileSync(DIR + f, 'utf8');

test('smaps_rollup, status and smaps of a real Go service, in bytes', () => {
  const rollup = parseSmapsRollup(read('proc-smaps_rollup.txt'), 'proc-smaps_rollup.txt');
  const status = parseStatus(read('proc-status.txt'), 'proc-status.txt');
  const maps = parseSmaps(read('proc-smaps.txt'), 'proc-smaps.txt');
  assert.ok(rollup.Rss! > 0 && rollup.Rss! % 1024 === 0);
  assert.equal(status.memory.VmRSS, status.memory.RssAnon! + status.memory.RssFile! + status.memory.RssShmem!);
  assert.ok(status.threads! >= 1);
  // The per-mapping figures sum to the rollup's (smaps_rollup is their sum, taken a moment apart: the same process at rest).
  const sum = (field: string) => maps.reduce((s, m) => s + (m.fields[field] ?? 0), 0);
  assert.ok(Math.abs(sum('Rss') - rollup.Rss!) <= 0.05 * rollup.Rss!, `${sum('Rss')} vs ${rollup.Rss}`);
  assert.ok(maps.every((m) => m.end > m.start && /^[r-][w-][x-][ps]$/.test(m.perms)));
  assert.ok(maps.some((m) => m.path.endsWith('/lockpile')), 'the executable is mapped');
});

test('other files are FormatErrors naming the file; mutations parse or fail cleanly', () => {
  assert.throws(() => parseSmapsRollup('hello\n', 'x.txt'), (e: unknown) => e instanceof FormatError && e.source === 'x.txt');
  assert.throws(() => parseStatus('Name: x\n', 'status'), FormatError);
  assert.throws(() => parseSmaps('not a mapping\n', 'smaps'), FormatError);
  const text = read('proc-smaps.txt');
  const rand = prng(7);
  for (let i = 0; i < 200; i++) {
    const cut = Math.floor(rand() * text.length);
    const mutated = text.slice(0, cut) + String.fromCharCode(Math.floor(rand() * 128)) + text.slice(cut + 1 + Math.floor(rand() * 50));
    try {
      parseSmaps(mutated, 'smaps');
    } catch (err) {
      assert.ok(err instanceof FormatError, String(err));
    }
  }
});
