import { ProfileBuilder } from '../../model/builder.js';
import type { MemStats, Profile } from '../../model/profile.js';
import { decodeRows, type KeyedRows } from './codec.js';
import { bytes, num, StoreError, text, type Engine, type Row } from './engine.js';
import { decodeFrame, decodeFunction, decodeLabels, decodeMapping, decodeSite, decodeString, type FrameRow, type FunctionRow, type MappingRow, type SiteRow } from './symbols.js';
import type { ProfileKind, SnapshotInfo, StoredHeader, StoredKind } from './types.js';
import { decodeMemStats } from './write.js';

/** Snapshots, oldest first; by target (its URL) and from a time on, when given. */
export async function listSnapshots(engine: Engine, filter: SnapshotFilter = {}): Promise<SnapshotInfo[]> {
  const { where, params } = snapshotWhere(filter);
  const rows = await engine.all(
    `SELECT s.id, t.content AS target, s.taken_at, s.interval_ms, s.kinds, s.errors FROM snapshots s JOIN targets t ON t.id = s.target_id ${where} ORDER BY s.taken_at, s.id`,
    params,
  );
  return rows.map(snapshotInfo);
}

export interface SnapshotFilter {
  /** The target's URL. */
  target?: string;
  /** Snapshots taken from this time on (ms since the epoch). */
  sinceMs?: number;
}

/** The WHERE clause (over snapshots s joined to targets t) that keeps the filter's snapshots; empty when it keeps all. */
export function snapshotWhere(filter: SnapshotFilter): { where: string; params: (string | number)[] } {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (filter.target !== undefined) {
    where.push('t.content = ?');
    params.push(filter.target);
  }
  if (filter.sinceMs !== undefined) {
    where.push('s.taken_at >= ?');
    params.push(Math.floor(filter.sinceMs));
  }
  return { where: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}

export async function getSnapshot(engine: Engine, id: number): Promise<SnapshotInfo> {
  const rows = await engine.all(
    'SELECT s.id, t.content AS target, s.taken_at, s.interval_ms, s.kinds, s.errors FROM snapshots s JOIN targets t ON t.id = s.target_id WHERE s.id = ?',
    [id],
  );
  if (!rows[0]) throw new StoreError(`no snapshot ${id} in the store`);
  return snapshotInfo(rows[0]);
}

function snapshotInfo(r: Row): SnapshotInfo {
  const takenAtMs = num(r['taken_at']);
  const kinds = text(r['kinds']);
  return {
    id: num(r['id']),
    target: text(r['target']),
    time: new Date(takenAtMs).toISOString(),
    takenAtMs,
    intervalMs: num(r['interval_ms']),
    kinds: kinds ? (kinds.split(',') as StoredKind[]) : [],
    errors: JSON.parse(text(r['errors'])) as SnapshotInfo['errors'],
  };
}

export async function readMemStats(engine: Engine, id: number): Promise<MemStats | undefined> {
  const rows = await engine.all('SELECT memstats FROM snapshots WHERE id = ?', [id]);
  const m = rows[0]?.['memstats'];
  return typeof m === 'string' ? decodeMemStats(m) : undefined;
}

/** A stored profile, rebuilt: the same samples, stacks, labels, values and header as the profile that was stored. */
export async function readProfile(engine: Engine, snapshot: number, kind: ProfileKind): Promise<Profile> {
  const rows = await engine.all('SELECT header, sample_keys, sample_values FROM profiles WHERE snapshot_id = ? AND kind = ?', [snapshot, kind]);
  if (!rows[0]) {
    const info = await getSnapshot(engine, snapshot);
    throw new StoreError(`snapshot ${snapshot} has no ${kind} profile (it has: ${info.kinds.join(', ') || 'nothing'})`);
  }
  const header = JSON.parse(text(rows[0]['header'])) as StoredHeader;
  const samples = decodeRows({ keys: bytes(rows[0]['sample_keys']), values: bytes(rows[0]['sample_values']) });
  const symbols = new Symbols(engine);
  await symbols.loadStacks(distinct(samples.keys));
  await symbols.loadLabelSets(distinct(samples.labelSets).filter((id) => id !== 0));
  await symbols.loadMappings(header.mappings);
  return symbols.build(header, samples);
}

function distinct(ids: ArrayLike<number>): number[] {
  return [...new Set(Array.from(ids))];
}

/**
 * The symbols behind some stack nodes, loaded in large batches: the nodes
 * and their ancestors (one query per depth of the frontier), their frames,
 * functions, mappings and strings.
 */
export class Symbols {
  readonly parent = new Map<number, number>();
  readonly frameOf = new Map<number, number>();
  readonly frames = new Map<number, FrameRow>();
  readonly functions = new Map<number, FunctionRow>();
  readonly mappings = new Map<number, MappingRow>();
  readonly labelSets = new Map<number, ReturnType<typeof decodeLabels>>();
  readonly sites = new Map<number, SiteRow>();
  readonly strings = new Map<number, string>([[0, '']]);

  constructor(private readonly engine: Engine) {}

  async loadStacks(nodes: readonly number[]): Promise<void> {
    let frontier = nodes.filter((n) => n !== 0 && !this.parent.has(n));
    while (frontier.length) {
      const next = new Set<number>();
      for (const r of await this.engine.rowsByIds('stack_nodes', 't.id, t.parent_id, t.frame_id', frontier)) {
        const id = num(r['id']);
        const parent = num(r['parent_id']);
        this.parent.set(id, parent);
        this.frameOf.set(id, num(r['frame_id']));
        if (parent !== 0 && !this.parent.has(parent)) next.add(parent);
      }
      const missing = frontier.find((n) => !this.parent.has(n));
      if (missing !== undefined) throw new StoreError(`stack node ${missing} is missing from the store`);
      frontier = [...next];
    }
    await this.loadFrames([...new Set(this.frameOf.values())]);
  }

  private async contents(table: string, ids: readonly number[], have: Map<number, unknown>): Promise<Map<number, Uint8Array>> {
    const want = [...new Set(ids)].filter((id) => id !== 0 && !have.has(id));
    const out = new Map<number, Uint8Array>();
    for (const r of await this.engine.rowsByIds(table, 't.id, t.content', want)) out.set(num(r['id']), bytes(r['content']));
    const missing = want.find((id) => !out.has(id));
    if (missing !== undefined) throw new StoreError(`${table} row ${missing} is missing from the store`);
    return out;
  }

  async loadFrames(ids: readonly number[]): Promise<void> {
    for (const [id, b] of await this.contents('frames', ids, this.frames)) this.frames.set(id, decodeFrame(b));
    const fns: number[] = [];
    const maps: number[] = [];
    for (const f of this.frames.values()) {
      maps.push(f.mapping);
      for (const l of f.lines) fns.push(l.fn);
    }
    for (const [id, b] of await this.contents('functions', fns, this.functions)) this.functions.set(id, decodeFunction(b));
    await this.loadMappings(maps);
    await this.loadStrings([...this.functions.values()].flatMap((f) => [f.name, f.systemName, f.filename]));
  }

  async loadMappings(ids: readonly number[]): Promise<void> {
    for (const [id, b] of await this.contents('mappings', ids, this.mappings)) this.mappings.set(id, decodeMapping(b));
    await this.loadStrings([...this.mappings.values()].flatMap((m) => [m.file, m.buildId]));
  }

  async loadLabelSets(ids: readonly number[]): Promise<void> {
    for (const [id, b] of await this.contents('label_sets', ids, this.labelSets)) this.labelSets.set(id, decodeLabels(b));
    await this.loadStrings([...this.labelSets.values()].flatMap((ls) => ls.flatMap((l) => [l.key, l.str, l.numUnit])));
  }

  async loadSites(ids: readonly number[]): Promise<void> {
    for (const [id, b] of await this.contents('sites', ids, this.sites)) this.sites.set(id, decodeSite(b));
    await this.loadStrings([...this.sites.values()].flatMap((s) => [s.function, s.file, s.via]));
  }

  async loadStrings(ids: readonly number[]): Promise<void> {
    for (const [id, b] of await this.contents('strings', ids, this.strings)) this.strings.set(id, decodeString(b));
  }

  str(id: number): string {
    const s = this.strings.get(id);
    if (s === undefined) throw new StoreError(`string ${id} is missing from the store`);
    return s;
  }

  /** Frames of a stack node, leaf first. */
  path(node: number): number[] {
    const out: number[] = [];
    for (let n = node; n !== 0; n = this.parent.get(n)!) out.push(this.frameOf.get(n)!);
    return out;
  }

  build(header: StoredHeader, samples: KeyedRows): Profile {
    const b = new ProfileBuilder({
      sampleTypes: header.sampleTypes,
      defaultSampleType: header.defaultSampleType,
      ...(header.periodType ? { periodType: header.periodType } : {}),
      period: header.period,
      timeNanos: BigInt(header.timeNanos),
      durationNanos: BigInt(header.durationNanos),
      comments: header.comments,
      dropFrames: header.dropFrames,
      keepFrames: header.keepFrames,
      docUrl: header.docUrl,
    });
    const mappingIndex = new Map<number, number>();
    for (const id of header.mappings) {
      const m = this.mappings.get(id)!;
      const index = b.addMapping({
        start: m.start,
        limit: m.limit,
        offset: m.offset,
        file: this.str(m.file),
        buildId: this.str(m.buildId),
        hasFunctions: (m.flags & 1) !== 0,
        hasFilenames: (m.flags & 2) !== 0,
        hasLineNumbers: (m.flags & 4) !== 0,
        hasInlineFrames: (m.flags & 8) !== 0,
      });
      if (!mappingIndex.has(id)) mappingIndex.set(id, index);
    }
    const fnIndex = new Map<number, number>();
    const fn = (id: number) => {
      let i = fnIndex.get(id);
      if (i === undefined) {
        const f = this.functions.get(id)!;
        fnIndex.set(id, (i = b.addFunction(this.str(f.name), this.str(f.systemName), this.str(f.filename), f.startLine)));
      }
      return i;
    };
    const locIndex = new Map<number, number>();
    const loc = (frame: number) => {
      let i = locIndex.get(frame);
      if (i === undefined) {
        const f = this.frames.get(frame)!;
        const lines = f.lines.map((l) => ({ fn: l.fn === 0 ? -1 : fn(l.fn), line: l.line, column: l.column }));
        locIndex.set(frame, (i = b.addLocation(f.mapping === 0 ? -1 : mappingIndex.get(f.mapping)!, f.address, lines, f.folded)));
      }
      return i;
    };
    const stack: number[] = [];
    for (let i = 0; i < samples.count; i++) {
      stack.length = 0;
      for (const frame of this.path(samples.keys[i]!)) stack.push(loc(frame));
      const ls = samples.labelSets[i]!;
      const labels = ls === 0 ? [] : this.labelSets.get(ls)!.map((l) => ({ key: this.str(l.key), str: this.str(l.str), num: l.num, numUnit: this.str(l.numUnit) }));
      b.addSample(stack, samples.values.subarray(i * samples.width, (i + 1) * samples.width), labels);
    }
    return b.build();
  }
}
