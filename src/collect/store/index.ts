import { existsSync } from 'node:fs';
import type { MemStats, Profile } from '../../model/profile.js';
import { checkStore } from './check.js';
import { describeDest, parseDest, secretsOf, type StoreDest } from './dest.js';
import { StoreError, type Engine } from './engine.js';
import { collectGarbage, prune, type CollectResult, type PruneResult } from './gc.js';
import { Interner } from './intern.js';
import { openPostgres } from './postgres.js';
import type { TargetHistory } from '../../analyze/history/types.js';
import { readHistory } from './history.js';
import { getSnapshot, listSnapshots, readMemStats, readProfile, type SnapshotFilter } from './read.js';
import { checkSchema, migrate } from './schema.js';
import { openSqlite } from './sqlite.js';
import type { ProfileKind, SnapshotInfo, SnapshotInput, WriteResult } from './types.js';
import { putSnapshot } from './write.js';

export type * from './types.js';
export { DEFAULT_STORE, describeDest, parseDest, parseStoreRef, type StoreDest, type StoreRef } from './dest.js';
export { StoreError, type Engine } from './engine.js';
export type { SnapshotFilter } from './read.js';
export type { CollectResult, PruneResult } from './gc.js';

/**
 * A profile store: SQLite (embedded, one file) or PostgreSQL (shared by
 * several watchers). Every operation that writes is one transaction, and
 * they run one at a time (several targets are watched concurrently, their
 * snapshots are written in turn).
 */
export class Store {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly interner: Interner;

  private constructor(
    readonly engine: Engine,
    /** Where the store is, safe to print (no password). */
    readonly description: string,
  ) {
    this.interner = new Interner(engine);
  }

  /**
   * Opens (and migrates) the store. `create: false` refuses a SQLite path
   * that does not exist, so `history` on a mistyped name says so instead of
   * making an empty store. `readOnly` (implies `create: false`) opens it so
   * that no write can happen — SQLite's read-only flag, a read-only
   * PostgreSQL session — and checks its schema instead of migrating it.
   */
  static async open(dest: StoreDest | string | undefined, options: { create: boolean; readOnly?: boolean } = { create: true }): Promise<Store> {
    const d = typeof dest === 'object' ? dest : parseDest(dest);
    const description = describeDest(d);
    const readOnly = options.readOnly === true;
    if (d.engine === 'sqlite' && (!options.create || readOnly) && !existsSync(d.path)) throw new StoreError(`no store at ${d.path}`);
    const engine = d.engine === 'sqlite' ? openSqlite(d.path, { readOnly }) : await openPostgres(d.url, description, secretsOf(d), { readOnly });
    try {
      await (readOnly ? checkSchema(engine) : migrate(engine));
    } catch (err) {
      await engine.close();
      throw err;
    }
    return new Store(engine, description);
  }

  /** Runs `fn` after everything queued before it. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  put(input: SnapshotInput): Promise<WriteResult> {
    return this.serial(() => putSnapshot(this.engine, this.interner, input));
  }

  list(filter: SnapshotFilter = {}): Promise<SnapshotInfo[]> {
    return this.serial(() => listSnapshots(this.engine, filter));
  }

  /** What `history` analyses: per target, per snapshot, site totals, goroutine count and GC figures. */
  history(filter: SnapshotFilter = {}): Promise<TargetHistory[]> {
    return this.serial(() => readHistory(this.engine, filter));
  }

  snapshot(id: number): Promise<SnapshotInfo> {
    return this.serial(() => getSnapshot(this.engine, id));
  }

  profile(snapshot: number, kind: ProfileKind): Promise<Profile> {
    return this.serial(() => readProfile(this.engine, snapshot, kind));
  }

  memStats(snapshot: number): Promise<MemStats | undefined> {
    return this.serial(() => readMemStats(this.engine, snapshot));
  }

  /** Deletes snapshots taken before `beforeMs`, and what only they referenced once enough were pruned. */
  prune(beforeMs: number): Promise<PruneResult> {
    return this.serial(() => prune(this.engine, beforeMs));
  }

  collectGarbage(): Promise<CollectResult> {
    return this.serial(() => collectGarbage(this.engine));
  }

  /** Problems in words; empty when the store is whole. */
  check(): Promise<string[]> {
    return this.serial(() => checkStore(this.engine));
  }

  /** Runs `fn` with the engine, in turn with everything else (history's reads). */
  read<T>(fn: (engine: Engine) => Promise<T>): Promise<T> {
    return this.serial(() => fn(this.engine));
  }

  close(): Promise<void> {
    return this.serial(() => this.engine.close());
  }
}
