import { GoFrameTable, type GoFrame, type GoroutineDump, type GoroutineProfile } from '../../model/goroutines.js';
import { isHiddenRuntimeFunc, tracebackName } from '../go-names.js';
import { inferState } from './state.js';

/**
 * One form for every goroutine input before grouping: a dump gives one entry
 * per goroutine, a goroutine profile one per distinct stack with its count.
 * Stacks are canonical: the frames a level-1 traceback shows (unexported
 * `runtime.` frames and `runtime.goexit` dropped, unless nothing else is
 * left), so a debug=2 dump, a SIGQUIT dump with runtime frames, the debug=1
 * text and the proto profile of one moment give the same stacks, and the
 * same depth to estimate their stack memory from.
 */
export interface GoroutineEntries {
  /** Interned frames; entries refer to them by index. */
  frames: GoFrame[];
  entries: Entry[];
  /** True for dumps: states, creators and wait times were printed, not inferred. */
  fromDump: boolean;
}

export interface Entry {
  count: number;
  state: string;
  waitMinutes: number;
  lockedToThread: boolean;
  /** The runtime proved it leaked: `(leaked)` in a dump, or listed in a goroutineleak profile. */
  leaked: boolean;
  /** Canonical frame indexes, innermost first. */
  frames: number[];
  /** Argument text per canonical frame (dumps only). */
  args: string[] | undefined;
  /**
   * Physical frames of the canonical stack (inlined calls take no frame of
   * their own) plus elided ones: what the stack holds, counted alike in every
   * form (the runtime frames under a parked goroutine are a few in all of them).
   */
  depth: number;
  elided: boolean;
  creator: number | undefined;
  parent: number | undefined;
  id: number | undefined;
  /** A runtime-internal goroutine (every frame in the runtime, or created by it). */
  system: boolean;
}

export function entriesFromDump(dump: GoroutineDump): GoroutineEntries {
  const frames = dump.frames;
  const hidden = frames.map((f) => isHidden(f.func));
  const entries = dump.goroutines.map((g): Entry => {
    const keep = canonicalPositions(g.frames, (i) => hidden[i]!);
    const creator = g.createdBy?.frame;
    const canonical = keep.map((p) => g.frames[p]!);
    return {
      count: 1,
      state: g.state,
      waitMinutes: g.waitMinutes,
      lockedToThread: g.lockedToThread,
      leaked: g.leaked,
      frames: canonical,
      args: keep.map((p) => g.args[p] ?? ''),
      depth: physicalDepth(canonical, frames) + Math.max(0, g.elidedFrames),
      elided: g.elidedFrames !== 0,
      creator,
      parent: g.createdBy?.parent,
      id: g.id,
      system: g.id === 0 || isSystem(g.frames.map((i) => frames[i]!.func), creator !== undefined ? frames[creator]!.func : undefined),
    };
  });
  return { frames, entries, fromDump: true };
}

function isHidden(func: string): boolean {
  return isHiddenRuntimeFunc(func) || func === 'runtime.goexit';
}

function physicalDepth(stack: readonly number[], frames: readonly GoFrame[]): number {
  let n = 0;
  for (const f of stack) if (!frames[f]!.inlined) n++;
  return Math.max(1, n);
}

/** Positions of the frames a level-1 traceback shows; all of them when every frame is hidden. */
function canonicalPositions(stack: readonly number[], isHidden: (frame: number) => boolean): number[] {
  const keep: number[] = [];
  for (let p = 0; p < stack.length; p++) if (!isHidden(stack[p]!)) keep.push(p);
  if (keep.length > 0) return keep;
  return stack.map((_, p) => p);
}

function isSystem(funcs: readonly string[], creator: string | undefined): boolean {
  if (creator !== undefined && isHiddenRuntimeFunc(creator)) return true;
  return funcs.length > 0 && funcs.every((f) => isHiddenRuntimeFunc(f) || f === 'runtime.goexit');
}

/** A goroutine profile (proto or debug=1): one entry per stack, its count the stack's. */
export function entriesFromProfile(p: GoroutineProfile): GoroutineEntries {
  const table = new GoFrameTable();
  // Profiles name generic instantiations by their shapes; tracebacks print [...].
  const named = p.frames.map((f) => table.id(tracebackName(f.func), f.file, f.line, f.inlined));
  const leaked = p.name === 'goroutineleak';
  const entries = p.stacks.map((st): Entry => {
    const stack = st.frames.map((f) => named[f]!);
    const funcs = stack.map((f) => table.frames[f]!.func);
    const keep = canonicalPositions(stack, (f) => isHidden(table.frames[f]!.func));
    const frames = keep.map((k) => stack[k]!);
    return {
      count: st.count,
      state: inferState(funcs),
      waitMinutes: 0,
      lockedToThread: false,
      leaked,
      frames,
      args: undefined,
      depth: physicalDepth(frames, table.frames),
      elided: false,
      creator: undefined,
      parent: undefined,
      id: undefined,
      system: isSystem(funcs, undefined),
    };
  });
  return { frames: table.frames, entries, fromDump: false };
}
