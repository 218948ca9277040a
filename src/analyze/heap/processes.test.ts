import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { decodeProfile } from '../../formats/index.js';
import { analyzeHeap } from './index.js';
import { differentProcesses } from './processes.js';
import { orderSnapshots } from './trend.js';
import type { Snapshot } from './types.js';

const TESTDATA = new URL('../../../testdata/', import.meta.url).pathname;

function snap(path: string): Snapshot {
  const profile = decodeProfile(readFileSync(`${TESTDATA}${path}`), path);
  return { profile, source: path, atMs: profile.timeNanos > 0n ? Number(profile.timeNanos / 1_000_000n) : null };
}

/** The same snapshot as legacy text would give it: no mappings, so only the stacks can tell. */
const withoutMappings = (s: Snapshot): Snapshot => ({ ...s, profile: { ...s.profile, mappings: [] } });

test('snapshots of one process are one process: every zoo service, and t0/t1 of the diff program', () => {
  const services = readdirSync(`${TESTDATA}zoo`, { withFileTypes: true }).filter((d) => d.isDirectory());
  let checked = 0;
  for (const { name: d } of services) {
    const files = readdirSync(`${TESTDATA}zoo/${d}`).filter((f) => /^heap\.\d+\.pb\.gz$/.test(f));
    if (files.length < 2) continue;
    const ordered = orderSnapshots(files.map((f) => snap(`zoo/${d}/${f}`)));
    assert.equal(differentProcesses(ordered), undefined, d);
    assert.equal(differentProcesses(ordered.map(withoutMappings)), undefined, `${d} without mappings`);
    checked++;
  }
  assert.ok(checked >= 9, `${checked} services`);
  const t = ['go1.26/diff/t0.allocs.pb.gz', 'go1.26/diff/t1.allocs.pb.gz'].map(snap);
  assert.equal(differentProcesses(t), undefined);
});

test('two runs of one binary are two processes: by [vdso]\'s address, or (text) by stacks the later run lacks', () => {
  const [before, after] = ['go1.26/diff/before.heap.pb.gz', 'go1.26/diff/after.heap.pb.gz'].map(snap) as [Snapshot, Snapshot];
  assert.equal(before.profile.mappings[0]!.buildId, after.profile.mappings[0]!.buildId, 'the same binary');
  assert.match(differentProcesses([before, after]) ?? '', /^\[vdso\] is mapped at 0x[0-9a-f]+ in .*before.* and at 0x[0-9a-f]+ in .*after/);
  // before calls legacyEncode, after never does (testdata/programs/diff): its stacks are missing from after.
  assert.match(differentProcesses([before, after].map(withoutMappings)) ?? '', /^\d+ allocation stacks? of .*before\.heap\.pb\.gz (is|are) missing from/);
  const [t0, t1] = ['go1.26/diff/t0.allocs.pb.gz', 'go1.26/diff/t1.allocs.pb.gz'].map(snap) as [Snapshot, Snapshot];
  assert.match(differentProcesses([t1, t0]) ?? '', /missing from .*t0.*not in time order/, 'out of order reads as a restart');
  const [g123, g126] = ['go1.23/heap/heap.txt', 'go1.26/heap/heap.txt'].map(snap) as [Snapshot, Snapshot];
  assert.ok(differentProcesses([g123, g126]) !== undefined, 'two Go versions\' text profiles');
});

test('heap OLD NEW from two processes: no trend and no rate across them, the latest read alone, and a warning that says why', () => {
  const [before, after] = ['go1.26/diff/before.heap.pb.gz', 'go1.26/diff/after.heap.pb.gz'].map(snap) as [Snapshot, Snapshot];
  const both = analyzeHeap({ snapshots: [before, after] });
  const alone = analyzeHeap({ snapshots: [after] });
  assert.equal(both.trend, undefined);
  assert.equal(both.order.oneProcess, false);
  assert.deepEqual(both.order.sources, [before.source, after.source]);
  assert.deepEqual(both.findings, alone.findings);
  assert.deepEqual(both.sites, alone.sites);
  assert.ok(!both.findings.some((f) => f.evidence.some((e) => e.unit === 'bytes/s' || e.unit === 'bytes/min')), 'no rate');
  assert.equal(both.warnings.length, 1);
  assert.match(both.warnings[0]!, /\[vdso\] is mapped at .*A trend or an allocation rate across processes would compare unrelated totals, so only .*after\.heap\.pb\.gz is read; footprint heap --compare OLD NEW/);
  const oneProcess = analyzeHeap({ snapshots: ['go1.26/diff/t0.allocs.pb.gz', 'go1.26/diff/t1.allocs.pb.gz'].map(snap) });
  assert.equal(oneProcess.order.oneProcess, true);
  assert.ok(oneProcess.trend, 'one process keeps its trend');
});
