import { decodeRowKeys } from './codec.js';
import { bytes, num, text, type Engine, type KeyedTable } from './engine.js';
import { decodeFrame, decodeFunction, decodeLabels, decodeMapping, decodeSite } from './symbols.js';
import type { StoredHeader } from './types.js';

export interface PruneResult {
  /** Snapshots deleted (with their profiles). */
  snapshots: number;
  /** Set when a garbage collection ran. */
  collected?: CollectResult;
}

/** Rows of each table a collection deleted. */
export type CollectResult = Partial<Record<KeyedTable | 'stack_nodes', number>>;

/**
 * Collecting costs a read of every kept profile's stack keys, so it runs
 * once the snapshots pruned since the last one reach this share of those
 * kept: amortised, each pruned snapshot costs about ten profiles' keys.
 */
export const COLLECT_SHARE = 0.1;

/** Deletes snapshots taken before `beforeMs` (one transaction), then collects what only they referenced when due. */
export async function prune(engine: Engine, beforeMs: number): Promise<PruneResult> {
  const deleted = await engine.transaction(async () => {
    const n = await engine.run('DELETE FROM snapshots WHERE taken_at < ?', [Math.floor(beforeMs)]);
    if (n > 0) await engine.run("UPDATE store_meta SET value = CAST(CAST(value AS INTEGER) + ? AS TEXT) WHERE name = 'pruned_since_collection'", [n]);
    return n;
  });
  if (deleted === 0) return { snapshots: 0 };
  const [meta] = await engine.all("SELECT value FROM store_meta WHERE name = 'pruned_since_collection'");
  const [kept] = await engine.all('SELECT count(*) AS n FROM snapshots');
  const due = Number(meta?.['value']) >= Math.max(1, COLLECT_SHARE * num(kept?.['n']));
  return due ? { snapshots: deleted, collected: await collectGarbage(engine) } : { snapshots: deleted };
}

/**
 * Deletes symbols and stack nodes no kept profile reaches, in one
 * transaction. It first bumps the symbols generation: a writer reads that
 * row (FOR SHARE in PostgreSQL) at the start of each snapshot, so the two
 * never overlap, and a writer whose caches predate the collection drops them.
 */
export async function collectGarbage(engine: Engine): Promise<CollectResult> {
  const result = await engine.transaction(async () => {
    await engine.run("UPDATE store_meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE name = 'symbols_generation'");
    const out: CollectResult = {};
    const live = await liveRoots(engine);
    const tree = await withAncestors(engine, live.nodes);
    out.stack_nodes = await deleteExcept(engine, 'stack_nodes', tree.nodes, 'id <> 0');
    out.frames = await deleteExcept(engine, 'frames', tree.frames);
    const frames = (await engine.all('SELECT content FROM frames')).map((r) => decodeFrame(bytes(r['content'])));
    const functions = new Set(frames.flatMap((f) => f.lines.map((l) => l.fn)));
    const mappings = new Set([...live.mappings, ...frames.map((f) => f.mapping)]);
    out.functions = await deleteExcept(engine, 'functions', functions);
    out.mappings = await deleteExcept(engine, 'mappings', mappings);
    out.label_sets = await deleteExcept(engine, 'label_sets', live.labelSets);
    out.sites = await deleteExcept(engine, 'sites', live.sites);
    out.strings = await deleteExcept(engine, 'strings', await liveStrings(engine));
    out.targets = await engine.run('DELETE FROM targets WHERE NOT EXISTS (SELECT 1 FROM snapshots s WHERE s.target_id = targets.id)');
    await engine.run("UPDATE store_meta SET value = '0' WHERE name = 'pruned_since_collection'");
    return out;
  });
  await engine.reclaim();
  return result;
}

/** What the kept profiles refer to directly: leaf nodes, label sets, sites, mappings. */
async function liveRoots(engine: Engine): Promise<{ nodes: Set<number>; labelSets: Set<number>; sites: Set<number>; mappings: Set<number> }> {
  const out = { nodes: new Set<number>(), labelSets: new Set<number>(), sites: new Set<number>(), mappings: new Set<number>() };
  const ids = (await engine.all('SELECT id FROM profiles')).map((r) => num(r['id']));
  // A profile at a time: a day of 400k-stack profiles does not fit in memory at once.
  for (const id of ids) {
    const [r] = await engine.all('SELECT header, sample_keys, site_keys FROM profiles WHERE id = ?', [id]);
    if (!r) continue;
    const samples = decodeRowKeys(bytes(r['sample_keys']));
    for (let i = 0; i < samples.count; i++) {
      out.nodes.add(samples.keys[i]!);
      if (samples.labelSets[i]! !== 0) out.labelSets.add(samples.labelSets[i]!);
    }
    const sites = r['site_keys'];
    if (sites instanceof Uint8Array) {
      const s = decodeRowKeys(sites);
      for (let i = 0; i < s.count; i++) out.sites.add(s.keys[i]!);
    }
    for (const m of (JSON.parse(text(r['header'])) as StoredHeader).mappings) out.mappings.add(m);
  }
  return out;
}

/** The nodes and every ancestor, walked up a depth at a time, and their frames. */
async function withAncestors(engine: Engine, leaves: Set<number>): Promise<{ nodes: Set<number>; frames: Set<number> }> {
  const nodes = new Set<number>([0]);
  const frames = new Set<number>();
  let frontier = [...leaves].filter((n) => n !== 0);
  for (const n of frontier) nodes.add(n);
  while (frontier.length) {
    const next: number[] = [];
    for (const r of await engine.rowsByIds('stack_nodes', 't.parent_id, t.frame_id', frontier)) {
      frames.add(num(r['frame_id']));
      const parent = num(r['parent_id']);
      if (!nodes.has(parent)) {
        nodes.add(parent);
        next.push(parent);
      }
    }
    frontier = next;
  }
  return { nodes, frames };
}

async function liveStrings(engine: Engine): Promise<Set<number>> {
  const out = new Set<number>();
  const each = async (table: string, refs: (content: Uint8Array) => number[]) => {
    for (const r of await engine.all(`SELECT content FROM ${table}`)) for (const id of refs(bytes(r['content']))) out.add(id);
  };
  await each('functions', (c) => {
    const f = decodeFunction(c);
    return [f.name, f.systemName, f.filename];
  });
  await each('mappings', (c) => {
    const m = decodeMapping(c);
    return [m.file, m.buildId];
  });
  await each('label_sets', (c) => decodeLabels(c).flatMap((l) => [l.key, l.str, l.numUnit]));
  await each('sites', (c) => {
    const s = decodeSite(c);
    return [s.function, s.file, s.via];
  });
  return out;
}

/**
 * Deletes the rows of `table` whose id is not in `keep`: the kept ids go into
 * a temporary table in large batches, and the database does the rest.
 */
async function deleteExcept(engine: Engine, table: KeyedTable | 'stack_nodes', keep: Set<number>, extra = '1 = 1'): Promise<number> {
  await engine.keepIds([...keep]);
  // NOT EXISTS, not NOT IN: PostgreSQL turns NOT IN over millions of ids into a scan per row.
  return engine.run(`DELETE FROM ${table} WHERE ${extra} AND NOT EXISTS (SELECT 1 FROM keep_ids k WHERE k.id = ${table}.id)`);
}
