import type { HistoryPoint, HistorySite, SiteValues, TargetHistory } from '../../analyze/history/types.js';
import { decodeRows } from './codec.js';
import { bytes, num, text, type Engine, type Row } from './engine.js';
import { snapshotWhere, Symbols, type SnapshotFilter } from './read.js';
import { decodeMemStats } from './write.js';

/**
 * The stored history `history` analyses, per target, oldest first: for each
 * snapshot the per-site rows of its heap and allocs profiles (written with
 * the snapshot, write.ts), the goroutine count (the goroutine profile's
 * total) and two MemStats figures. No sample is decoded and no stack walked:
 * one query for the profiles, one for the snapshots, one batch of sites.
 */
export async function readHistory(engine: Engine, filter: SnapshotFilter = {}): Promise<TargetHistory[]> {
  const { where, params } = snapshotWhere(filter);
  const snapshots = await engine.all(
    `SELECT s.id, t.content AS target, s.taken_at, s.interval_ms, s.memstats FROM snapshots s JOIN targets t ON t.id = s.target_id ${where} ORDER BY s.taken_at, s.id`,
    params,
  );
  const points = new Map<number, HistoryPoint>();
  const byTarget = new Map<string, HistoryPoint[]>();
  for (const r of snapshots) {
    const p = pointOf(r);
    points.set(p.snapshot, p);
    const target = text(r['target']);
    const list = byTarget.get(target);
    if (list) list.push(p);
    else byTarget.set(target, [p]);
  }
  const siteIds = new Set<number>();
  const profiles = await engine.all(
    `SELECT p.snapshot_id, p.kind, p.totals, p.site_keys, p.site_values FROM profiles p JOIN snapshots s ON s.id = p.snapshot_id JOIN targets t ON t.id = s.target_id
     ${where ? `${where} AND` : 'WHERE'} p.kind IN ('heap', 'allocs', 'goroutine')`,
    params,
  );
  for (const r of profiles) {
    const p = points.get(num(r['snapshot_id']));
    if (!p) continue;
    const kind = text(r['kind']);
    if (kind === 'goroutine') p.goroutines = (JSON.parse(text(r['totals'])) as number[])[0] ?? 0;
    else if (r['site_keys'] instanceof Uint8Array) {
      const sites = siteValues(r);
      for (const id of sites.keys()) siteIds.add(id);
      if (kind === 'heap') p.heap = sites;
      else p.allocs = sites;
    }
  }
  const sites = await loadSites(engine, [...siteIds]);
  return [...byTarget].map(([target, list]) => ({ target, sites, points: list }));
}

function pointOf(r: Row): HistoryPoint {
  const p: HistoryPoint = { snapshot: num(r['id']), atMs: num(r['taken_at']), intervalMs: num(r['interval_ms']) };
  const m = r['memstats'];
  if (typeof m === 'string') {
    const stats = decodeMemStats(m);
    if (typeof stats['GCCPUFraction'] === 'number') p.gcCpuFraction = stats['GCCPUFraction'];
    if (typeof stats['NumGC'] === 'number') p.numGc = stats['NumGC'];
  }
  return p;
}

function siteValues(r: Row): Map<number, SiteValues> {
  const rows = decodeRows({ keys: bytes(r['site_keys']), values: bytes(r['site_values']) });
  const out = new Map<number, SiteValues>();
  for (let i = 0; i < rows.count; i++) {
    const v = rows.values;
    const at = i * rows.width;
    out.set(rows.keys[i]!, [v[at]!, v[at + 1]!, v[at + 2]!, v[at + 3]!]);
  }
  return out;
}

async function loadSites(engine: Engine, ids: readonly number[]): Promise<Map<number, HistorySite>> {
  const symbols = new Symbols(engine);
  await symbols.loadSites(ids);
  const out = new Map<number, HistorySite>();
  for (const [id, s] of symbols.sites) {
    const file = symbols.str(s.file);
    const via = symbols.str(s.via);
    out.set(id, { function: symbols.str(s.function), ...(file ? { file } : {}), ...(s.line >= 0 ? { line: s.line } : {}), ...(via ? { via } : {}) });
  }
  return out;
}
