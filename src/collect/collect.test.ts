import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WrongInputError } from '../model/errors.js';
import { capturePlan, targetUrl } from './capture.js';

test('targetUrl: host:port, a base URL, or a URL into /debug/pprof all give the service base', () => {
  assert.equal(targetUrl('127.0.0.1:6060'), 'http://127.0.0.1:6060');
  assert.equal(targetUrl('http://127.0.0.1:6060/'), 'http://127.0.0.1:6060');
  assert.equal(targetUrl('http://localhost:6060/debug/pprof/'), 'http://localhost:6060');
  assert.equal(targetUrl('https://svc.internal:8443/admin/debug/pprof/heap?seconds=5'), 'https://svc.internal:8443/admin');
  assert.throws(() => targetUrl('ftp://host/'), WrongInputError);
  assert.throws(() => targetUrl('http://[bad'), WrongInputError);
});

test('the plan: heap profiles and /debug/vars spread over the window, deltas over all of it, the trace mid-window, /proc only with a pid', () => {
  const plan = capturePlan({ windowMs: 30_000, heapSnapshots: 4, traceSeconds: 2, pid: null });
  const at = (name: string) => plan.find((s) => s.name === name)!;
  assert.deepEqual(plan.filter((s) => s.kind === 'heap').map((s) => s.atMs), [0, 10_000, 20_000, 30_000]);
  assert.ok(plan.filter((s) => s.kind === 'heap').every((s) => s.path === '/debug/pprof/heap'), 'no forced GC: it would change what is measured');
  assert.deepEqual(plan.filter((s) => s.kind === 'vars').map((s) => s.atMs), [0, 10_000, 20_000, 30_000]);
  for (const delta of ['allocs', 'mutex', 'block']) {
    assert.equal(at(delta).atMs, 0);
    assert.match(at(delta).path, /\?seconds=30$/);
  }
  assert.equal(at('trace').atMs, 14_000);
  assert.equal(at('goroutine-start').atMs, 0);
  assert.equal(at('goroutine-dump').atMs, 30_000);
  assert.equal(plan.filter((s) => s.path.startsWith('/proc/')).length, 0);
  const withPid = capturePlan({ windowMs: 5_000, heapSnapshots: 3, traceSeconds: 0, pid: 42 });
  assert.deepEqual(withPid.filter((s) => s.path.startsWith('/proc/')).map((s) => s.path), ['/proc/42/smaps_rollup', '/proc/42/status', '/proc/42/smaps']);
  assert.equal(withPid.some((s) => s.kind === 'trace'), false, 'no trace with --trace-seconds 0');
  assert.equal(new Set(withPid.map((s) => s.file)).size, withPid.length, 'every artefact has its own file');
});
