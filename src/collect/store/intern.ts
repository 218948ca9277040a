import type { Content, Engine, KeyedTable } from './engine.js';
import { PairMap } from './pair-map.js';

/**
 * The writer's interning of symbols and stack nodes, with caches so a
 * snapshot whose stacks were all seen before costs no database lookups. It
 * runs inside the snapshot's transaction: look up what the cache lacks,
 * reserve ids for what the database lacks, insert them, and look up again
 * whatever another writer inserted first (PostgreSQL, shared). The caches
 * are dropped when a transaction rolls back (they may hold ids that never
 * committed) and when a garbage collection ran (they may hold ids it freed).
 */
export class Interner {
  private contents = new Map<KeyedTable, Map<string, number>>();
  private nodes = new PairMap();
  /** The symbols generation the caches belong to (store_meta). */
  generation = -1;

  constructor(private readonly engine: Engine) {}

  clear(): void {
    this.contents = new Map();
    this.nodes = new PairMap();
  }

  /** Ids for `contents` (duplicates allowed), inserting what is new. */
  async intern(table: KeyedTable, contents: readonly Content[]): Promise<number[]> {
    let cache = this.contents.get(table);
    if (!cache) this.contents.set(table, (cache = new Map()));
    const out = new Array<number>(contents.length);
    const missing = new Map<string, { content: Content; at: number[] }>();
    contents.forEach((c, i) => {
      const k = cacheKey(c);
      const id = cache!.get(k);
      if (id !== undefined) out[i] = id;
      else {
        const m = missing.get(k);
        if (m) m.at.push(i);
        else missing.set(k, { content: c, at: [i] });
      }
    });
    if (missing.size === 0) return out;
    const keys = [...missing.keys()];
    const wanted = keys.map((k) => missing.get(k)!.content);
    const found = await this.resolve(
      wanted,
      (sel) => this.engine.findContents(table, sel),
      async (ids, sel) => this.engine.insertContents(table, ids, sel),
      (n) => this.engine.reserveIds(table, n),
      () => false,
    );
    keys.forEach((k, j) => {
      cache!.set(k, found[j]!);
      for (const i of missing.get(k)!.at) out[i] = found[j]!;
    });
    return out;
  }

  /**
   * The child of `parents[i]` at `frames[i]`, for one level of many stacks.
   * `fresh` holds nodes this transaction created: their children cannot
   * exist yet, so they skip the lookup (a first profile of 400k stacks is
   * millions of new nodes).
   */
  async children(parents: Float64Array, frames: Float64Array, count: number, fresh: Set<number>): Promise<Float64Array> {
    const out = new Float64Array(count);
    const pending = new PairMap(64);
    const wantParents: number[] = [];
    const wantFrames: number[] = [];
    for (let i = 0; i < count; i++) {
      const p = parents[i]!;
      const f = frames[i]!;
      const hit = this.nodes.get(p, f);
      if (hit !== 0) {
        out[i] = hit;
        continue;
      }
      if (pending.get(p, f) === 0) {
        wantParents.push(p);
        wantFrames.push(f);
        pending.set(p, f, wantParents.length);
      }
    }
    if (wantParents.length) {
      const found = await this.resolve(
        wantParents.map((p, j) => [p, wantFrames[j]!] as const),
        (sel) => this.engine.findNodes(sel.map((s) => s[0]), sel.map((s) => s[1])),
        (ids, sel) => this.engine.insertNodes(ids, sel.map((s) => s[0]), sel.map((s) => s[1])),
        (n) => this.engine.reserveIds('stack_nodes', n),
        (pair) => fresh.has(pair[0]),
        fresh,
      );
      for (let j = 0; j < wantParents.length; j++) this.nodes.set(wantParents[j]!, wantFrames[j]!, found[j]!);
      for (let i = 0; i < count; i++) if (out[i] === 0) out[i] = this.nodes.get(parents[i]!, frames[i]!);
    }
    return out;
  }

  /** Find, reserve, insert, find again the few another writer inserted first. */
  private async resolve<T>(
    wanted: readonly T[],
    find: (sel: T[]) => Promise<(number | undefined)[]>,
    insert: (ids: number[], sel: T[]) => Promise<boolean[]>,
    reserve: (n: number) => Promise<number[]>,
    surelyNew: (w: T) => boolean,
    fresh?: Set<number>,
  ): Promise<number[]> {
    const ids = new Array<number>(wanted.length);
    const lookup = wanted.map((w, i) => ({ w, i })).filter(({ w }) => !surelyNew(w));
    const looked = await find(lookup.map((x) => x.w));
    lookup.forEach(({ i }, j) => {
      if (looked[j] !== undefined) ids[i] = looked[j]!;
    });
    const absent = wanted.map((w, i) => ({ w, i })).filter(({ i }) => ids[i] === undefined);
    if (absent.length === 0) return ids;
    const reserved = await reserve(absent.length);
    const inserted = await insert(reserved, absent.map((x) => x.w));
    const lost: { w: T; i: number }[] = [];
    absent.forEach((x, j) => {
      if (inserted[j]) {
        ids[x.i] = reserved[j]!;
        fresh?.add(reserved[j]!);
      } else lost.push(x);
    });
    if (lost.length) {
      const again = await find(lost.map((x) => x.w));
      lost.forEach((x, j) => {
        if (again[j] === undefined) throw new Error('an interned row vanished while inserting it');
        ids[x.i] = again[j]!;
      });
    }
    return ids;
  }
}

function cacheKey(c: Content): string {
  return typeof c === 'string' ? c : Buffer.from(c.buffer, c.byteOffset, c.byteLength).toString('latin1');
}
