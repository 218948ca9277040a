import { after } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProfileKind, SnapshotInput } from '../collect/store/types.js';
import { decodeProfile } from '../formats/index.js';
import type { Profile } from '../model/profile.js';
import { testPostgres, type TestPostgres } from './postgres.js';
import { tempDir } from './temp.js';

/**
 * The two engines every store test runs on: SQLite in a temp folder, and a
 * real PostgreSQL (testkit/postgres.ts). `fresh()` gives a new, empty store's
 * DEST; `skip` is set when PostgreSQL cannot be had (the reason, printed by
 * node:test).
 */
export interface TestEngine {
  name: 'sqlite' | 'postgres';
  fresh: () => Promise<string>;
  skip?: string;
  /** Strings that must never be printed (the PostgreSQL password). */
  secrets: string[];
}

export async function testEngines(label: string): Promise<TestEngine[]> {
  const dir = tempDir(after, label);
  let n = 0;
  const sqlite: TestEngine = { name: 'sqlite', fresh: async () => join(dir, `store-${++n}.db`), secrets: [] };
  const pg: TestPostgres = await testPostgres();
  if ('skip' in pg) {
    process.stderr.write(`${pg.skip}\n`);
    return [sqlite, { name: 'postgres', fresh: () => Promise.reject(new Error(pg.skip)), skip: pg.skip, secrets: [] }];
  }
  after(() => pg.stop());
  return [sqlite, { name: 'postgres', fresh: () => pg.database(), secrets: [pg.password] }];
}

const TESTDATA = new URL('../../testdata/', import.meta.url).pathname;
const load = (rel: string): Profile => decodeProfile(readFileSync(TESTDATA + rel), rel);

/** Real captures of Go 1.26 programs: every kind a round stores, with labels (goroutine, heap `bytes`) and inlined frames. */
export const STORE_FIXTURES: Record<ProfileKind, string> = {
  heap: 'go1.26/heap/heap.pb.gz',
  goroutine: 'go1.26/goroutines/goroutine.pb.gz',
  allocs: 'go1.26/heap/allocs.pb.gz',
  mutex: 'go1.26/contention/mutex.pb.gz',
  block: 'go1.26/contention/block.pb.gz',
};

/**
 * One round as watch stores it, from the fixtures: `kinds` picks the
 * profiles, `scale` multiplies every sample value of each (a heap that
 * grows from round to round, for history's findings).
 */
export function storedRound(target: string, at: number, kinds: Partial<Record<ProfileKind, string>> = STORE_FIXTURES, scale = 1): SnapshotInput {
  const memStats = load('go1.26/heap/heap.txt').memStats!;
  return {
    target,
    takenAtMs: at,
    intervalMs: 60_000,
    profiles: Object.entries(kinds).map(([kind, file]) => ({ kind: kind as ProfileKind, profile: scaled(load(file), scale) })),
    memStats,
    errors: [{ kind: 'trace', error: 'not asked' }],
  };
}

function scaled(p: Profile, k: number): Profile {
  return k === 1 ? p : { ...p, samples: { ...p.samples, values: p.samples.values.map((v) => Math.round(v * k)) } };
}

/** A SQLite store as a day of watch leaves it, small: one service whose heap grows round after round, and one quiet service. */
export interface FilledStore {
  dest: string;
  /** The growing service's snapshots, oldest first. */
  growing: number[];
  /** The quiet service's one snapshot (every kind). */
  quiet: number;
}

export const GROWING_TARGET = 'http://127.0.0.1:6060';
export const QUIET_TARGET = 'http://127.0.0.1:6061';

/** Writes the store into `dir`: six minutely rounds of the growing service (heap and allocs, ×1 … ×3.5), then the quiet one. */
export async function fillStore(dir: string): Promise<FilledStore> {
  const { Store } = await import('../collect/store/index.js');
  const dest = join(dir, 'filled.db');
  const store = await Store.open(dest);
  try {
    const t0 = Date.UTC(2026, 11, 6, 3);
    const growing: number[] = [];
    const kinds = { heap: STORE_FIXTURES.heap, allocs: STORE_FIXTURES.allocs };
    for (let i = 0; i < 6; i++) growing.push((await store.put(storedRound(GROWING_TARGET, t0 + i * 60_000, kinds, 1 + i / 2))).id);
    const quiet = (await store.put(storedRound(QUIET_TARGET, t0 + 6 * 60_000))).id;
    return { dest, growing, quiet };
  } finally {
    await store.close();
  }
}
