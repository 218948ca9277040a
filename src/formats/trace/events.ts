import type { GenerationTables } from './generation.js';
import { MAX_ARGS, type MCursor, type MState } from './cursor.js';
import { Ev, GoState, type TraceEvent } from '../../model/trace.js';
import { NONE } from './varint.js';

/** What an event type does to its M's scheduling context. */
export const SchedRole = {
  None: 0,
  /** The M takes the P in args[0]. */
  ProcStart: 1,
  ProcStop: 2,
  /** The P in args[0] is taken from the M in args[2]. */
  ProcSteal: 3,
  /** The M holds the P in args[0] when args[1] says it is running. */
  ProcStatus: 4,
  /** The M now runs the goroutine in args[0]. */
  GoOn: 5,
  /** The M's goroutine stops running on it. */
  GoOff: 6,
  /** Goroutine args[0] runs on M args[1] when args[2] says running or in a syscall. */
  GoStatus: 7,
} as const;

/** ProcStatus's running value (tracev2 ProcRunning). */
const PROC_RUNNING = 1;

/**
 * Which goroutine and P each M is running, learned from that M's own events
 * (ProcStart/Stop, GoStart/Stop/Block/Destroy, GoStatus, ProcSteal) — the
 * scheduling context the format leaves implicit (events do not name them).
 */
export class SchedContext {
  private readonly ms = new Map<number, MState>();
  /** Per event type, its SchedRole: most events (heap, sweep, unblock) have none. */
  static readonly ROLES = roleTable([
    [SchedRole.ProcStart, [Ev.ProcStart]],
    [SchedRole.ProcStop, [Ev.ProcStop]],
    [SchedRole.ProcSteal, [Ev.ProcSteal]],
    [SchedRole.ProcStatus, [Ev.ProcStatus]],
    [SchedRole.GoOn, [Ev.GoStart, Ev.GoSwitch, Ev.GoSwitchDestroy]],
    [SchedRole.GoOff, [Ev.GoStop, Ev.GoBlock, Ev.GoDestroy, Ev.GoDestroySyscall, Ev.GoSyscallEndBlocked]],
    [SchedRole.GoStatus, [Ev.GoStatus, Ev.GoStatusStack]],
  ]);

  state(m: number): MState {
    let s = this.ms.get(m);
    if (s === undefined) {
      s = { g: NONE, p: NONE };
      this.ms.set(m, s);
    }
    return s;
  }

  /** Updates the context after an event of role `role` on the M whose state is `s` (args after dt). */
  apply(s: MState, role: number, args: Float64Array): void {
    switch (role) {
      case SchedRole.ProcStart:
        s.p = args[0]!;
        break;
      case SchedRole.ProcStop:
        s.p = NONE;
        break;
      case SchedRole.ProcSteal: {
        const victim = args[2]!;
        if (victim !== NONE) {
          const v = this.state(victim);
          if (v.p === args[0]) v.p = NONE;
        }
        break;
      }
      case SchedRole.ProcStatus:
        if (args[1] === PROC_RUNNING) s.p = args[0]!;
        break;
      case SchedRole.GoOn:
        s.g = args[0]!;
        break;
      case SchedRole.GoOff:
        s.g = NONE;
        break;
      case SchedRole.GoStatus: {
        const status = args[2]!;
        const onM = args[1]!;
        if ((status === GoState.Running || status === GoState.Syscall) && onM !== NONE) this.state(onM).g = args[0]!;
        break;
      }
    }
  }
}

function roleTable(roles: readonly (readonly [number, readonly number[]])[]): Uint8Array {
  const table = new Uint8Array(256);
  for (const [role, types] of roles) for (const type of types) table[type] = role;
  return table;
}

/** A min-heap of M cursors by the time of their current event. */
class CursorHeap {
  private readonly items: MCursor[] = [];
  get size(): number {
    return this.items.length;
  }
  push(c: MCursor): void {
    const a = this.items;
    a.push(c);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent]!.time <= c.time) break;
      a[i] = a[parent]!;
      i = parent;
    }
    a[i] = c;
  }
  peek(): MCursor {
    return this.items[0]!;
  }
  /**
   * The earliest cursor after the top one (null when it is alone). The
   * cursor, not its time: V8 boxes a double returned by a call it does not
   * inline, an allocation per run of events (60 MB on a 35 MB trace).
   */
  runnerUp(): MCursor | null {
    const a = this.items;
    if (a.length < 3) return a.length === 2 ? a[1]! : null;
    return a[2]!.time < a[1]!.time ? a[2]! : a[1]!;
  }
  /** Re-sorts after the top cursor advanced (its time only grows), or removes it when it ran out. */
  fixTop(alive: boolean): void {
    if (alive && this.items.length === 1) return;
    if (!alive) {
      const last = this.items.pop()!;
      if (this.items.length === 0) return;
      this.items[0] = last;
    }
    this.down(0);
  }
  private down(i: number): void {
    const a = this.items;
    const c = a[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= a.length) break;
      const r = l + 1;
      const child = r < a.length && a[r]!.time < a[l]!.time ? r : l;
      if (a[child]!.time >= c.time) break;
      a[i] = a[child]!;
      i = child;
    }
    a[i] = c;
  }
}

/** The event view the merge fills in and hands to the visitor. */
export class EventView implements TraceEvent {
  type = 0;
  time = 0;
  m = 0;
  g = NONE;
  p = NONE;
  /** The event's arguments, copied in: storing each cursor's array here instead cost a GC write barrier per event. */
  readonly args = new Float64Array(MAX_ARGS);
  gen = 0;
  private tables: GenerationTables | null = null;
  /** The last stack asked for and its function: goroutines started in a burst share a creation stack. */
  private lastStack = NaN;
  private lastStackFunction = '';

  /** The tables of the generation whose events follow. */
  setTables(gen: number, tables: GenerationTables): void {
    this.gen = gen;
    this.tables = tables;
    this.lastStack = NaN;
  }

  string(id: number): string {
    return this.tables?.strings.get(id) ?? '';
  }

  stackFunction(id: number): string {
    if (id === this.lastStack) return this.lastStackFunction;
    const func = this.tables?.stackLeafFunc.get(id);
    this.lastStack = id;
    this.lastStackFunction = func === undefined ? '' : this.string(func);
    return this.lastStackFunction;
  }

  stackFunctions(id: number): string[] {
    const t = this.tables;
    const at = t?.stackFrames.get(id);
    if (!t || at === undefined) return [];
    const out: string[] = [];
    for (let i = 1; i <= t.frameFuncs[at]!; i++) out.push(this.string(t.frameFuncs[at + i]!));
    return out;
  }
}

/**
 * Merges the Ms' cursors by time and hands every event to the visitor, with
 * the M's goroutine and P. As the Go reader does, a time not after the
 * previous event's becomes previous + 1 ns, so output times strictly
 * increase; `view.time` carries the last time handed out from one generation
 * to the next. Returns the time of the first event (NaN with none).
 *
 * The visitor is the same object for every generation: a new closure per
 * generation made V8 throw away this function's optimized code each time.
 */
export function mergeEvents(
  cursors: readonly MCursor[],
  ctx: SchedContext,
  view: EventView,
  visitor: { event(e: TraceEvent): void },
  /** Per event type, non-zero when the visitor wants it. */
  wants: Uint8Array,
): number {
  const heap = new CursorHeap();
  const roles = SchedContext.ROLES;
  for (const c of cursors) {
    c.sched = ctx.state(c.m);
    if (c.advance()) heap.push(c);
  }
  if (heap.size === 0) return NaN;
  const t = heap.peek().time;
  const first = t > view.time ? t : view.time + 1;
  while (heap.size > 0) {
    const c = heap.peek();
    const s = c.sched!;
    // The top cursor keeps the lead while its events come no later than the runner-up's: no re-sort for those.
    const runnerUp = heap.runnerUp();
    let alive: boolean;
    do {
      const time = c.time;
      // The last time handed out lives in view.time, not in a local: V8 kept that loop-carried double boxed, an allocation per event.
      view.time = time > view.time ? time : view.time + 1;
      const type = c.type;
      if (wants[type] !== 0) {
        view.type = type;
        view.m = c.m;
        view.g = s.g;
        view.p = s.p;
        const from = c.args;
        const to = view.args;
        to[0] = from[0]!;
        to[1] = from[1]!;
        to[2] = from[2]!;
        to[3] = from[3]!;
        visitor.event(view);
      }
      const role = roles[type]!;
      if (role !== 0) ctx.apply(s, role, c.args);
      alive = c.advance();
    } while (alive && (runnerUp === null || c.time <= runnerUp.time));
    heap.fixTop(alive);
  }
  return first;
}
