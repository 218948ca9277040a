import { statSync } from 'node:fs';
import { fileHead } from '../../formats/random-access.js';
import { StoreError } from './engine.js';
import { PROFILE_KINDS, type ProfileKind } from './types.js';

/**
 * Where a store lives: a SQLite file (the default, `footprint.db`, or
 * `sqlite:PATH`) or a PostgreSQL server (`postgres://…` / `postgresql://…`,
 * or `postgres:` alone for PostgreSQL's environment variables). A snapshot
 * in it is `DEST#ID`, or `DEST#ID:KIND` for a profile other than the heap.
 */
export type StoreDest = { engine: 'sqlite'; path: string } | { engine: 'postgres'; url: string | undefined };

export const DEFAULT_STORE = 'footprint.db';

export function parseDest(given: string | undefined): StoreDest {
  const d = given ?? DEFAULT_STORE;
  if (/^postgres(ql)?:$/i.test(d)) return { engine: 'postgres', url: undefined };
  if (/^postgres(ql)?:\/\//i.test(d)) return { engine: 'postgres', url: d };
  if (/^sqlite:/i.test(d)) {
    const path = d.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!path) throw new StoreError('sqlite: wants a file path, e.g. sqlite:footprint.db');
    return { engine: 'sqlite', path };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(d)) throw new StoreError(`not a store: ${d.split('://')[0]}:// (a SQLite file, sqlite:PATH, or postgres://…)`);
  return { engine: 'sqlite', path: d };
}

/** The store as it may be printed: a PostgreSQL URL without its password or query (which may carry one). */
export function describeDest(dest: StoreDest): string {
  if (dest.engine === 'sqlite') return dest.path;
  if (dest.url === undefined) return 'postgres: (from PG* environment variables)';
  try {
    const u = new URL(dest.url);
    u.password = '';
    u.search = '';
    u.hash = '';
    return u.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

/** Strings that must never be printed: the URL's password, PGPASSWORD. */
export function secretsOf(dest: StoreDest): string[] {
  const out: string[] = [];
  if (dest.engine === 'postgres' && dest.url !== undefined) {
    try {
      const u = new URL(dest.url);
      if (u.password) out.push(u.password, decodeURIComponent(u.password));
      for (const [k, v] of u.searchParams) if (/password/i.test(k) && v) out.push(v);
    } catch {
      // An unparsable URL is never printed (describeDest), nor are its parts.
    }
  }
  if (process.env.PGPASSWORD) out.push(process.env.PGPASSWORD);
  return out.filter((s) => s.length > 0);
}

export interface StoreRef {
  dest: StoreDest;
  snapshot: number;
  kind: ProfileKind;
}

/**
 * `DEST#ID[:KIND]` when it names a stored snapshot: a PostgreSQL URL, or an
 * existing SQLite file (so a profile that happens to be named `x#1` is still
 * read as a file). Undefined otherwise.
 */
export function parseStoreRef(arg: string): StoreRef | undefined {
  const m = /^(.+)#(\d+)(?::([a-z]+))?$/.exec(arg);
  if (!m) return undefined;
  const [, destText, id, kindText] = m as unknown as [string, string, string, string | undefined];
  if (isFile(arg)) return undefined;
  // Any other URL with a fragment (an http target) is not a store.
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(destText) && !/^postgres(ql)?:\/\//i.test(destText)) return undefined;
  const dest = parseDest(destText);
  if (dest.engine === 'sqlite' && !isSqliteFile(dest.path)) return undefined;
  const kind = (kindText ?? 'heap') as ProfileKind;
  if (!PROFILE_KINDS.includes(kind)) throw new StoreError(`${arg}: no profile kind ${JSON.stringify(kindText)} (one of ${PROFILE_KINDS.join(', ')})`);
  return { dest, snapshot: Number(id), kind };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

const SQLITE_MAGIC = 'SQLite format 3\0';

export function isSqliteFile(path: string): boolean {
  try {
    return Buffer.from(fileHead(path, SQLITE_MAGIC.length)).toString('latin1') === SQLITE_MAGIC;
  } catch {
    return false;
  }
}
