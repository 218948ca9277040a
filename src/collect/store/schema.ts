import { DIALECTS, num, StoreError, type Dialect, type Engine } from './engine.js';

/**
 * The store's schema, the same on both engines, as versioned migrations:
 * each runs once, in a transaction, recorded in schema_migrations. A store
 * written by a newer footprint (a version this one does not know) is refused
 * rather than misread.
 *
 * - Interned rows (id, content): strings (UTF-8), functions (name, system
 *   name and file as string ids, start line), mappings, frames (one pprof
 *   location: mapping, address, folded, its lines as (function, line,
 *   column)), label sets and heap sites (function, file, line, via), each
 *   content a key of varints (codec.ts), unique, so a frame or a function is
 *   stored once however many profiles hold it.
 * - stack_nodes: the stack tree by parent pointers, unique on (parent,
 *   frame); node 0 is the root; a sample's stack is a node and its ancestors,
 *   leaf first as pprof orders it.
 * - snapshots: one round of one target (time, interval, which kinds were
 *   stored, what failed, the MemStats footer); profiles: one per kind and
 *   snapshot, its header as JSON, per-type totals, and its samples as
 *   (stack node, label set, values) rows in two blobs, keys and values
 *   (codec.ts); heap and allocs profiles also carry their per-site totals,
 *   which `history` reads instead of the samples. The small columns come
 *   before the sample blobs: SQLite reaches a column past a large blob only
 *   by walking its overflow pages, and `history` reads the small ones of
 *   every snapshot.
 * - store_meta: the symbols generation (bumped by each garbage collection, so
 *   a writer knows its caches went stale) and the count of snapshots pruned
 *   since the last collection.
 */

interface Migration {
  version: number;
  statements: (d: Dialect) => string[];
}

const keyed = (d: Dialect, table: string, content: string) => `CREATE TABLE ${table} (id ${d.id}, content ${content} NOT NULL, ${d.uniqueContent})`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    statements: (d) => [
      'CREATE TABLE store_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)',
      "INSERT INTO store_meta (name, value) VALUES ('symbols_generation', '0'), ('pruned_since_collection', '0')",
      keyed(d, 'targets', 'TEXT'),
      keyed(d, 'strings', d.blob),
      keyed(d, 'functions', d.blob),
      keyed(d, 'mappings', d.blob),
      keyed(d, 'frames', d.blob),
      keyed(d, 'label_sets', d.blob),
      keyed(d, 'sites', d.blob),
      `CREATE TABLE stack_nodes (
        id ${d.id},
        parent_id ${d.int} REFERENCES stack_nodes (id) DEFERRABLE INITIALLY DEFERRED,
        frame_id ${d.int} REFERENCES frames (id) DEFERRABLE INITIALLY DEFERRED,
        UNIQUE (parent_id, frame_id))`,
      'INSERT INTO stack_nodes (id, parent_id, frame_id) VALUES (0, NULL, NULL)',
      `CREATE TABLE snapshots (
        id ${d.id},
        target_id ${d.int} NOT NULL REFERENCES targets (id),
        taken_at ${d.int} NOT NULL,
        interval_ms ${d.int} NOT NULL,
        kinds TEXT NOT NULL,
        errors TEXT NOT NULL,
        memstats TEXT)`,
      'CREATE INDEX snapshots_by_target_time ON snapshots (target_id, taken_at)',
      'CREATE INDEX snapshots_by_time ON snapshots (taken_at)',
      `CREATE TABLE profiles (
        id ${d.id},
        snapshot_id ${d.int} NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        header TEXT NOT NULL,
        sample_count ${d.int} NOT NULL,
        totals TEXT NOT NULL,
        site_keys ${d.blob},
        site_values ${d.blob},
        sample_keys ${d.blob} NOT NULL,
        sample_values ${d.blob} NOT NULL,
        UNIQUE (snapshot_id, kind))`,
    ],
  },
];

export const SCHEMA_VERSION = MIGRATIONS.at(-1)!.version;

/** Brings the store's schema up to date; safe to run from several processes at once. */
export async function migrate(engine: Engine): Promise<void> {
  const d = DIALECTS[engine.name];
  await engine.transaction(async () => {
    if (d.migrationLock) await engine.run(d.migrationLock);
    await engine.run(`CREATE TABLE IF NOT EXISTS schema_migrations (version ${d.int} PRIMARY KEY, applied_at ${d.int} NOT NULL)`);
    const rows = await engine.all('SELECT coalesce(max(version), 0) AS v FROM schema_migrations');
    const have = num(rows[0]?.['v']);
    if (have > SCHEMA_VERSION) {
      throw new StoreError(`the store has schema version ${have}, newer than this footprint knows (${SCHEMA_VERSION}): upgrade footprint to read it`);
    }
    for (const m of MIGRATIONS) {
      if (m.version <= have) continue;
      for (const sql of m.statements(d)) await engine.run(sql);
      await engine.run('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)', [m.version, Date.now()]);
    }
  });
}

/**
 * For a store opened read-only: its schema must be this footprint's, since
 * nothing can migrate it here (footprint watch or history migrate it).
 */
export async function checkSchema(engine: Engine): Promise<void> {
  let have = 0;
  try {
    const rows = await engine.all('SELECT coalesce(max(version), 0) AS v FROM schema_migrations');
    have = num(rows[0]?.['v']);
  } catch {
    // No schema_migrations table: not a store (or an empty file).
  }
  if (have === SCHEMA_VERSION) return;
  if (have > SCHEMA_VERSION) throw new StoreError(`the store has schema version ${have}, newer than this footprint knows (${SCHEMA_VERSION}): upgrade footprint to read it`);
  throw new StoreError(
    have === 0 ? 'not a footprint store (no schema): footprint watch writes one' : `the store has schema version ${have}, older than this footprint's (${SCHEMA_VERSION}): footprint history migrates it`,
  );
}
