import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

const BIN = new URL('../../bin/footprint.js', import.meta.url).pathname;

test('a reader that stops early (footprint … | head) ends the command quietly with exit 0', () => {
  // bash runs the pipe; `head -n 1` closes it after one line while footprint is still writing.
  const r = spawnSync('bash', ['-c', `set -o pipefail; node ${BIN} demo | head -n 1 >/dev/null`], { encoding: 'utf8', timeout: 60_000 });
  assert.doesNotMatch(r.stderr, /EPIPE|Unhandled/);
  assert.equal(r.status, 0, r.stderr);
});
