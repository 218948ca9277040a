import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { decodeExpvarMemStats } from '../../formats/expvar/index.js';
import { decodeProfile } from '../../formats/index.js';
import { Report } from '../../report/report.js';
import { topReport } from '../../report/top.js';
import { analyzeHeap } from './index.js';
import { MEMSTATS_THRESHOLDS, memoryParts, memStatsBreakdown, memStatsFindings, memStatsProblems } from './memstats.js';
import { heapSites } from './sites.js';
import type { Snapshot } from './types.js';
import { isUserFunction } from '../go-names.js';

const ZOO = new URL('../../../testdata/zoo/', import.meta.url).pathname;

interface Planted {
  planted: string | null;
  function: string | null;
  severity?: string;
}
const MANIFEST = (JSON.parse(readFileSync(`${ZOO}manifest.json`, 'utf8')) as { programs: Record<string, Planted> }).programs;

function snapshots(name: string): Snapshot[] {
  return readdirSync(`${ZOO}${name}`)
    .filter((f) => /^heap\.\d+\.pb\.gz$/.test(f))
    .map((f) => {
      const profile = decodeProfile(readFileSync(`${ZOO}${name}/${f}`), f);
      return { profile, source: f, atMs: Number(profile.timeNanos / 1_000_000n) };
    });
}

function expvar(name: string) {
  const file = `${ZOO}${name}/vars.json`;
  return { source: file, stats: decodeExpvarMemStats(readFileSync(file), file) };
}

test('zoo: for every planted program, the planted kind at the planted function ranks first', () => {
  for (const [name, p] of Object.entries(MANIFEST)) {
    if (p.planted === null) continue;
    const a = analyzeHeap({ snapshots: snapshots(name), memStats: expvar(name) });
    const first = a.findings[0];
    assert.ok(first, `${name}: no finding`);
    assert.equal(first.kind, p.planted, `${name}: ${a.findings.map((f) => `${f.kind}@${f.location?.function}`).join(', ')}`);
    assert.equal(first.location?.function, p.function ?? undefined, name);
    assert.equal(first.severity, p.severity ?? 'high', name);
  }
});

test('findings name the program\'s own frame, keep the library frame in the evidence, and give one finding per function', () => {
  for (const name of Object.keys(MANIFEST)) {
    const a = analyzeHeap({ snapshots: snapshots(name), memStats: expvar(name) });
    for (const f of a.findings) {
      if (!f.location || f.kind === 'goroutine-leak') continue;
      assert.ok(isUserFunction(f.location.function), `${name}: ${f.kind} at ${f.location.function}`);
    }
    const keys = a.findings.filter((f) => f.location).map((f) => `${f.kind === 'small-object-accumulation' ? 'heap-growth' : f.kind} ${f.location!.function}`);
    assert.equal(new Set(keys).size, keys.length, `${name}: one finding per kind and function (${keys.join(', ')})`);
  }
  const json = analyzeHeap({ snapshots: snapshots('jsonchurn') }).findings[0]!;
  assert.match(String(json.evidence.find((e) => e.label === 'allocated inside')?.value), /^(encoding\/json|reflect|time|strconv|bytes)\./);
  const fmt = analyzeHeap({ snapshots: snapshots('fmtchurn') }).findings.filter((f) => f.kind === 'allocation-churn');
  assert.equal(fmt.length, 1, 'three churning lines of formatLine are one finding');
  assert.ok(fmt[0]!.evidence.filter((e) => e.label.startsWith('also at line')).length >= 1);
});

test('growing bytes of small objects are heap growth, with the object size in the evidence and advice', () => {
  const a = analyzeHeap({ snapshots: snapshots('sessions') });
  const f = a.findings[0]!;
  assert.equal(f.kind, 'heap-growth');
  const avg = f.evidence.find((e) => e.label === 'average object')!;
  assert.ok(typeof avg.value === 'number' && avg.value <= 256, 'small objects');
  const first = f.evidence.find((e) => e.label === 'inuse at the first snapshot')!.value as number;
  const last = f.evidence.find((e) => e.label === 'inuse at the last snapshot')!.value as number;
  assert.ok(last > 2 * first, `the bytes more than double (${first} → ${last})`);
  assert.match(f.advice, /small/);
  // tinyleak's bytes hold while its objects climb: that stays small-object accumulation.
  assert.equal(analyzeHeap({ snapshots: snapshots('tinyleak') }).findings[0]!.kind, 'small-object-accumulation');
});

test('zoo: the clean service at a plateau yields no high finding and no growth', () => {
  for (const [name, p] of Object.entries(MANIFEST)) {
    if (p.planted !== null) continue;
    const a = analyzeHeap({ snapshots: snapshots(name), memStats: expvar(name) });
    assert.deepEqual(a.findings.filter((f) => f.severity === 'high'), [], name);
    assert.ok(!a.findings.some((f) => f.kind === 'heap-growth' || f.kind === 'small-object-accumulation'), name);
  }
});

test('zoo: no program but the leaking ones shows growth, and the leaking ones show it at the planted function', () => {
  for (const [name, p] of Object.entries(MANIFEST)) {
    const a = analyzeHeap({ snapshots: snapshots(name) });
    const growth = a.findings.filter((f) => f.kind === 'heap-growth' || f.kind === 'small-object-accumulation' || f.location?.function === 'runtime.malg');
    const planted = p.planted === 'heap-growth' || p.planted === 'small-object-accumulation' || p.function === 'runtime.malg';
    if (!planted) assert.deepEqual(growth, [], name);
    // A leak may show in more than one place (the never-evicting cache also keeps its keys), but the planted one leads.
    else assert.equal(growth[0]?.location?.function, p.function, name);
  }
});

test('snapshots are ordered by their timestamps, whatever order the files come in', () => {
  const snaps = snapshots('cache');
  const forward = analyzeHeap({ snapshots: snaps });
  const shuffled = analyzeHeap({ snapshots: [snaps[3]!, snaps[0]!, snaps[5]!, snaps[1]!, snaps[4]!, snaps[2]!] });
  assert.deepEqual(shuffled.order, forward.order);
  assert.deepEqual(shuffled.findings, forward.findings);
  const times = snaps.map((s) => s.atMs!).sort((x, y) => x - y);
  assert.ok(forward.trend!.spanMinutes! > 0 && Math.abs(forward.trend!.spanMinutes! - (times.at(-1)! - times[0]!) / 60_000) < 1e-9);
});

test('snapshots sharing one timestamp, or with none, still show their growth in bytes, per snapshot, and say why there is no rate', () => {
  const snaps = snapshots('cache');
  const timed = analyzeHeap({ snapshots: snaps });
  const growth = (a: ReturnType<typeof analyzeHeap>) => a.findings.find((f) => f.kind === 'heap-growth')!;
  const first = (a: ReturnType<typeof analyzeHeap>) => growth(a).evidence.find((e) => e.label === 'inuse at the first snapshot')!.value;
  const cases: [string, number | null, RegExp][] = [
    ['one instant', snaps[0]!.atMs, /^every profile carries the same timestamp: ties are read in the order given, and growth is per snapshot, with no rate$/],
    ['no times', null, /^some profiles carry no timestamp \(debug=1 text\): they are read in the order given/],
  ];
  for (const [name, atMs, warning] of cases) {
    const a = analyzeHeap({ snapshots: snaps.map((s) => ({ ...s, atMs })) });
    assert.equal(a.trend!.spanMinutes, null, name);
    assert.match(a.order.noRate ?? '', /timestamp/, name);
    assert.match(a.warnings.join('\n'), warning, name);
    assert.equal(growth(a).severity, growth(timed).severity, `${name}: the growth is found as with times`);
    assert.equal(first(a), first(timed), name);
    assert.ok(growth(a).evidence.some((e) => e.label === 'growth per snapshot' && e.unit === 'bytes' && Number(e.value) > 0), name);
    assert.ok(!growth(a).evidence.some((e) => e.unit === 'bytes/min'), `${name}: no rate`);
  }
  const twoTimes = analyzeHeap({ snapshots: snaps.map((s, i) => ({ ...s, atMs: snaps[i < 3 ? 0 : 5]!.atMs })) });
  assert.match(twoTimes.order.noRate ?? '', /^only 2 different timestamps among 6 profiles$/);
  assert.equal(timed.order.noRate, undefined);
});

test('trend: a stack absent from a snapshot counts as 0 there, and the total is the sum of the sites', () => {
  const snaps = snapshots('queue');
  const a = analyzeHeap({ snapshots: snaps });
  const t = a.trend!;
  snaps.forEach((s, i) => {
    const inuse = s.profile.sampleTypes.findIndex((x) => x.type === 'inuse_space');
    let total = 0;
    for (let k = 0; k < s.profile.samples.count; k++) total += s.profile.samples.values[k * s.profile.sampleTypes.length + inuse]!;
    assert.equal(t.total.inuseBytes[i], total, `snapshot ${i}`);
    const sumSites = t.sites.reduce((sum, site) => sum + site.inuseBytes[i]!, 0);
    assert.ok(Math.abs(sumSites - total) < 1e-6);
  });
  for (const site of t.sites) assert.equal(site.inuseBytes.length, snaps.length);
});

test('cross-reading: site totals equal pprof\'s report totals, and each site of the program\'s own code holds at least its pprof flat', () => {
  for (const name of Object.keys(MANIFEST)) {
    const profile = snapshots(name).at(-1)!.profile;
    const sites = heapSites(profile, 'function');
    const fields = { inuse_space: 'inuseBytes', inuse_objects: 'inuseObjects', alloc_space: 'allocBytes', alloc_objects: 'allocObjects' } as const;
    for (const [sampleIndex, field] of Object.entries(fields)) {
      const rpt = new Report(profile, 'top', { sampleIndex, nodeCount: 1_000_000, nodeFraction: 0, trim: false });
      const rows = topReport(rpt).rows;
      const total = sites.reduce((s, x) => s + x[field], 0);
      assert.ok(Math.abs(total - rpt.total) <= 1e-6 * Math.max(1, rpt.total), `${name} ${sampleIndex}: ${total} vs ${rpt.total}`);
      for (const row of rows) {
        // Library frames (net.open, strconv.Itoa …) hand their bytes to the program's frame that called them.
        if (!isUserFunction(row.name) || row.flat === 0) continue;
        const site = sites.find((s) => s.function === row.name);
        assert.ok(site && site[field] >= row.flat - 1e-6, `${name} ${sampleIndex} ${row.name}`);
        assert.ok(site[field] <= row.cum + 1e-6, `${name} ${sampleIndex} ${row.name}: site ${site[field]} > cum ${row.cum}`);
      }
    }
  }
});

test('cross-reading: averages, retention and shares are the ratios of the four values', () => {
  const sites = heapSites(snapshots('tinyleak').at(-1)!.profile, 'line');
  const inuse = sites.reduce((s, x) => s + x.inuseBytes, 0);
  for (const s of sites) {
    if (s.inuseObjects > 0) assert.equal(s.avgInuseBytes, s.inuseBytes / s.inuseObjects);
    if (s.allocBytes > 0) assert.equal(s.retention, s.inuseBytes / s.allocBytes);
    assert.ok(Math.abs(s.inuseShare - s.inuseBytes / inuse) < 1e-12);
    assert.ok(s.file && s.line! > 0);
  }
});

test('MemStats: expvar and the debug=1 footer give the runtime\'s fields; heap parts add up to HeapSys', () => {
  for (const name of Object.keys(MANIFEST)) {
    const fromExpvar = memStatsBreakdown(expvar(name).stats);
    const text = decodeProfile(readFileSync(`${ZOO}${name}/heap.txt`), 'heap.txt');
    const fromFooter = memStatsBreakdown(text.memStats!);
    for (const b of [fromExpvar, fromFooter]) {
      for (const f of ['HeapAlloc', 'HeapInuse', 'HeapIdle', 'HeapReleased', 'HeapSys', 'StackInuse', 'MSpanInuse', 'MCacheInuse', 'GCSys', 'OtherSys', 'Sys', 'NextGC', 'NumGC'] as const) {
        assert.equal(typeof b[f], 'number', `${name}: ${f}`);
      }
      // runtime/mstats.go: HeapSys = HeapInuse + HeapIdle, and HeapReleased is part of HeapIdle.
      const parts = memoryParts(b);
      const heap = parts.filter((p) => p.part.startsWith('heap') || p.part === 'live heap objects').reduce((s, p) => s + p.bytes, 0);
      assert.equal(heap, b.HeapSys, name);
      assert.ok(parts.reduce((s, p) => s + p.bytes, 0) <= b.Sys!, name);
    }
    // Two fetches a moment apart: the same process, so the same order of magnitude.
    assert.ok(Math.abs(Math.log(fromExpvar.Sys! / fromFooter.Sys!)) < 0.5, name);
  }
});

test('MemStats findings: memory not returned and fragmentation follow their thresholds', () => {
  const M = 2 ** 20;
  const base = { HeapAlloc: 100 * M, HeapInuse: 110 * M, HeapIdle: 20 * M, HeapReleased: 10 * M, HeapSys: 130 * M, Sys: 150 * M };
  assert.deepEqual(memStatsFindings(base), []);
  const kept = MEMSTATS_THRESHOLDS.idleKeptMinBytes;
  // Exactly at both thresholds: `kept` free and not released, that share of what the process holds.
  const held = kept / MEMSTATS_THRESHOLDS.idleKeptShare;
  const idle = { ...base, HeapIdle: kept + 10 * M, HeapSys: 110 * M + kept + 10 * M, Sys: held + 10 * M };
  assert.deepEqual(memStatsFindings(idle).map((f) => f.kind), ['memory-not-returned']);
  // High needs half of what the process holds free, and 32 MiB of it beyond what the scavenger keeps
  // for the heap goal ((1 + 10%) × NextGC less the in-use spans); inside that allowance it is medium.
  const spike = { ...base, HeapAlloc: 40 * M, HeapInuse: 44 * M, HeapIdle: 3 * kept + 10 * M, HeapSys: 44 * M + 3 * kept + 10 * M, Sys: 44 * M + 3 * kept + 20 * M };
  const severity = (b: typeof spike & { NextGC?: number }) => memStatsFindings(b).map((f) => `${f.kind} ${f.severity}`);
  assert.deepEqual(severity(spike), ['memory-not-returned high'], 'no NextGC: every free page counts');
  const goalKeepingAll = (spike.HeapInuse + 3 * kept) / (1 + MEMSTATS_THRESHOLDS.scavengerRetainExtra);
  assert.deepEqual(severity({ ...spike, NextGC: goalKeepingAll }), ['memory-not-returned medium']);
  const goalKeepingAllBut = (spike.HeapInuse + 2 * kept) / (1 + MEMSTATS_THRESHOLDS.scavengerRetainExtra);
  assert.deepEqual(severity({ ...spike, NextGC: goalKeepingAllBut }), ['memory-not-returned high'], '32 MiB beyond the allowance');
  assert.deepEqual(severity({ ...spike, NextGC: goalKeepingAllBut + M }), ['memory-not-returned medium'], 'a MiB less beyond it');
  const frag = { ...base, HeapAlloc: 80 * M, HeapInuse: 80 * M * MEMSTATS_THRESHOLDS.fragmentationRatio };
  assert.deepEqual(memStatsFindings(frag).map((f) => f.kind), ['heap-fragmentation']);
  // Every zoo process: the findings fire exactly when the thresholds say.
  for (const name of Object.keys(MANIFEST)) {
    const b = memStatsBreakdown(expvar(name).stats);
    const kinds = memStatsFindings(b).map((f) => f.kind);
    const keptBytes = b.HeapIdle! - b.HeapReleased!;
    const expectIdle = keptBytes >= kept && keptBytes / (b.Sys! - b.HeapReleased!) >= MEMSTATS_THRESHOLDS.idleKeptShare;
    assert.equal(kinds.includes('memory-not-returned'), expectIdle, name);
  }
});

test('MemStats no runtime writes (Sys 0, negative, 2^64−1, parts above Sys, HeapInuse below HeapAlloc): the figure is skipped, saying why', () => {
  const good = expvar('cache').stats;
  const cases: [string, Record<string, number>, RegExp, string[]][] = [
    ['Sys 0', { Sys: 0 }, /^Sys = 0: a running Go program always holds memory from the OS; left out$/, []],
    ['negative', { HeapAlloc: -135016040 }, /^HeapAlloc = -135016040: MemStats fields are unsigned/, ['live heap objects', 'heap fragmentation']],
    ['2^64−1', { HeapIdle: 18446744073709551615 }, /^HeapIdle = 18446744073709552000: past 2\^53/, ['heap idle, kept']],
    ['parts above Sys', { Sys: 37391946 }, /^the parts add up to [\d.]+ MiB, more than Sys \(35\.7 MiB\)/, []],
    ['HeapInuse 0', { HeapInuse: 0 }, /^HeapInuse \(0 B\) is below HeapAlloc \(129 MiB\), though objects live inside in-use spans/, ['heap fragmentation']],
  ];
  const clean = analyzeHeap({ snapshots: snapshots('cache'), memStats: { source: 'vars.json', stats: good } });
  assert.deepEqual(clean.memoryProblems, []);
  for (const [name, edit, problem, gone] of cases) {
    const a = analyzeHeap({ snapshots: snapshots('cache'), memStats: { source: 'vars.json', stats: { ...good, ...edit } } });
    assert.match(a.memoryProblems!.join('\n'), problem, name);
    const parts = a.memory!.map((p) => p.part);
    for (const g of gone) assert.ok(!parts.includes(g), `${name}: ${g} left out`);
    assert.equal(parts.length, clean.memory!.length - gone.length, name);
    for (const p of a.memory!) {
      assert.ok(p.bytes >= 0 && (p.share === null || (p.share >= 0 && p.share <= 1)), `${name}: ${JSON.stringify(p)}`);
      if (/Sys/.test(name)) assert.equal(p.share, null, `${name}: no share of an unusable Sys`);
    }
    for (const f of a.findings) for (const e of f.evidence) if (typeof e.value === 'number') assert.ok(Number.isFinite(e.value) && e.value >= 0, `${name}: ${f.title}`);
  }
});

test('every committed MemStats (expvar and debug=1 footers of the zoo) is usable as it is', () => {
  for (const name of Object.keys(MANIFEST)) {
    assert.deepEqual(memStatsProblems(expvar(name).stats), [], name);
    assert.deepEqual(memStatsProblems(decodeProfile(readFileSync(`${ZOO}${name}/heap.txt`), 'heap.txt').memStats!), [], name);
  }
});

test('the profiling endpoint\'s own allocations (its gzip writer, its proto builder) raise no finding', () => {
  for (const name of Object.keys(MANIFEST)) {
    const a = analyzeHeap({ snapshots: snapshots(name), memStats: expvar(name) });
    const flagged = a.findings.map((f) => f.location?.function ?? '').filter((fn) => /^(compress\/flate|runtime\/pprof|net\/http\/pprof)\./.test(fn));
    assert.deepEqual(flagged, [], name);
    // The site table still lists them, as pprof does.
    assert.ok(a.sites.some((s) => s.function.startsWith('compress/flate.')), name);
  }
});
