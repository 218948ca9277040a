#!/usr/bin/env node
// Benchmark: the profile store (footprint watch / history) on the huge heap
// profile of bench/top-large.mjs (~400k distinct stacks, bench/out/heap400k.pb.gz).
//
//   node bench/store-large.mjs [--puts N] [--snapshots N] [--engines sqlite,postgres]
//
// 1. Stores the profile --puts times (default 5) as one service's snapshots a
//    minute apart, each with its values changed as a live service's change
//    (alloc_* grow 2% a minute, inuse_* vary ±10% per stack; the stacks are
//    the same), and prints the store bytes each snapshot added against the
//    profile's gzipped pprof size (goal: at most 1.2x once stacks are shared,
//    i.e. from the second snapshot on), and the time of each write.
// 2. Copies those snapshots' rows (byte for byte what the writes stored) up
//    to --snapshots (default 1440: a day of minutely snapshots), then times
//    `footprint history --json` on the store, as a user runs it (goal: < 2 s).
//
// SQLite in a temp folder; PostgreSQL in a throwaway cluster (the tests'
// testkit/postgres.ts: Debian's initdb, fsync off) or FOOTPRINT_TEST_POSTGRES.
// Exit code 0 (a measurement), 2 when something cannot run.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { failer, FOOTPRINT_BIN, OUT, ROOT, run } from './lib.mjs';

const fail = failer('store-large');
const PROFILE = path.join(OUT, 'heap400k.pb.gz');
const GOAL_BYTES = 1.2;
const GOAL_HISTORY_S = 2;

let puts = 5;
let snapshots = 1440;
let engines = ['sqlite', 'postgres'];
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (a === '--puts') puts = Number(process.argv[++i]);
  else if (a === '--snapshots') snapshots = Number(process.argv[++i]);
  else if (a === '--engines') engines = process.argv[++i].split(',');
  else fail(`unknown argument ${a}; usage: node bench/store-large.mjs [--puts N] [--snapshots N] [--engines sqlite,postgres]`);
}
if (!(puts >= 2) || !(snapshots >= puts)) fail('--puts must be at least 2 and --snapshots at least --puts');
if (!fs.existsSync(PROFILE)) fail(`${PROFILE} is missing: node bench/top-large.mjs generates it`);
const dist = path.join(ROOT, 'dist');
if (!fs.existsSync(path.join(dist, 'collect', 'store', 'index.js'))) fail('dist/ is missing: npm run build');

const { Store } = await import(path.join(dist, 'collect', 'store', 'index.js'));
const { decodeProfile } = await import(path.join(dist, 'formats', 'index.js'));
const { testPostgres } = await import(path.join(dist, 'testkit', 'postgres.js'));
const { prng } = await import(path.join(dist, 'testkit', 'prng.js'));

const gz = fs.readFileSync(PROFILE);
const base = decodeProfile(gz, PROFILE);
const T0 = Date.UTC(2026, 11, 6);
const target = 'http://bench:6060';
console.log(`profile: ${PROFILE}: ${base.samples.count} samples, ${(gz.length / 2 ** 20).toFixed(2)} MiB gzipped`);

/** The profile at minute i: same stacks, values as a live service's change. */
function minute(i, random) {
  const width = base.sampleTypes.length;
  const cols = base.sampleTypes.map((t) => t.type);
  const values = new Float64Array(base.samples.values.length);
  for (let s = 0; s < base.samples.count; s++) {
    const wobble = 0.9 + 0.2 * random();
    for (let c = 0; c < width; c++) {
      const v = base.samples.values[s * width + c];
      values[s * width + c] = Math.round(cols[c].startsWith('alloc') ? v * (1 + 0.02 * i) : v * wobble);
    }
  }
  return { ...base, samples: { ...base.samples, values } };
}

async function storeBytes(store, dest) {
  if (store.engine.name === 'sqlite') {
    await store.read((e) => e.all('PRAGMA wal_checkpoint(TRUNCATE)'));
    return fs.statSync(dest).size;
  }
  const [r] = await store.read((e) => e.all('SELECT pg_database_size(current_database()) AS n'));
  return Number(r.n);
}

async function bench(name, dest) {
  console.log(`\n== ${name}`);
  const store = await Store.open(dest);
  const random = prng(7);
  let before = await storeBytes(store, dest);
  const added = [];
  for (let i = 0; i < puts; i++) {
    const profile = minute(i, random);
    const t = performance.now();
    await store.put({ target, takenAtMs: T0 + i * 60_000, intervalMs: 60_000, profiles: [{ kind: 'heap', profile }], errors: [] });
    const ms = performance.now() - t;
    const now = await storeBytes(store, dest);
    added.push(now - before);
    console.log(`snapshot ${i + 1}: wrote in ${(ms / 1000).toFixed(2)} s, store +${((now - before) / 2 ** 20).toFixed(2)} MiB = ${((now - before) / gz.length).toFixed(3)}x the gzipped pprof`);
    before = now;
  }
  const shared = added.slice(1);
  const worst = Math.max(...shared) / gz.length;
  console.log(`bytes per snapshot once stacks are shared: worst ${worst.toFixed(3)}x, mean ${(shared.reduce((a, b) => a + b, 0) / shared.length / gz.length).toFixed(3)}x of ${gz.length} B gzipped (goal <= ${GOAL_BYTES}x: ${worst <= GOAL_BYTES ? 'met' : 'NOT met'})`);
  const copyStart = performance.now();
  await copySnapshots(store);
  console.log(`copied rows up to ${snapshots} snapshots in ${((performance.now() - copyStart) / 1000).toFixed(1)} s; store ${(await storeBytes(store, dest) / 2 ** 30).toFixed(2)} GiB`);
  await store.close();
  const times = [];
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    const res = await run(process.execPath, [FOOTPRINT_BIN, 'history', '--json', '--store', dest], { stdout: 'pipe' });
    times.push((performance.now() - t) / 1000);
    if (res.code !== 0) fail(`footprint history failed (${res.code})`);
    if (r === 0) console.log(`history lists ${JSON.parse(res.out).snapshots.length} snapshots`);
  }
  const best = Math.min(...times);
  console.log(`footprint history --json over ${snapshots} snapshots: ${times.map((t) => t.toFixed(2)).join(' s, ')} s (best ${best.toFixed(2)} s; goal < ${GOAL_HISTORY_S} s: ${best < GOAL_HISTORY_S ? 'met' : 'NOT met'})`);
}

/** New snapshot rows a minute apart, each with a copy of one stored snapshot's profile rows. */
async function copySnapshots(store) {
  const ids = (await store.list()).map((s) => s.id);
  const batch = 50;
  for (let n = ids.length; n < snapshots; n += batch) {
    await store.read((e) =>
      e.transaction(async () => {
        for (let k = n; k < Math.min(snapshots, n + batch); k++) {
          const from = ids[k % ids.length];
          const [row] = await e.all(
            'INSERT INTO snapshots (target_id, taken_at, interval_ms, kinds, errors, memstats) SELECT target_id, ?, interval_ms, kinds, errors, memstats FROM snapshots WHERE id = ? RETURNING id',
            [T0 + k * 60_000, from],
          );
          await e.run(
            `INSERT INTO profiles (snapshot_id, kind, header, sample_count, totals, site_keys, site_values, sample_keys, sample_values)
             SELECT ?, kind, header, sample_count, totals, site_keys, site_values, sample_keys, sample_values FROM profiles WHERE snapshot_id = ?`,
            [Number(row.id), from],
          );
        }
      }),
    );
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'footprint-bench-store-'));
try {
  if (engines.includes('sqlite')) await bench('SQLite (better-sqlite3, WAL, synchronous=FULL)', path.join(dir, 'store.db'));
  if (engines.includes('postgres')) {
    const pg = await testPostgres();
    if ('skip' in pg) console.log(`\n== PostgreSQL: ${pg.skip}`);
    else {
      try {
        await bench('PostgreSQL (pg, throwaway local cluster)', await pg.database());
      } finally {
        await pg.stop();
      }
    }
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
