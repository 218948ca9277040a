import { decodeRows } from './codec.js';
import { bytes, num, text, type Engine, type KeyedTable } from './engine.js';
import { decodeFrame, decodeFunction, decodeLabels, decodeMapping, decodeSite } from './symbols.js';
import type { StoredHeader } from './types.js';

/**
 * The store's own consistency, beyond what the database checks (SQLite's
 * integrity and foreign-key checks are included): every profile decodes and
 * refers only to rows that exist, every snapshot holds exactly the kinds it
 * says (no partial snapshot), every interned row refers to rows that exist.
 * Problems in words; none means the store is whole.
 */
export async function checkStore(engine: Engine): Promise<string[]> {
  const refs = { stack_nodes: new Set<number>(), label_sets: new Set<number>(), sites: new Set<number>(), mappings: new Set<number>() };
  const problems = [...(await engine.checkStructure()), ...(await checkSnapshots(engine))];
  for (const r of await engine.all('SELECT id FROM profiles ORDER BY id')) {
    const p = await checkProfile(engine, num(r['id']), refs);
    if (p) problems.push(p);
  }
  const frames = await contents(engine, 'frames', decodeFrame);
  const functions = await contents(engine, 'functions', decodeFunction);
  const mappings = await contents(engine, 'mappings', decodeMapping);
  const labelSets = await contents(engine, 'label_sets', decodeLabels);
  const sites = await contents(engine, 'sites', decodeSite);
  const strings = new Set((await engine.all('SELECT id FROM strings')).map((r) => num(r['id'])));
  const nodes = new Set((await engine.all('SELECT id FROM stack_nodes')).map((r) => num(r['id'])));
  const missing = (what: string, ids: Iterable<number>, have: { has(id: number): boolean }) => {
    for (const id of ids) if (id !== 0 && !have.has(id)) problems.push(`${what} refers to a missing row ${id}`);
  };
  missing('a profile', refs.stack_nodes, nodes);
  missing('a profile', refs.label_sets, labelSets);
  missing('a profile', refs.sites, sites);
  missing('a profile header', refs.mappings, mappings);
  for (const [id, f] of frames) {
    missing(`frame ${id}`, [f.mapping], mappings);
    missing(`frame ${id}`, f.lines.map((l) => l.fn), functions);
  }
  for (const [id, f] of functions) missing(`function ${id}`, [f.name, f.systemName, f.filename], strings);
  for (const [id, m] of mappings) missing(`mapping ${id}`, [m.file, m.buildId], strings);
  for (const [id, ls] of labelSets) missing(`label set ${id}`, ls.flatMap((l) => [l.key, l.str, l.numUnit]), strings);
  for (const [id, s] of sites) missing(`site ${id}`, [s.function, s.file, s.via], strings);
  return problems;
}

async function checkSnapshots(engine: Engine): Promise<string[]> {
  const problems: string[] = [];
  const kinds = new Map<number, string[]>();
  for (const r of await engine.all('SELECT snapshot_id, kind FROM profiles')) {
    const id = num(r['snapshot_id']);
    kinds.set(id, [...(kinds.get(id) ?? []), text(r['kind'])]);
  }
  for (const r of await engine.all('SELECT id, kinds, memstats FROM snapshots')) {
    const id = num(r['id']);
    const said = text(r['kinds']).split(',').filter(Boolean);
    const profiles = said.filter((k) => k !== 'memstats').sort();
    const stored = [...(kinds.get(id) ?? [])].sort();
    if (profiles.join() !== stored.join()) problems.push(`snapshot ${id} says it holds ${profiles.join(', ') || 'no profile'} but has ${stored.join(', ') || 'none'}`);
    if (said.includes('memstats') !== (typeof r['memstats'] === 'string')) problems.push(`snapshot ${id}: its MemStats and its kinds disagree`);
    kinds.delete(id);
  }
  for (const id of kinds.keys()) problems.push(`profiles of a missing snapshot ${id}`);
  return problems;
}

/** Decodes one profile and records what it refers to; a problem in words, or undefined. */
async function checkProfile(engine: Engine, id: number, refs: { stack_nodes: Set<number>; label_sets: Set<number>; sites: Set<number>; mappings: Set<number> }): Promise<string | undefined> {
  const [r] = await engine.all('SELECT header, sample_count, sample_keys, sample_values, site_keys, site_values FROM profiles WHERE id = ?', [id]);
  if (!r) return undefined;
  try {
    const header = JSON.parse(text(r['header'])) as StoredHeader;
    const rows = decodeRows({ keys: bytes(r['sample_keys']), values: bytes(r['sample_values']) });
    if (rows.count !== num(r['sample_count'])) return `profile ${id}: ${rows.count} samples stored, ${num(r['sample_count'])} recorded`;
    if (rows.width !== header.sampleTypes.length) return `profile ${id}: ${rows.width} values per sample, ${header.sampleTypes.length} sample types`;
    for (let i = 0; i < rows.count; i++) {
      refs.stack_nodes.add(rows.keys[i]!);
      refs.label_sets.add(rows.labelSets[i]!);
    }
    for (const m of header.mappings) refs.mappings.add(m);
    if (r['site_keys'] instanceof Uint8Array) {
      const sites = decodeRows({ keys: bytes(r['site_keys']), values: bytes(r['site_values']) });
      for (let i = 0; i < sites.count; i++) refs.sites.add(sites.keys[i]!);
    }
    return undefined;
  } catch (err) {
    return `profile ${id} does not decode: ${(err as Error).message}`;
  }
}

async function contents<T>(engine: Engine, table: KeyedTable, decode: (b: Uint8Array) => T): Promise<Map<number, T>> {
  const out = new Map<number, T>();
  for (const r of await engine.all(`SELECT id, content FROM ${table}`)) out.set(num(r['id']), decode(bytes(r['content'])));
  return out;
}

