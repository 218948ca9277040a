import type { GoFrame } from '../../model/goroutines.js';
import type { Entry, GoroutineEntries } from './entries.js';
import type { GoroutineGroup, Similarity } from './types.js';
import { isStdlibFunc } from '../go-names.js';

/** A group before its stack memory is measured (memory.ts), with the key that made it. */
export type Grouped = Omit<GoroutineGroup, 'stackBytes' | 'shareOfProcess'> & { key: string };

const MAX_IDS = 10;

/**
 * Groups entries in one pass with a hash map: linear in the number of
 * goroutines (panicparse's bucketing is quadratic), so 100,000 goroutines
 * take well under a second.
 */
export function groupGoroutines(input: GoroutineEntries, similarity: Similarity = 'args'): Grouped[] {
  const frameKey = frameKeys(input.frames, similarity);
  const byKey = new Map<string, { group: Grouped; parents: Set<number> }>();
  for (const e of input.entries) {
    const key = entryKey(e, frameKey, similarity);
    const found = byKey.get(key);
    if (found) addToGroup(found.group, found.parents, e);
    else byKey.set(key, newGroup(key, e, input));
  }
  const groups = [...byKey.values()].map(({ group, parents }) => {
    group.parents = [...parents].sort((a, b) => a - b);
    group.ids.sort((a, b) => a - b);
    return group;
  });
  return groups.sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function frameKeys(frames: readonly GoFrame[], similarity: Similarity): string[] {
  return frames.map((f) => (similarity === 'lines' ? f.func : `${f.func} ${f.file}:${f.line}`));
}

function entryKey(e: Entry, frameKey: readonly string[], similarity: Similarity): string {
  const parts = [e.leaked ? `${e.state} (leaked)` : e.state];
  for (let i = 0; i < e.frames.length; i++) {
    const f = frameKey[e.frames[i]!]!;
    parts.push(similarity === 'exact' && e.args ? `${f}(${e.args[i]})` : f);
  }
  if (e.elided) parts.push('…');
  if (e.creator !== undefined) parts.push(`created by ${frameKey[e.creator]}`);
  if (similarity === 'exact' && e.lockedToThread) parts.push('locked to thread');
  return parts.join('\n');
}

function newGroup(key: string, e: Entry, input: GoroutineEntries): { group: Grouped; parents: Set<number> } {
  const frames = e.frames.map((f) => input.frames[f]!);
  const group: Grouped = {
    key,
    count: e.count,
    state: e.state,
    stateInferred: !input.fromDump,
    leaked: e.leaked,
    waitMinutes: { min: e.waitMinutes, max: e.waitMinutes },
    lockedToThread: e.lockedToThread ? e.count : 0,
    frames,
    args: e.args ? [...e.args] : undefined,
    topFrame: frames.find((f) => !isStdlibFunc(f.func)) ?? frames[0],
    creator: e.creator !== undefined ? input.frames[e.creator] : undefined,
    parents: [],
    ids: e.id !== undefined ? [e.id] : [],
    maxDepth: e.depth,
    elided: e.elided,
    system: e.system,
  };
  return { group, parents: new Set(e.parent !== undefined ? [e.parent] : []) };
}

function addToGroup(g: Grouped, parents: Set<number>, e: Entry): void {
  g.count += e.count;
  g.waitMinutes.min = Math.min(g.waitMinutes.min, e.waitMinutes);
  g.waitMinutes.max = Math.max(g.waitMinutes.max, e.waitMinutes);
  if (e.lockedToThread) g.lockedToThread += e.count;
  if (e.parent !== undefined) parents.add(e.parent);
  if (e.id !== undefined) insertId(g.ids, e.id);
  g.maxDepth = Math.max(g.maxDepth, e.depth);
  if (g.args && e.args) {
    for (let i = 0; i < g.args.length; i++) if (g.args[i] !== e.args[i]) g.args[i] = '*';
  }
}

/** Keeps the MAX_IDS smallest ids without sorting every goroutine. */
function insertId(ids: number[], id: number): void {
  if (ids.length < MAX_IDS) {
    ids.push(id);
    return;
  }
  let maxAt = 0;
  for (let i = 1; i < ids.length; i++) if (ids[i]! > ids[maxAt]!) maxAt = i;
  if (id < ids[maxAt]!) ids[maxAt] = id;
}
