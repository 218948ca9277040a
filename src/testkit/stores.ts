import { after } from 'node:test';
import { join } from 'node:path';
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
