import type { GoFrame, GoroutineDump } from '../../model/goroutines.js';
import type { Profile } from '../../model/profile.js';
import { isHiddenRuntimeFunc, tracebackName } from '../go-names.js';
import { inferState } from './state.js';

/**
 * One form for every goroutine input before grouping: a dump gives one entry
 * per goroutine, a goroutine profile one per distinct stack with its count.
 * Stacks are canonical: the frames a level-1 traceback shows (unexported
 * `runtime.` frames and `runtime.goexit` dropped, unless nothing else is
 * left), so a debug=2 dump, a SIGQUIT dump with runtime frames, the debug=1
 * text and the proto profile of one moment give the same stacks.
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
  /** Canonical frame indexes, innermost first. */
  frames: number[];
  /** Argument text per canonical frame (dumps only). */
  args: string[] | undefined;
  /** Full stack depth, runtime frames and elided frames included: what the stack holds. */
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
  const hidden = frames.map((f) => isHiddenRuntimeFunc(f.func) || f.func === 'runtime.goexit');
  const entries = dump.goroutines.map((g): Entry => {
    const keep = canonicalPositions(g.frames, (i) => hidden[i]!);
    const creator = g.createdBy?.frame;
    return {
      count: 1,
      state: g.state,
      waitMinutes: g.waitMinutes,
      lockedToThread: g.lockedToThread,
      frames: keep.map((p) => g.frames[p]!),
      args: keep.map((p) => g.args[p] ?? ''),
      depth: g.frames.length + Math.max(0, g.elidedFrames),
      elided: g.elidedFrames !== 0,
      creator,
      parent: g.createdBy?.parent,
      id: g.id,
      system: g.id === 0 || isSystem(g.frames.map((i) => frames[i]!.func), creator !== undefined ? frames[creator]!.func : undefined),
    };
  });
  return { frames, entries, fromDump: true };
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

/** A goroutine profile (proto or debug=1): one entry per sample, its count the sample's value. */
export function entriesFromProfile(p: Profile): GoroutineEntries {
  const frames: GoFrame[] = [];
  const ids = new Map<string, number>();
  const intern = (f: GoFrame): number => {
    const key = `${f.func}\n${f.file}\n${f.line}\n${f.inlined ? 1 : 0}`;
    let id = ids.get(key);
    if (id === undefined) {
      id = frames.length;
      frames.push(f);
      ids.set(key, id);
    }
    return id;
  };
  const s = p.samples;
  const valueIndex = Math.max(0, p.sampleTypes.findIndex((t) => t.type === 'goroutine'));
  const entries: Entry[] = [];
  for (let i = 0; i < s.count; i++) {
    const stack = profileStack(p, i).map(intern);
    const funcs = stack.map((f) => frames[f]!.func);
    const keep = canonicalPositions(stack, (f) => isHiddenRuntimeFunc(frames[f]!.func) || frames[f]!.func === 'runtime.goexit');
    entries.push({
      count: s.values[i * p.sampleTypes.length + valueIndex]!,
      state: inferState(funcs),
      waitMinutes: 0,
      lockedToThread: false,
      frames: keep.map((k) => stack[k]!),
      args: undefined,
      depth: stack.length,
      elided: false,
      creator: undefined,
      parent: undefined,
      id: undefined,
      system: isSystem(funcs, undefined),
    });
  }
  return { frames, entries, fromDump: false };
}

/** Sample i's frames, innermost first, inlined calls expanded; lines without a function are skipped. */
function profileStack(p: Profile, sample: number): GoFrame[] {
  const out: GoFrame[] = [];
  const { locStart, locCount } = p.samples;
  const start = locStart[sample]!;
  for (let k = start; k < start + locCount[sample]!; k++) {
    const loc = p.stacks[k]!;
    const first = p.locations.lineStart[loc]!;
    const n = p.locations.lineCount[loc]!;
    for (let l = first; l < first + n; l++) {
      const fn = p.lines.function[l]!;
      if (fn < 0) continue;
      out.push({
        func: tracebackName(p.strings[p.functions.name[fn]!]!),
        file: p.strings[p.functions.filename[fn]!]!,
        line: p.lines.line[l]!,
        inlined: l < first + n - 1, // every line but a location's last is inlined into the next
      });
    }
  }
  return out;
}
