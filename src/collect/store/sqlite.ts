import { closeSync, existsSync, openSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { StoreError, TEXT_TABLES, type Content, type Engine, type KeyedTable, type Row, type SqlValue } from './engine.js';

/** The part of better-sqlite3's API the store uses (its own types are not a dependency). */
interface Statement {
  run(...params: SqlValue[]): { changes: number };
  all(...params: SqlValue[]): unknown[];
  get(...params: SqlValue[]): unknown;
}
interface Database {
  prepare(sql: string): Statement;
  exec(sql: string): void;
  pragma(sql: string, options?: { simple?: boolean }): unknown;
  close(): void;
}
type DatabaseConstructor = new (path: string, options?: { timeout?: number; readonly?: boolean; fileMustExist?: boolean }) => Database;

function loadDriver(): DatabaseConstructor {
  try {
    return createRequire(import.meta.url)('better-sqlite3') as DatabaseConstructor;
  } catch (err) {
    throw new StoreError(
      `the SQLite store needs better-sqlite3, which is not installed or whose native module did not build (${(err as Error).message.split('\n')[0]}): ` +
        'npm install better-sqlite3@12 (it needs python3, make and a C++ compiler when no prebuilt binary fits), or use a postgres:// store',
    );
  }
}

/**
 * SQLite through better-sqlite3, in WAL mode with synchronous=FULL: a
 * committed snapshot is on disk before the commit returns, so kill -9 (or a
 * power cut) never loses it, and readers (`history`) never block the writer.
 * The file is created readable by its owner only (0600); SQLite gives the
 * -wal and -shm files the database file's permissions. `readOnly` opens an
 * existing file with SQLite's read-only flag (no pragma that writes, no
 * file created): a reader such as `footprint ui` cannot change the store.
 */
export function openSqlite(path: string, options: { readOnly?: boolean } = {}): Engine {
  const Driver = loadDriver();
  let db: Database;
  try {
    if (options.readOnly) {
      db = new Driver(path, { timeout: 30_000, readonly: true, fileMustExist: true });
    } else {
      const created = createPrivately(path);
      db = new Driver(path, { timeout: 30_000 });
      // Pages freed by pruning go back to the file system (incremental_vacuum after a collection); only settable before the first table.
      if (created) db.pragma('auto_vacuum = INCREMENTAL');
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
    }
    // Up to 256 MiB of page cache (SQLite's default is 2 MiB), used only as the store grows: a first
    // snapshot of 400k new stacks inserts millions of stack nodes into one index in one transaction,
    // and with the default cache most of those inserts spill to the WAL (measured here under load:
    // 98 s with the default, 75 s with this).
    db.pragma('cache_size = -262144');
  } catch (err) {
    if (err instanceof StoreError) throw err;
    throw new StoreError(`cannot open the SQLite store ${path}: ${(err as Error).message}`);
  }
  return new SqliteEngine(db);
}

/** Creates the file, owner-only, when missing; true when it is new (or still empty). */
function createPrivately(path: string): boolean {
  if (existsSync(path)) return statSync(path).size === 0;
  if (!existsSync(dirname(path))) throw new StoreError(`cannot create the SQLite store ${path}: no folder ${dirname(path)}`);
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new StoreError(`cannot create the SQLite store ${path}: ${(err as Error).message}`);
  }
  return true;
}

/** Ids per query when reading rows by id. */
const ID_BATCH = 20_000;

class SqliteEngine implements Engine {
  readonly name = 'sqlite' as const;
  private readonly statements = new Map<string, Statement>();
  /** Next free id per table, valid inside the transaction that read it (BEGIN IMMEDIATE holds the only write lock). */
  private nextId = new Map<string, number>();

  constructor(private readonly db: Database) {}

  private stmt(sql: string): Statement {
    let s = this.statements.get(sql);
    if (!s) this.statements.set(sql, (s = this.db.prepare(sql)));
    return s;
  }

  async exec(sql: string): Promise<void> {
    this.db.exec(sql);
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return this.stmt(sql).run(...params).changes;
  }

  async all<T extends Row = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.stmt(sql).all(...params) as T[];
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    this.nextId = new Map();
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const out = await fn();
      this.db.exec('COMMIT');
      return out;
    } catch (err) {
      this.db.exec('ROLLBACK');
      throw err;
    } finally {
      this.nextId = new Map();
    }
  }

  async findContents(table: KeyedTable, contents: readonly Content[]): Promise<(number | undefined)[]> {
    const s = this.stmt(`SELECT id FROM ${table} WHERE content = ?`);
    return contents.map((c) => (s.get(asParam(table, c)) as { id: number } | undefined)?.id);
  }

  async insertContents(table: KeyedTable, ids: readonly number[], contents: readonly Content[]): Promise<boolean[]> {
    const s = this.stmt(`INSERT INTO ${table} (id, content) VALUES (?, ?) ON CONFLICT DO NOTHING`);
    return contents.map((c, i) => s.run(ids[i]!, asParam(table, c)).changes === 1);
  }

  async findNodes(parents: readonly number[], frames: readonly number[]): Promise<(number | undefined)[]> {
    const s = this.stmt('SELECT id FROM stack_nodes WHERE parent_id = ? AND frame_id = ?');
    return parents.map((p, i) => (s.get(p, frames[i]!) as { id: number } | undefined)?.id);
  }

  async insertNodes(ids: readonly number[], parents: readonly number[], frames: readonly number[]): Promise<boolean[]> {
    const s = this.stmt('INSERT INTO stack_nodes (id, parent_id, frame_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
    return ids.map((id, i) => s.run(id, parents[i]!, frames[i]!).changes === 1);
  }

  async rowsByIds(table: string, columns: string, ids: readonly number[]): Promise<Row[]> {
    const s = this.stmt(`SELECT ${columns} FROM json_each(?) j JOIN ${table} t ON t.id = j.value`);
    const out: Row[] = [];
    for (let from = 0; from < ids.length; from += ID_BATCH) for (const r of s.all(JSON.stringify(ids.slice(from, from + ID_BATCH)))) out.push(r as Row);
    return out;
  }

  async keepIds(ids: readonly number[]): Promise<void> {
    this.db.exec('CREATE TEMP TABLE IF NOT EXISTS keep_ids (id INTEGER PRIMARY KEY); DELETE FROM keep_ids');
    const s = this.stmt('INSERT OR IGNORE INTO keep_ids (id) SELECT value FROM json_each(?)');
    for (let from = 0; from < ids.length; from += ID_BATCH) s.run(JSON.stringify(ids.slice(from, from + ID_BATCH)));
  }

  async reclaim(): Promise<void> {
    this.db.pragma('incremental_vacuum');
  }

  async reserveIds(table: string, n: number): Promise<number[]> {
    let next = this.nextId.get(table);
    if (next === undefined) next = (this.stmt(`SELECT coalesce(max(id), 0) + 1 AS next FROM ${table}`).get() as { next: number }).next;
    const out = Array.from({ length: n }, (_, i) => next! + i);
    this.nextId.set(table, next + n);
    return out;
  }

  async checkStructure(): Promise<string[]> {
    const integrity = (this.db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).filter((r) => r !== 'ok');
    const keys = (this.db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[]).map(
      (r) => `${r.table} row ${r.rowid} refers to a missing ${r.parent} row`,
    );
    return [...integrity.map((m) => `SQLite integrity check: ${m}`), ...keys];
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

/** Keys travel as Buffers (better-sqlite3 binds a Buffer as a BLOB). */
function asParam(table: KeyedTable, c: Content): SqlValue {
  if (TEXT_TABLES.has(table)) return c;
  return typeof c === 'string' ? c : Buffer.from(c.buffer, c.byteOffset, c.byteLength);
}
