/**
 * Goroutine dumps: the text of `?debug=2`, panic and SIGQUIT tracebacks, as
 * read by src/formats/goroutines. One object per goroutine (dumps rarely pass
 * a few hundred thousand), but frames are interned: a dump of 100,000
 * goroutines parked at a dozen sites holds a few hundred distinct frames.
 */

/** One printed frame: `func(args)` and its `\tfile:line +0xoff` line. */
export interface GoFrame {
  /** As printed, e.g. `net/http.(*conn).serve`, `main.genericWait[...]`, `panic`. */
  func: string;
  file: string;
  line: number;
  /** Printed as `func(...)` with no `+0x` offset: an inlined call. */
  inlined: boolean;
}

export interface CreatedBy {
  /** Index into `GoroutineDump.frames`. */
  frame: number;
  /** The `in goroutine N` parent (Go 1.21+), when printed. */
  parent?: number;
}

/** A `[originating from goroutine N]:` block (GODEBUG=tracebackancestors). */
export interface AncestorStack {
  id: number;
  frames: number[];
  createdBy?: CreatedBy;
  /** `...additional frames elided...` was printed. */
  elided: boolean;
}

export interface Goroutine {
  id: number;
  /** The wait reason or status as printed (`chan receive`, `select (no cases)`, `running`, `GC worker (idle)` …); an open set. */
  state: string;
  /** `, N minutes` (0 when not printed: under a minute, or no GC has stamped the wait yet). */
  waitMinutes: number;
  lockedToThread: boolean;
  /** `(scan)` after the status: the GC was scanning the stack. */
  scan: boolean;
  /**
   * `(leaked)` after the status (Go 1.26+, GOEXPERIMENT=goroutineleakprofile):
   * the GC proved that nothing reachable can ever wake the goroutine.
   */
  leaked: boolean;
  /** Header items not understood (kept, never dropped silently). */
  extra: string[];
  /** The `gp= m= mp=` header fields (GOTRACEBACK=system and crashes); `m` is the M id or `nil`. */
  m?: string;
  /** Frame indexes into `GoroutineDump.frames`, innermost first. */
  frames: number[];
  /** Parallel to `frames`: the argument text between the parentheses (`0xc000012345?, {0x1, 0x2}`, `...`). */
  args: string[];
  /** Frames left out: N of `...N frames elided...`, -1 for `...additional frames elided...`, else 0. */
  elidedFrames: number;
  /** Position in `frames` where the elision marker stood (the frames before it are the innermost). */
  elidedAt: number;
  createdBy?: CreatedBy;
  ancestors: AncestorStack[];
  /** `goroutine running on other thread; stack unavailable`. */
  stackUnavailable: boolean;
}

/** What kind of text the dump came from, from its first lines. */
export type DumpKind = 'goroutines' | 'panic' | 'fatal-error' | 'signal';

export interface GoroutineDump {
  kind: DumpKind;
  /** Where the dump stands in the text it was read from (1-based, inclusive): logs hold dumps among other lines, and may hold several. */
  lines: { first: number; last: number };
  /** The panic/fatal error/signal line(s) before the first goroutine, e.g. `fatal error: all goroutines are asleep - deadlock!`. */
  reason: string[];
  goroutines: Goroutine[];
  frames: GoFrame[];
  /** Lines within the dump, outside its goroutine blocks, that were skipped (register dumps, runtime diagnostics). */
  skippedLines: number;
  /** The text ended in the middle of a frame (debug=2 output is cut silently at 64 MB). */
  truncated: boolean;
}

/** One distinct stack of a goroutine profile and how many goroutines had it. */
export interface GoroutineStack {
  count: number;
  /** Frame indexes into `GoroutineProfile.frames`, innermost first, inlined calls as frames of their own. */
  frames: number[];
  /**
   * Frames of the stack the profile gives no name for: debug=1 text prints no
   * line for the runtime's own frames it hides (runtime.gopark, chanrecv,
   * runtime.goexit), only their addresses.
   */
  unnamed: number;
}

/**
 * A goroutine profile, `?debug=1` text or proto, as the goroutine analysis
 * reads it: stacks with counts. Unlike a dump it carries no states, wait
 * times, creators, goroutine ids or arguments.
 */
export interface GoroutineProfile {
  form: 'proto' | 'debug=1';
  /**
   * `goroutine`, or `goroutineleak`: Go 1.26's profile (GOEXPERIMENT=goroutineleakprofile)
   * of only the goroutines its GC proved leaked.
   */
  name: string;
  frames: GoFrame[];
  stacks: GoroutineStack[];
}

/** What a goroutine artefact decodes to: a traceback dump (debug=2, panics, SIGQUIT) or a goroutine profile. */
export type GoroutineInput = { kind: 'dump'; dump: GoroutineDump } | { kind: 'profile'; profile: GoroutineProfile };

/** Interns frames: one entry per distinct (function, file, line, inlined), so stacks are arrays of small ints. */
export class GoFrameTable {
  readonly frames: GoFrame[] = [];
  private readonly ids = new Map<string, number>();

  /** The frame's index; arguments rather than a GoFrame, so a frame seen before allocates nothing. */
  id(func: string, file: string, line: number, inlined: boolean): number {
    const key = `${func}\n${file}\n${line}\n${inlined ? 1 : 0}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.frames.length;
      this.frames.push({ func, file, line, inlined });
      this.ids.set(key, id);
    }
    return id;
  }
}
