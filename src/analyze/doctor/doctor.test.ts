import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCapture } from '../../collect/load.js';
import { PROFILER_FUNCTION } from '../go-names.js';
import { compareDiagnoses, diagnose } from './index.js';

/**
 * The committed captures (testdata/regen-captures.sh: zoo services under
 * `footprint doctor --pid`), diagnosed offline. The live zoo test does the
 * same against running services; these pin the merging and the RSS sums
 * without Go.
 */

const CAPTURES = new URL('../../../testdata/captures/go1.26/', import.meta.url).pathname;
const load = (name: string) => loadCapture(join(CAPTURES, name));

test('goleak: one goroutine-leak at the user function, seen at the end and as growth over the window', () => {
  const d = diagnose(load('goleak'));
  assert.deepEqual(d.captures.filter((c) => c.status !== 'ok'), []);
  const first = d.findings[0]!;
  assert.equal(first.kind, 'goroutine-leak');
  assert.equal(first.severity, 'high');
  assert.equal(first.location?.function, 'main.awaitReply');
  // The dump's group and the profiles' growth are one cause: one finding.
  assert.equal(d.findings.filter((f) => f.kind === 'goroutine-leak' && f.location?.function === 'main.awaitReply').length, 1);
  assert.ok(first.merged.some((m) => m.kind === 'goroutine-leak' && m.domain === 'goroutines'));
  const g = d.figures.goroutines!;
  assert.ok(g.start! < g.end!, 'goroutines grew over the window');
  for (const f of d.findings) assert.ok(!PROFILER_FUNCTION.test(f.location?.function ?? ''), f.title);
  // The program never turned mutex or block profiling on: said once each.
  assert.equal(d.notes.filter((n) => n.startsWith('mutex profiling is off')).length, 1);
  assert.equal(d.notes.filter((n) => n.startsWith('block profiling is off')).length, 1);
});

test('lockpile: waiters, holder and queued goroutines are one lock-contention finding at the waiting function, naming the holder', () => {
  const d = diagnose(load('lockpile'));
  const first = d.findings[0]!;
  assert.equal(first.kind, 'lock-contention');
  assert.equal(first.location?.function, 'main.(*registry).lookup');
  assert.equal(first.evidence.find((e) => e.label === 'lock held by')?.value, 'main.(*registry).flush');
  assert.ok(first.seenIn.includes('block profile') && first.seenIn.includes('mutex profile'), first.seenIn.join(', '));
  assert.equal(d.findings.filter((f) => f.kind === 'lock-contention' && f.severity !== 'low').length, 1, 'one cause, one finding');
});

test('RSS: the parts add up to smaps_rollup\'s Rss, and the MemStats parts are the footer\'s figures', () => {
  for (const name of ['goleak', 'lockpile']) {
    const input = load(name);
    const d = diagnose(input);
    const rollup = readFileSync(join(CAPTURES, name, 'proc-smaps_rollup.txt'), 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(rollup)![1]) * 1024;
    assert.equal(d.rss!.bytes, kb('Rss'), name);
    assert.equal(d.rss!.parts.reduce((s, p) => s + p.bytes, 0), kb('Rss'), `${name}: the parts add up`);
    const stats = input.memStats!.value;
    const part = (prefix: string) => d.rss!.parts.find((p) => p.name.startsWith(prefix))!.bytes;
    assert.equal(part('goroutine stacks'), stats.StackInuse, name);
    assert.equal(part('free heap not returned'), Number(stats.HeapIdle) - Number(stats.HeapReleased), name);
    // File-backed pages are what smaps_rollup says is not anonymous.
    assert.equal(part('binary (code') + part('other file-backed'), kb('Rss') - kb('Anonymous'), name);
  }
});

test('compare: a capture against itself changes nothing; against another service, its causes are gone and the other\'s new', () => {
  const goleak = { source: 'goleak', analysis: diagnose(load('goleak')) };
  const lockpile = { source: 'lockpile', analysis: diagnose(load('lockpile')) };
  const same = compareDiagnoses(goleak, goleak);
  assert.ok(same.findings.every((c) => c.change === 'same'));
  const other = compareDiagnoses(goleak, lockpile);
  assert.ok(other.findings.some((c) => c.change === 'gone' && c.before?.location?.function === 'main.awaitReply'));
  assert.ok(other.findings.some((c) => c.change === 'new' && c.after?.location?.function === 'main.(*registry).lookup'));
  assert.equal(other.findings[0]!.change, 'new', 'new causes first');
  const goroutines = other.headlines.find((h) => h.label === 'goroutines at the end')!;
  assert.equal(goroutines.before, goleak.analysis.figures.goroutines!.end);
  assert.equal(goroutines.after, lockpile.analysis.figures.goroutines!.end);
});

test('RSS: MemStats a runtime cannot write (Sys = 0, a negative or wrapped counter) leave the RSS unsplit, saying why', () => {
  const input = load('lockpile');
  const broken = { ...input, memStats: { source: 'heap.txt', value: { ...input.memStats!.value, Sys: 0, HeapIdle: -5 } } };
  const d = diagnose(broken);
  assert.deepEqual(d.rss!.parts.map((p) => p.name), ['resident, not explained']);
  assert.ok(d.notes.some((n) => /^RSS: the MemStats cannot be used to split it \(.*Sys = 0.*HeapIdle = -5/.test(n)), d.notes.join('\n'));
});
