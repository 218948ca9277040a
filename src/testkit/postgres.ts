import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/**
 * A real PostgreSQL for the store's tests, never a mock: a fresh database on
 * the server named by FOOTPRINT_TEST_POSTGRES (.ci/run starts one), or else
 * a throwaway cluster started here with Debian's initdb and pg_ctl (as the
 * `postgres` user when the tests run as root, since PostgreSQL refuses to
 * run as root). The cluster's user has a password and connects over TCP
 * with scram-sha-256, so the URL carries a real credential. When neither
 * works, `skip` says why.
 */
export type TestPostgres =
  | {
      /** A new, empty database on the server (dropped by stop). */
      database: () => Promise<string>;
      /** The password the URLs carry. */
      password: string;
      stop: () => Promise<void>;
    }
  | { skip: string };

interface PgClient {
  connect(): Promise<void>;
  query(sql: string): Promise<unknown>;
  end(): Promise<void>;
}
type PgModule = { Client: new (config: { connectionString: string }) => PgClient };

export async function testPostgres(): Promise<TestPostgres> {
  const given = process.env.FOOTPRINT_TEST_POSTGRES;
  const server = given ? { url: given, password: passwordOf(given), stop: async () => undefined } : await startCluster();
  if ('skip' in server) return server;
  const made: string[] = [];
  const admin = await connect(server.url);
  if (typeof admin === 'string') {
    await server.stop();
    return { skip: `PostgreSQL tests skipped: cannot connect to ${redact(server.url)}: ${admin}` };
  }
  return {
    password: server.password,
    database: async () => {
      const name = `footprint_test_${process.pid}_${made.length}_${Math.random().toString(36).slice(2, 8)}`;
      await admin.query(`CREATE DATABASE ${name}`);
      made.push(name);
      const url = new URL(server.url);
      url.pathname = `/${name}`;
      return url.toString();
    },
    stop: async () => {
      for (const name of made) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
      await server.stop();
    },
  };
}

async function connect(url: string): Promise<PgClient | string> {
  const pg = createRequire(import.meta.url)('pg') as PgModule;
  const c = new pg.Client({ connectionString: url });
  try {
    await c.connect();
    return c;
  } catch (err) {
    return (err as Error).message;
  }
}

function passwordOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return '';
  }
}

/** Debian's PostgreSQL binaries: initdb on PATH, else the newest /usr/lib/postgresql/N/bin. */
function postgresBin(): string | undefined {
  const onPath = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return join(onPath, '..');
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function startCluster(): Promise<{ url: string; password: string; stop: () => Promise<void> } | { skip: string }> {
  const bin = postgresBin();
  if (!bin) return { skip: 'PostgreSQL tests skipped: set FOOTPRINT_TEST_POSTGRES=postgres://… or install Debian postgresql (initdb, pg_ctl); .ci/run does both' };
  const root = process.getuid?.() === 0;
  if (root && spawnSync('id', ['postgres']).status !== 0) return { skip: 'PostgreSQL tests skipped: running as root with no postgres user to start a cluster as' };
  const user = root ? 'postgres' : userInfo().username;
  const dir = mkdtempSync(join(tmpdir(), 'footprint-pg-'));
  const data = join(dir, 'data');
  const password = `fp-test-${process.pid}-${Math.random().toString(36).slice(2)}`;
  writeFileSync(join(dir, 'pw'), `${password}\n`);
  if (user !== userInfo().username) chownRecursive(dir, user);
  const run = (cmd: string, args: string[]) => {
    const full = user !== userInfo().username ? ['runuser', ['-u', user, '--', cmd, ...args]] as const : [cmd, args] as const;
    return spawnSync(full[0], full[1], { encoding: 'utf8', cwd: dir });
  };
  const init = run(join(bin, 'initdb'), ['-D', data, '-U', 'footprint', '--auth-local=trust', '--auth-host=scram-sha-256', `--pwfile=${join(dir, 'pw')}`, '-E', 'UTF8', '--no-sync']);
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return { skip: `PostgreSQL tests skipped: initdb failed: ${(init.stderr || init.error?.message || '').trim().split('\n').at(-1)}` };
  }
  const port = await freePort();
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const start = run(join(bin, 'pg_ctl'), ['-D', data, '-o', opts, '-l', join(dir, 'log'), '-w', '-t', '60', 'start']);
  if (start.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return { skip: `PostgreSQL tests skipped: pg_ctl start failed: ${(start.stderr || start.stdout).trim().split('\n').at(-1)}` };
  }
  const stop = async () => {
    run(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
    rmSync(dir, { recursive: true, force: true });
  };
  return { url: `postgres://footprint:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`, password, stop };
}

function chownRecursive(dir: string, user: string): void {
  const id = spawnSync('id', ['-u', user], { encoding: 'utf8' }).stdout.trim();
  const gid = spawnSync('id', ['-g', user], { encoding: 'utf8' }).stdout.trim();
  chownSync(dir, Number(id), Number(gid));
  for (const f of readdirSync(dir)) chownSync(join(dir, f), Number(id), Number(gid));
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}
