import { createRequire } from 'node:module';
import { StoreError, TEXT_TABLES, type Content, type Engine, type KeyedTable, type Row, type SqlValue } from './engine.js';

/** The part of pg's API the store uses (its own types are not a dependency). */
interface PgClient {
  connect(): Promise<void>;
  query(config: { text: string; values?: unknown[] }): Promise<{ rows: Row[]; rowCount: number | null }>;
  end(): Promise<void>;
  on(event: 'error', listener: (err: Error) => void): void;
  setTypeParser(oid: number, format: 'text', parse: (value: string) => unknown): void;
}
type PgModule = { Client: new (config: { connectionString?: string; application_name?: string }) => PgClient };

/** PostgreSQL type OIDs whose text form the store reads as numbers: int8 (ids, times, sums) and numeric (sums of int8). */
const INT8 = 20;
const NUMERIC = 1700;
/** Rows per statement when interning through arrays: bounds one message, not the transaction. */
const BATCH = 20_000;

/**
 * PostgreSQL through pg: one connection per store, transactions serialised
 * by the store. Credentials come from the URL or PostgreSQL's usual
 * environment variables (PGHOST, PGUSER, PGPASSWORD, PGDATABASE, …, and
 * ~/.pgpass); `describe` is the URL without its password, and every message
 * that leaves here has the password scrubbed as well.
 */
export async function openPostgres(url: string | undefined, describe: string, secrets: readonly string[], options: { readOnly?: boolean } = {}): Promise<Engine> {
  let pg: PgModule;
  try {
    pg = createRequire(import.meta.url)('pg') as PgModule;
  } catch (err) {
    throw new StoreError(`the PostgreSQL store needs the pg package: npm install pg (${(err as Error).message.split('\n')[0]})`);
  }
  const scrub = (m: string) => secrets.reduce((s, secret) => (secret ? s.split(secret).join('***') : s), m);
  const client = new pg.Client({ ...(url !== undefined ? { connectionString: url } : {}), application_name: 'footprint' });
  client.setTypeParser(INT8, 'text', Number);
  client.setTypeParser(NUMERIC, 'text', Number);
  const engine = new PostgresEngine(client, describe, scrub);
  client.on('error', (err) => engine.lost(err));
  try {
    await client.connect();
  } catch (err) {
    throw new StoreError(scrub(`cannot connect to the PostgreSQL store ${describe}: ${(err as Error).message}`));
  }
  // The server refuses every write of this session, whatever the role may do.
  if (options.readOnly) await engine.run('SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY');
  return engine;
}

class PostgresEngine implements Engine {
  readonly name = 'postgres' as const;
  private broken: Error | undefined;

  constructor(
    private readonly client: PgClient,
    private readonly describe: string,
    private readonly scrub: (m: string) => string,
  ) {}

  lost(err: Error): void {
    this.broken = err;
  }

  private async query(sql: string, params: readonly unknown[] = []): Promise<{ rows: Row[]; rowCount: number | null }> {
    if (this.broken) throw new StoreError(this.scrub(`lost the connection to ${this.describe}: ${this.broken.message}`));
    try {
      return await this.client.query({ text: numbered(sql), values: [...params] });
    } catch (err) {
      const e = new StoreError(this.scrub(`PostgreSQL store ${this.describe}: ${(err as Error).message}`));
      (e as { code?: unknown }).code = (err as { code?: unknown }).code;
      throw e;
    }
  }

  async exec(sql: string): Promise<void> {
    await this.query(sql);
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return (await this.query(sql, params.map(asParam))).rowCount ?? 0;
  }

  async all<T extends Row = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return (await this.query(sql, params.map(asParam))).rows as T[];
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    await this.query('BEGIN');
    try {
      const out = await fn();
      await this.query('COMMIT');
      return out;
    } catch (err) {
      if (!this.broken) await this.query('ROLLBACK');
      throw err;
    }
  }

  async findContents(table: KeyedTable, contents: readonly Content[]): Promise<(number | undefined)[]> {
    const type = TEXT_TABLES.has(table) ? 'text' : 'bytea';
    return this.findBatched(contents.length, (from, to) => ({
      sql: `SELECT k.i AS i, t.id AS id FROM unnest(?::${type}[]) WITH ORDINALITY AS k(c, i) JOIN ${table} t ON t.content = k.c`,
      params: [contents.slice(from, to).map(asParam)],
    }));
  }

  async insertContents(table: KeyedTable, ids: readonly number[], contents: readonly Content[]): Promise<boolean[]> {
    const type = TEXT_TABLES.has(table) ? 'text' : 'bytea';
    return this.insertBatched(ids, (from, to) => ({
      sql: `INSERT INTO ${table} (id, content) SELECT * FROM unnest(?::bigint[], ?::${type}[]) ON CONFLICT DO NOTHING RETURNING id`,
      params: [ids.slice(from, to), contents.slice(from, to).map(asParam)],
    }));
  }

  async findNodes(parents: readonly number[], frames: readonly number[]): Promise<(number | undefined)[]> {
    return this.findBatched(parents.length, (from, to) => ({
      sql: 'SELECT k.i AS i, n.id AS id FROM unnest(?::bigint[], ?::bigint[]) WITH ORDINALITY AS k(p, f, i) JOIN stack_nodes n ON n.parent_id = k.p AND n.frame_id = k.f',
      params: [parents.slice(from, to), frames.slice(from, to)],
    }));
  }

  async insertNodes(ids: readonly number[], parents: readonly number[], frames: readonly number[]): Promise<boolean[]> {
    return this.insertBatched(ids, (from, to) => ({
      sql: 'INSERT INTO stack_nodes (id, parent_id, frame_id) SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::bigint[]) ON CONFLICT DO NOTHING RETURNING id',
      params: [ids.slice(from, to), parents.slice(from, to), frames.slice(from, to)],
    }));
  }

  async rowsByIds(table: string, columns: string, ids: readonly number[]): Promise<Row[]> {
    const out: Row[] = [];
    for (let from = 0; from < ids.length; from += BATCH) {
      const batch = await this.query(`SELECT ${columns} FROM unnest(?::bigint[]) AS j(value) JOIN ${table} t ON t.id = j.value`, [ids.slice(from, from + BATCH)]);
      for (const r of batch.rows) out.push(r);
    }
    return out;
  }

  async keepIds(ids: readonly number[]): Promise<void> {
    await this.query('CREATE TEMP TABLE IF NOT EXISTS keep_ids (id BIGINT PRIMARY KEY)');
    await this.query('DELETE FROM keep_ids');
    for (let from = 0; from < ids.length; from += BATCH) {
      await this.query('INSERT INTO keep_ids (id) SELECT DISTINCT * FROM unnest(?::bigint[]) ON CONFLICT DO NOTHING', [ids.slice(from, from + BATCH)]);
    }
  }

  /** PostgreSQL's autovacuum reuses the space. */
  async reclaim(): Promise<void> {}

  async reserveIds(table: string, n: number): Promise<number[]> {
    if (n === 0) return [];
    const rows = await this.query(`SELECT nextval(pg_get_serial_sequence('${table}', 'id')) AS id FROM generate_series(1, ?::bigint)`, [n]);
    return rows.rows.map((r) => r['id'] as number);
  }

  /** The database enforces its foreign keys itself; it has no integrity check of its own to run. */
  async checkStructure(): Promise<string[]> {
    return [];
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }

  private async findBatched(n: number, query: (from: number, to: number) => { sql: string; params: unknown[] }): Promise<(number | undefined)[]> {
    const out = new Array<number | undefined>(n).fill(undefined);
    for (let from = 0; from < n; from += BATCH) {
      const { sql, params } = query(from, Math.min(n, from + BATCH));
      for (const r of (await this.query(sql, params)).rows) out[from + (r['i'] as number) - 1] = r['id'] as number;
    }
    return out;
  }

  private async insertBatched(ids: readonly number[], query: (from: number, to: number) => { sql: string; params: unknown[] }): Promise<boolean[]> {
    const inserted = new Set<number>();
    for (let from = 0; from < ids.length; from += BATCH) {
      const { sql, params } = query(from, Math.min(ids.length, from + BATCH));
      for (const r of (await this.query(sql, params)).rows) inserted.add(r['id'] as number);
    }
    return ids.map((id) => inserted.has(id));
  }
}

/** `?` placeholders as PostgreSQL's `$1, $2, …` (the store's SQL has no `?` inside literals). */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

function asParam(v: SqlValue | Content): unknown {
  return v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v;
}
