import { siteOf } from '../../analyze/heap/sites.js';
import { programOnly } from '../../analyze/program.js';
import type { MemStats, Profile } from '../../model/profile.js';
import { encodeRows, type KeyedRows } from './codec.js';
import { DIALECTS, num, type Engine } from './engine.js';
import type { Interner } from './intern.js';
import { encodeFrame, encodeFunction, encodeLabels, encodeMapping, encodeSite, encodeString } from './symbols.js';
import type { ProfileKind, SnapshotInput, StoredHeader, StoredKind, WriteResult } from './types.js';

/**
 * Writes one snapshot — every profile of one round of one target, and its
 * MemStats — in one transaction: after a crash the store holds all of it or
 * none of it. The caller serialises transactions on the engine.
 */
export async function putSnapshot(engine: Engine, interner: Interner, input: SnapshotInput): Promise<WriteResult> {
  try {
    return await engine.transaction(async () => {
      await checkGeneration(engine, interner);
      const [target] = await interner.intern('targets', [input.target]);
      const kinds: StoredKind[] = [...input.profiles.map((p) => p.kind), ...(input.memStats ? (['memstats'] as const) : [])];
      const rows = await engine.all('INSERT INTO snapshots (target_id, taken_at, interval_ms, kinds, errors, memstats) VALUES (?, ?, ?, ?, ?, ?) RETURNING id', [
        target!,
        Math.round(input.takenAtMs),
        Math.round(input.intervalMs),
        kinds.join(','),
        JSON.stringify(input.errors),
        input.memStats ? encodeMemStats(input.memStats) : null,
      ]);
      const id = num(rows[0]!['id']);
      const fresh = new Set<number>();
      for (const { kind, profile } of input.profiles) await putProfile(engine, interner, id, kind, profile, fresh);
      return { id, kinds };
    });
  } catch (err) {
    interner.clear();
    throw err;
  }
}

/** A garbage collection since this writer's last transaction may have freed ids its caches hold. */
async function checkGeneration(engine: Engine, interner: Interner): Promise<void> {
  const rows = await engine.all(`SELECT value FROM store_meta WHERE name = 'symbols_generation'${DIALECTS[engine.name].lockForShare}`);
  const generation = Number(rows[0]?.['value']);
  if (generation !== interner.generation) {
    interner.clear();
    interner.generation = generation;
  }
}

async function putProfile(engine: Engine, interner: Interner, snapshot: number, kind: ProfileKind, p: Profile, fresh: Set<number>): Promise<void> {
  const sid = await stringIds(interner, p);
  const functions = await interner.intern('functions', functionKeys(p, sid));
  const mappings = await mappingIds(interner, p);
  const frames = await interner.intern('frames', frameKeys(p, functions, mappings));
  const leaves = await stackLeaves(interner, p, frames, fresh);
  const labelSets = await labelSetIds(interner, p, sid);
  const rows = sortedRows(leaves, labelSets, p.samples.values, p.sampleTypes.length, p.samples.count);
  const header: StoredHeader = { ...headerFields(p), mappings };
  const sites = kind === 'heap' || kind === 'allocs' ? await siteRows(interner, p) : null;
  const samples = encodeRows(rows);
  const siteBlobs = sites ? encodeRows(sites) : null;
  await engine.run(
    'INSERT INTO profiles (snapshot_id, kind, header, sample_count, totals, sample_keys, sample_values, site_keys, site_values) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [snapshot, kind, JSON.stringify(header), p.samples.count, JSON.stringify(totals(p)), samples.keys, samples.values, siteBlobs?.keys ?? null, siteBlobs?.values ?? null],
  );
}

/** A profile's header as JSON can hold it: everything but samples, symbols and mappings. */
export function headerFields(p: Profile): Omit<StoredHeader, 'mappings'> {
  return {
    sampleTypes: p.sampleTypes,
    defaultSampleType: p.defaultSampleType,
    periodType: p.periodType ?? null,
    period: p.period,
    timeNanos: p.timeNanos.toString(),
    durationNanos: p.durationNanos.toString(),
    comments: p.comments,
    dropFrames: p.dropFrames,
    keepFrames: p.keepFrames,
    docUrl: p.docUrl,
  };
}

/**
 * Store ids of the strings the profile's functions and labels use (its own
 * table also holds sample type names and more, which live in the header):
 * only what some row refers to is stored, so a collection finds nothing to
 * free that a store of the kept snapshots would not have.
 */
async function stringIds(interner: Interner, p: Profile): Promise<(i: number) => number> {
  const used = new Set<number>();
  const F = p.functions;
  for (let i = 0; i < F.count; i++) used.add(F.name[i]!).add(F.systemName[i]!).add(F.filename[i]!);
  const L = p.labels;
  for (let i = 0; i < L.count; i++) used.add(L.key[i]!).add(L.str[i]!).add(L.numUnit[i]!);
  const indexes = [...used];
  const ids = await interner.intern('strings', indexes.map((i) => encodeString(p.strings[i]!)));
  const byIndex = new Map(indexes.map((i, j) => [i, ids[j]!]));
  return (i) => byIndex.get(i)!;
}

async function mappingIds(interner: Interner, p: Profile): Promise<number[]> {
  const names = await interner.intern('strings', p.mappings.flatMap((m) => [encodeString(m.file), encodeString(m.buildId)]));
  const keys = p.mappings.map((m, i) => encodeMapping({ start: m.start, limit: m.limit, offset: m.offset, file: names[2 * i]!, buildId: names[2 * i + 1]!, flags: mappingFlags(m) }));
  return interner.intern('mappings', keys);
}

function mappingFlags(m: Profile['mappings'][number]): number {
  return (m.hasFunctions ? 1 : 0) | (m.hasFilenames ? 2 : 0) | (m.hasLineNumbers ? 4 : 0) | (m.hasInlineFrames ? 8 : 0);
}

function functionKeys(p: Profile, sid: (i: number) => number): Uint8Array[] {
  const F = p.functions;
  return Array.from({ length: F.count }, (_, i) =>
    encodeFunction({ name: sid(F.name[i]!), systemName: sid(F.systemName[i]!), filename: sid(F.filename[i]!), startLine: F.startLine[i]! }),
  );
}

function frameKeys(p: Profile, functions: readonly number[], mappings: readonly number[]): Uint8Array[] {
  const L = p.locations;
  return Array.from({ length: L.count }, (_, i) => {
    const lines = [];
    for (let l = L.lineStart[i]!; l < L.lineStart[i]! + L.lineCount[i]!; l++) {
      const f = p.lines.function[l]!;
      lines.push({ fn: f < 0 ? 0 : functions[f]!, line: p.lines.line[l]!, column: p.lines.column[l]! });
    }
    const m = L.mapping[i]!;
    return encodeFrame({ mapping: m < 0 ? 0 : mappings[m]!, address: L.address[i]!, folded: L.isFolded[i] === 1, lines });
  });
}

/**
 * Each sample's stack as a node of the tree, built one depth at a time from
 * the root (the outermost caller), so each level is one batch of lookups.
 */
async function stackLeaves(interner: Interner, p: Profile, frames: readonly number[], fresh: Set<number>): Promise<Float64Array> {
  const n = p.samples.count;
  const { locStart, locCount } = p.samples;
  const node = new Float64Array(n);
  let depth = 0;
  for (let i = 0; i < n; i++) depth = Math.max(depth, locCount[i]!);
  const live = new Int32Array(n);
  const parents = new Float64Array(n);
  const frameAt = new Float64Array(n);
  for (let d = 0; d < depth; d++) {
    let k = 0;
    for (let i = 0; i < n; i++) {
      const c = locCount[i]!;
      if (c <= d) continue;
      live[k] = i;
      parents[k] = node[i]!;
      frameAt[k] = frames[p.stacks[locStart[i]! + c - 1 - d]!]!;
      k++;
    }
    const children = await interner.children(parents, frameAt, k, fresh);
    for (let j = 0; j < k; j++) node[live[j]!] = children[j]!;
  }
  return node;
}

async function labelSetIds(interner: Interner, p: Profile, sid: (i: number) => number): Promise<Float64Array> {
  const n = p.samples.count;
  const out = new Float64Array(n);
  const keyed: number[] = [];
  const keys: Uint8Array[] = [];
  const L = p.labels;
  for (let i = 0; i < n; i++) {
    const count = p.samples.labelCount[i]!;
    if (count === 0) continue;
    const start = p.samples.labelStart[i]!;
    const labels = [];
    for (let l = start; l < start + count; l++) labels.push({ key: sid(L.key[l]!), str: sid(L.str[l]!), num: L.num[l]!, numUnit: sid(L.numUnit[l]!) });
    keyed.push(i);
    keys.push(encodeLabels(labels));
  }
  const ids = await interner.intern('label_sets', keys);
  keyed.forEach((i, j) => (out[i] = ids[j]!));
  return out;
}

/** Samples ordered by (stack node, label set): small key deltas, and the same order for the same content. */
function sortedRows(keys: Float64Array, labelSets: Float64Array, values: Float64Array, width: number, count: number): KeyedRows {
  const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => keys[a]! - keys[b]! || labelSets[a]! - labelSets[b]! || a - b);
  const rows: KeyedRows = { count, width, keys: new Float64Array(count), labelSets: new Float64Array(count), values: new Float64Array(count * width) };
  order.forEach((from, to) => {
    rows.keys[to] = keys[from]!;
    rows.labelSets[to] = labelSets[from]!;
    rows.values.set(values.subarray(from * width, from * width + width), to * width);
  });
  return rows;
}

function totals(p: Profile): number[] {
  const width = p.sampleTypes.length;
  const out = new Array<number>(width).fill(0);
  for (let i = 0; i < p.samples.count; i++) for (let t = 0; t < width; t++) out[t]! += p.samples.values[i * width + t]!;
  return out;
}

/**
 * The heap doctor's sites (analyze/heap/sites.ts: the innermost frame of the
 * program's own code, per line) with their four values, over the program's
 * own samples: `history` reads these per snapshot instead of every sample.
 * Undefined for a profile without the four heap sample types.
 */
async function siteRows(interner: Interner, p: Profile): Promise<KeyedRows | null> {
  const col = (name: string) => p.sampleTypes.findIndex((t) => t.type === name);
  const cols = [col('inuse_space'), col('inuse_objects'), col('alloc_space'), col('alloc_objects')];
  if (cols.some((c) => c < 0)) return null;
  const program = programOnly(p);
  const bySite = new Map<string, { key: { function: string; file?: string; line?: number; via?: string }; values: number[] }>();
  const width = program.sampleTypes.length;
  for (let i = 0; i < program.samples.count; i++) {
    const s = siteOf(program, i, 'line');
    let e = bySite.get(s.key);
    if (!e) bySite.set(s.key, (e = { key: s, values: [0, 0, 0, 0] }));
    cols.forEach((c, j) => (e!.values[j]! += program.samples.values[i * width + c]!));
  }
  const entries = [...bySite.values()];
  const names = [...new Set(entries.flatMap((e) => [e.key.function, e.key.file ?? '', e.key.via ?? '']))];
  const nameIds = new Map((await interner.intern('strings', names.map(encodeString))).map((id, i) => [names[i]!, id]));
  const id = (s: string | undefined) => (s === undefined ? 0 : nameIds.get(s)!);
  const siteIds = await interner.intern(
    'sites',
    entries.map((e) => encodeSite({ function: id(e.key.function), file: id(e.key.file), line: e.key.line ?? -1, via: id(e.key.via) })),
  );
  const keys = Float64Array.from(siteIds);
  const values = Float64Array.from(entries.flatMap((e) => e.values));
  return sortedRows(keys, new Float64Array(entries.length), values, 4, entries.length);
}

/** MemStats as JSON; bigints (LastGC, PauseEnd) as `{"$big": "…"}`. */
export function encodeMemStats(m: MemStats): string {
  return JSON.stringify(m, (_k, v: unknown) => (typeof v === 'bigint' ? { $big: v.toString() } : v));
}

export function decodeMemStats(text: string): MemStats {
  return JSON.parse(text, (_k, v: unknown) => (v !== null && typeof v === 'object' && '$big' in v ? BigInt((v as { $big: string }).$big) : v)) as MemStats;
}
