import type { GoFrame } from '../../model/goroutines.js';
import type { Entry, GoroutineEntries } from './entries.js';
import { isStdlibFunc } from '../go-names.js';

/**
 * How alike two goroutines must be to share a group (panicparse's
 * Similarity, go-text-formats §2.3):
 * - `exact`: same stack, same argument values, same locked-to-thread flag;
 * - `args` (default): same functions, files and lines; arguments ignored;
 * - `lines`: same functions only; arguments and line numbers ignored.
 * In every mode the state must match and goroutines created at the same
 * place are merged whichever goroutine created them (panicparse keys on the
 * `in goroutine N` text and so keeps one group per parent).
 */
export type Similarity = 'exact' | 'args' | 'lines';

export interface GoroutineGroup {
  /** Identifies the group across dumps of one process: state, stack and creator as text. */
  key: string;
  count: number;
  state: string;
  /** The state was read from the profile's stack, not printed by the runtime. */
  stateInferred: boolean;
  /** Range of the printed `N minutes` (0 = under a minute or not yet stamped by a GC). */
  waitMinutes: { min: number; max: number };
  lockedToThread: number;
  /** The first goroutine's canonical stack, innermost first. */
  frames: GoFrame[];
  /** Per frame, the arguments when every goroutine had the same ones, else `*` (dumps only). */
  args: string[] | undefined;
  /** The innermost frame outside the standard library (else the innermost frame). */
  topFrame: GoFrame | undefined;
  /** Where the goroutines were started (`created by`), dumps only. */
  creator: GoFrame | undefined;
  /** Distinct parent goroutine ids (`in goroutine N`), ascending. */
  parents: number[];
  /** The first few goroutine ids, ascending (dumps only). */
  ids: number[];
  /** Deepest stack in the group, runtime and elided frames counted. */
  maxDepth: number;
  elided: boolean;
  system: boolean;
}

const MAX_IDS = 10;

/**
 * Groups entries in one pass with a hash map: linear in the number of
 * goroutines (panicparse's bucketing is quadratic), so 100,000 goroutines
 * take well under a second.
 */
export function groupGoroutines(input: GoroutineEntries, similarity: Similarity = 'args'): GoroutineGroup[] {
  const frameKey = frameKeys(input.frames, similarity);
  const byKey = new Map<string, { group: GoroutineGroup; parents: Set<number> }>();
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
  const parts = [e.state];
  for (let i = 0; i < e.frames.length; i++) {
    const f = frameKey[e.frames[i]!]!;
    parts.push(similarity === 'exact' && e.args ? `${f}(${e.args[i]})` : f);
  }
  if (e.elided) parts.push('…');
  if (e.creator !== undefined) parts.push(`created by ${frameKey[e.creator]}`);
  if (similarity === 'exact' && e.lockedToThread) parts.push('locked to thread');
  return parts.join('\n');
}

function newGroup(key: string, e: Entry, input: GoroutineEntries): { group: GoroutineGroup; parents: Set<number> } {
  const frames = e.frames.map((f) => input.frames[f]!);
  const group: GoroutineGroup = {
    key,
    count: e.count,
    state: e.state,
    stateInferred: !input.fromDump,
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

function addToGroup(g: GoroutineGroup, parents: Set<number>, e: Entry): void {
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
