import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { FormatError } from '../formats/errors.js';
import { EXIT } from '../model/errors.js';
import { runCli } from '../testkit/run-cli.js';
import { tempDir } from '../testkit/temp.js';
import { captureIo } from './io.js';
import { reportError } from './main.js';

const TESTDATA = new URL('../../testdata/', import.meta.url).pathname;
const stuck = (f: string) => join(TESTDATA, 'go1.26/stuck', f);
const zoo = (name: string) => join(TESTDATA, 'zoo', name);
const tmp = tempDir(after, 'main');

test('an error footprint means is one line and its exit code; anything else is an internal error (70), one line asking for a report', () => {
  const io = captureIo();
  assert.equal(reportError(io, 'top', new FormatError('not a profile', 'x.bin'), false), EXIT.usage);
  assert.equal(io.stderr(), 'footprint top: x.bin: not a profile\n');
  const bug = captureIo();
  assert.equal(reportError(bug, 'heap', new TypeError('cannot read properties of undefined\n(reading "x")'), false), EXIT.internal);
  assert.equal(bug.stderr().split('\n').length, 2, 'one line');
  assert.match(bug.stderr(), /^footprint heap: internal error: .*please report it/);
  const debug = captureIo();
  reportError(debug, 'heap', new Error('boom'), true);
  assert.match(debug.stderr(), /\n\s+at /, '--debug adds the stack');
});

test('--fail-on SEVERITY: exit 1 with one line when a finding is at or above it, 0 otherwise, 2 for a bad severity', async () => {
  const leak = [1, 2, 3, 4, 5, 6].map((i) => zoo(`cache/heap.${i}.pb.gz`));
  const fails = await runCli(['heap', '--fail-on', 'high', ...leak]);
  assert.equal(fails.code, EXIT.checkFailed, fails.err);
  assert.match(fails.err, /^footprint heap: \d+ findings? at high or above \(--fail-on high\)\n$/);
  assert.match(fails.out, /\[heap-growth\]/, 'the report is printed as usual');
  const steady = [1, 2, 3, 4, 5, 6].map((i) => zoo(`steady/heap.${i}.pb.gz`));
  const passes = await runCli(['heap', '--fail-on=high', '--json', ...steady]);
  assert.equal(passes.code, 0, passes.err);
  const gate = await runCli(['goroutines', '--fail-on', 'medium', stuck('goroutine.debug2.txt')]);
  assert.equal(gate.code, EXIT.checkFailed);
  const bad = await runCli(['gc', '--fail-on', 'severe', join(TESTDATA, 'go1.26/gctrace/gogc100.log')]);
  assert.equal(bad.code, EXIT.usage);
  assert.match(bad.err, /--fail-on wants one of high, medium, low, info, got "severe"/);
});

test('--html to a path that cannot be written: the report is still printed, then one line, exit 2', async () => {
  const dir = join(tmp, 'a-folder');
  mkdirSync(dir);
  const r = await runCli(['goroutines', '--html', dir, stuck('goroutine.debug2.txt')]);
  assert.equal(r.code, EXIT.usage);
  assert.match(r.out, /goroutines in \d+ groups/, 'the terminal report');
  assert.match(r.err, /^footprint goroutines: cannot write .*a-folder: EISDIR\n$/);
});

test('-flat and -cum: the later one on the command line wins, as in pprof', async () => {
  const profile = join(TESTDATA, 'go1.23/heap/heap.pb.gz');
  const flat = (await runCli(['top', profile])).out;
  const cum = (await runCli(['top', '-cum', profile])).out;
  assert.notEqual(flat, cum);
  assert.equal((await runCli(['top', '-cum', '-flat', profile])).out, flat);
  assert.equal((await runCli(['top', '-flat', '-cum', profile])).out, cum);
});
