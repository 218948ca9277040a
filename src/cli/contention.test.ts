import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixturePath } from '../testkit/goroutine-fixtures.js';
import { runCli } from '../testkit/run-cli.js';

const stuck = (rel: string) => fixturePath('go1.26', `stuck/${rel}`);

test('contention --json: top sites by delay and count, callers, findings, caveat', async () => {
  const r = await runCli(['contention', '--json', stuck('mutex.pb.gz'), stuck('block.txt')]);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out) as {
    files: { file: string; kind: string; sites: { name: string; callers: unknown[] }[]; byDelay: { rows: unknown[] }; byCount: { rows: unknown[] }; caveat: string; findings: { kind: string }[] }[];
  };
  assert.deepEqual(
    j.files.map((f) => f.kind),
    ['mutex', 'block'],
  );
  for (const f of j.files) {
    assert.ok(f.sites.length > 0 && f.sites[0]!.callers.length > 0);
    assert.ok(f.byDelay.rows.length > 0 && f.byCount.rows.length > 0);
    assert.ok(f.findings.every((x) => x.kind === 'lock-contention'));
  }
});

test('contention: terminal report and refusals', async () => {
  const r = await runCli(['contention', stuck('mutex.txt')]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /mutex profile, .* of delay in [\d,]+ contentions/);
  assert.match(r.out, /1 in 2 contention events/);
  assert.match(r.out, /Who calls into the heaviest sites/);
  assert.match(r.out, /^  main\.audit: \S+ s flat, [\d,]+ contentions\n +100\.0%  ← main\.contend\.func1$/m);
  const wrong = await runCli(['contention', stuck('goroutine.pb.gz')]);
  assert.equal(wrong.code, 2);
  assert.match(wrong.err, /goroutine\.pb\.gz: not a mutex or block profile/);
  const bad = await runCli(['contention', stuck('goroutine.debug2.txt')]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /goroutine stack dump/);
});
