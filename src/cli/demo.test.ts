import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runDemo } from './demo.js';
import { captureIo } from './io.js';

test('demo runs every shipped sample with no Go at hand, each after the command a user would type', async () => {
  const io = captureIo();
  assert.equal(await runDemo([], io), 0);
  const out = io.stdout();
  assert.equal(io.stderr(), '');
  const commands = [...out.matchAll(/^\$ footprint (\S+)/gm)].map((m) => m[1]);
  assert.deepEqual(commands, ['top', 'top', 'heap', 'gc', 'doctor', 'heapdump']);
  // What each sample was built to show (testdata/programs/heap, zoo/lockpile, heapdump's planted.json).
  assert.match(out, /main\.growRegistry/);
  assert.match(out, /lock-contention|lock/i);
  assert.match(out, /main\.\(\*registry\)\.lookup/);
  assert.match(out, /main\.cache \(global\), 1,025 objects/, 'the planted cache: 1,024 entries and their slice');
  assert.match(out, /^Try: footprint ui /m);
});
