import type { Profile } from './profile.js';
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
  /** The panic/fatal error/signal line(s) before the first goroutine, e.g. `fatal error: all goroutines are asleep - deadlock!`. */
  reason: string[];
  goroutines: Goroutine[];
  frames: GoFrame[];
  /** Lines outside goroutine blocks that were skipped (register dumps, program output). */
  skippedLines: number;
  /** The text ended in the middle of a frame (debug=2 output is cut silently at 64 MB). */
  truncated: boolean;
}

/** What a goroutine artefact decodes to: a traceback dump (debug=2, panics, SIGQUIT) or a goroutine profile. */
export type GoroutineInput = { kind: 'dump'; dump: GoroutineDump } | { kind: 'profile'; profile: Profile };
