import { isUserFunction } from '../go-names.js';
import { Ev, NONE, type TraceEvent } from '../../model/trace.js';
import type { TraceCollector, TraceRun } from './run.js';
import { DownsampledSeries } from './series.js';
import type { GoroutineLife, GoroutinesCollected } from './types.js';

/** How many of the longest-lived goroutines to report. */
const LONGEST_LIVED = 10;

interface Life {
  start: number;
  fn: string;
  atStart: boolean;
}

/** No slot: an empty table entry, or an ID not in the table. */
export const NO_SLOT = -1;

/**
 * Goroutine ID → slot, in typed arrays with open addressing (linear probing,
 * at most half full). A Map here rebuilt its table again and again as bursts
 * of short-lived goroutines came and went: 34 MB of garbage on a 35 MB trace.
 */
export class SlotTable {
  private ids = new Float64Array(1024);
  private slots = new Int32Array(1024).fill(NO_SLOT);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The slot of g, NO_SLOT when absent. */
  get(g: number): number {
    const i = this.find(g);
    return this.slots[i]!;
  }

  /** Adds g with `slot` unless present; returns the slot it already had, or NO_SLOT when it was added. One probe. */
  putIfAbsent(g: number, slot: number): number {
    const i = this.find(g);
    const had = this.slots[i]!;
    if (had !== NO_SLOT) return had;
    this.ids[i] = g;
    this.slots[i] = slot;
    this.count++;
    if (this.count * 2 > this.slots.length) this.grow();
    return NO_SLOT;
  }

  set(g: number, slot: number): void {
    const i = this.find(g);
    if (this.slots[i] === NO_SLOT) {
      this.ids[i] = g;
      this.count++;
    }
    this.slots[i] = slot;
    if (this.count * 2 > this.slots.length) this.grow();
  }

  /** Removes g and returns its slot (NO_SLOT if absent). */
  delete(g: number): number {
    let hole = this.find(g);
    const slot = this.slots[hole]!;
    if (slot === NO_SLOT) return NO_SLOT;
    this.count--;
    // Backward-shift deletion: entries after the hole that probed past it move into it, so no tombstones are needed.
    const mask = this.slots.length - 1;
    for (let j = (hole + 1) & mask; this.slots[j] !== NO_SLOT; j = (j + 1) & mask) {
      const home = this.home(this.ids[j]!);
      const stays = hole < j ? home > hole && home <= j : home > hole || home <= j;
      if (stays) continue;
      this.ids[hole] = this.ids[j]!;
      this.slots[hole] = this.slots[j]!;
      hole = j;
    }
    this.slots[hole] = NO_SLOT;
    return slot;
  }

  *entries(): IterableIterator<[number, number]> {
    for (let i = 0; i < this.slots.length; i++) if (this.slots[i] !== NO_SLOT) yield [this.ids[i]!, this.slots[i]!];
  }

  /** Where g is, or the empty entry where it would go. */
  private find(g: number): number {
    const mask = this.slots.length - 1;
    let i = this.home(g);
    while (this.slots[i] !== NO_SLOT && this.ids[i] !== g) i = (i + 1) & mask;
    return i;
  }

  /** Fibonacci hashing of the ID's low 32 bits: consecutive IDs spread over the table. */
  private home(g: number): number {
    return Math.imul(g | 0, 0x9e3779b1) >>> (Math.clz32(this.slots.length) + 1);
  }

  private grow(): void {
    const ids = this.ids;
    const slots = this.slots;
    this.ids = new Float64Array(ids.length * 2);
    this.slots = new Int32Array(slots.length * 2).fill(NO_SLOT);
    this.count = 0;
    for (let i = 0; i < slots.length; i++) if (slots[i] !== NO_SLOT) this.set(ids[i]!, slots[i]!);
  }
}

/**
 * The goroutines alive now, each in a slot of typed arrays (freed slots are
 * reused): a table to a small integer and no object per goroutine, which
 * matters when a program starts a million goroutines a second.
 */
class LiveGoroutines {
  private readonly slotOf = new SlotTable();
  private starts = new Float64Array(256);
  private atStart = new Uint8Array(256);
  private readonly fns: string[] = [];
  private readonly free: number[] = [];

  get size(): number {
    return this.slotOf.size;
  }

  has(g: number): boolean {
    return this.slotOf.get(g) !== NO_SLOT;
  }

  fn(g: number): string {
    const slot = this.slotOf.get(g);
    return slot === NO_SLOT ? '' : this.fns[slot]!;
  }

  /** Names a live goroutine that had no name yet; true when it did. */
  name(g: number, fn: string): boolean {
    const slot = this.slotOf.get(g);
    if (slot === NO_SLOT || this.fns[slot] !== '' || fn === '') return false;
    this.fns[slot] = fn;
    return true;
  }

  /** Fields one by one, not a Life: an object per goroutine created was most of the allocation here. */
  add(g: number, start: number, fn: string, atStart: boolean): void {
    const fresh = this.free.length > 0 ? this.free[this.free.length - 1]! : this.fns.length;
    let slot = this.slotOf.putIfAbsent(g, fresh);
    if (slot === NO_SLOT) {
      slot = fresh;
      if (this.free.length > 0) this.free.pop();
      else {
        this.fns.push('');
        if (slot >= this.starts.length) this.grow();
      }
    }
    this.starts[slot] = start;
    this.atStart[slot] = atStart ? 1 : 0;
    this.fns[slot] = fn;
  }

  /** Removes a goroutine and returns its slot (-1 if it was not alive); the slot's values stay readable until the next add. */
  remove(g: number): number {
    const slot = this.slotOf.delete(g);
    if (slot !== NO_SLOT) this.free.push(slot);
    return slot;
  }

  startAt(slot: number): number {
    return this.starts[slot]!;
  }

  lifeAt(slot: number): Life {
    return { start: this.starts[slot]!, fn: this.fns[slot]!, atStart: this.atStart[slot] === 1 };
  }

  *entries(): IterableIterator<[number, Life]> {
    for (const [g, slot] of this.slotOf.entries()) yield [g, this.lifeAt(slot)];
  }

  private grow(): void {
    const starts = new Float64Array(this.starts.length * 2);
    starts.set(this.starts);
    this.starts = starts;
    const atStart = new Uint8Array(this.atStart.length * 2);
    atStart.set(this.atStart);
    this.atStart = atStart;
  }
}

/**
 * Goroutine creation and exit. Memory holds the goroutines alive at a time
 * and the few longest-lived ones, not one record per goroutine ever seen.
 */
export class GoroutineCollector implements TraceCollector {
  readonly types = [
    Ev.GoCreate, Ev.GoCreateBlocked, Ev.GoCreateSyscall, Ev.GoStatus, Ev.GoStatusStack, Ev.GoDestroy, Ev.GoDestroySyscall, Ev.GoSwitchDestroy,
    // Events with the running goroutine's stack: they name goroutines whose creation the trace did not see.
    Ev.GoBlock, Ev.GoStop, Ev.GoSyscallBegin, Ev.GCMarkAssistBegin,
  ];
  private readonly live = new LiveGoroutines();
  private readonly series = new DownsampledSeries();
  private readonly longest: GoroutineLife[] = [];
  private created = 0;
  private ended = 0;
  private atStart = 0;
  /** Goroutines created less those ended since the trace began; the series holds this, and atStart is added at the end. */
  private net = 0;
  private maxNet = 0;
  /** Live goroutines with no name yet (they existed before the trace and no event has shown their stack). */
  private unnamed = 0;
  /** The trace's end, once known (lives still running are measured to it). */
  private lastTime = 0;
  /** A life must be longer than this to enter the top list: the shortest kept once the list is full, else -Infinity. */
  private entryBar = -Infinity;
  /** Per entry function: how many were created, ended and lived how long (one record per function, not per goroutine). */
  private readonly byFunction = new Map<string, FunctionLives>();

  constructor(private readonly run: TraceRun) {}

  event(e: TraceEvent): void {
    switch (e.type) {
      case Ev.GoCreate:
      case Ev.GoCreateBlocked: {
        const fn = e.stackFunction(e.args[1]!);
        this.begin(e.args[0]!, e, fn, false);
        this.countCreated(fn, e);
        this.created++;
        this.changed(e.time, 1);
        break;
      }
      case Ev.GoCreateSyscall:
        this.begin(e.args[0]!, e, '', false);
        this.created++;
        this.changed(e.time, 1);
        break;
      case Ev.GoStatus:
      case Ev.GoStatusStack:
        // A status for a goroutine never seen: it existed before the trace (or before this flight-recorder window).
        if (!this.live.has(e.args[0]!) && e.gen === this.run.firstGen) {
          this.begin(e.args[0]!, e, e.type === Ev.GoStatusStack ? entryFunction(e.stackFunctions(e.args[3]!)) : '', true);
          this.atStart++;
        }
        break;
      case Ev.GoDestroy:
      case Ev.GoDestroySyscall:
      case Ev.GoSwitchDestroy:
        this.end(e);
        break;
      default:
        // GoBlock, GoStop, GoSyscallBegin, GCMarkAssistBegin: the stack is the argument after the first.
        if (this.unnamed > 0 && this.live.name(e.g, entryFunction(e.stackFunctions(e.args[1]!)))) this.unnamed--;
    }
  }

  /** Entry function of a goroutine alive now ('' if unknown). */
  functionOf(g: number): string {
    return this.live.fn(g);
  }

  /** Takes the event for its time: V8 boxes a double passed to a call it does not inline, an allocation per goroutine. */
  private begin(g: number, e: TraceEvent, fn: string, atStart: boolean): void {
    this.live.add(g, e.time, fn, atStart);
    if (fn === '') this.unnamed++;
  }

  /**
   * The count alive changed by `by`. The series follows creations and exits
   * only: goroutines from before the trace are found one by one in its first
   * generation but were all there at its start, so their number is added to
   * the whole series at the end.
   */
  private changed(time: number, by: number): void {
    this.net += by;
    if (this.net > this.maxNet) this.maxNet = this.net;
    this.series.add(time, this.net);
  }

  private end(e: TraceEvent): void {
    const g = e.g;
    const time = e.time;
    if (g === NONE) return;
    const slot = this.live.remove(g);
    this.ended++;
    if (slot < 0) return;
    const life = this.live.lifeAt(slot);
    if (life.fn === '') this.unnamed--;
    else if (!life.atStart) this.countEnded(life.fn, time - life.start);
    this.changed(time, -1);
    // Most lives are short: only one that would enter the top list is read out. The bar is a field, not a
    // call taking the length: V8 boxes a double passed to a call it does not inline, an allocation per goroutine.
    if (time - this.live.startAt(slot) > this.entryBar) this.consider(g, this.live.lifeAt(slot), time);
  }

  /** The creating stack is read once per function: the first place that starts it names its creator. */
  private countCreated(fn: string, e: TraceEvent): void {
    let f = this.byFunction.get(fn);
    if (!f) this.byFunction.set(fn, (f = { creator: creatorOf(e.stackFunctions(e.args[2]!)), created: 0, ended: 0, lifeNs: 0, maxLifeNs: 0 }));
    f.created++;
  }

  private countEnded(fn: string, lifeNs: number): void {
    const f = this.byFunction.get(fn);
    if (!f) return;
    f.ended++;
    f.lifeNs += lifeNs;
    if (lifeNs > f.maxLifeNs) f.maxLifeNs = lifeNs;
  }

  /**
   * Keeps the LONGEST_LIVED longest lives seen so far. The bar stays right when
   * finish() moves lastTime: until then every kept life has its end.
   */
  private consider(g: number, life: Life, end: number | null): void {
    if (!((end ?? this.lastTime) - life.start > this.entryBar)) return;
    const l = this.longest;
    l.push({ goroutine: g, function: life.fn, startNs: life.start, endNs: end, existedAtStart: life.atStart });
    l.sort((a, b) => lifeLength(b, this.lastTime) - lifeLength(a, this.lastTime) || a.goroutine - b.goroutine);
    if (l.length > LONGEST_LIVED) l.pop();
    this.entryBar = l.length < LONGEST_LIVED ? -Infinity : lifeLength(l[l.length - 1]!, this.lastTime);
  }

  finish(endNs: number): GoroutinesCollected {
    this.lastTime = endNs;
    const aliveAtEnd = this.live.size;
    for (const [g, life] of this.live.entries()) this.consider(g, life, null);
    return {
      created: this.created,
      ended: this.ended,
      atStart: this.atStart,
      aliveAtEnd,
      maxAlive: this.atStart + this.maxNet,
      alive: this.series.points().map((p) => ({ t: p.t, min: p.min + this.atStart, max: p.max + this.atStart, last: p.last + this.atStart })),
      longestLived: this.longest,
      byFunction: [...this.byFunction]
        .map(([fn, f]) => ({ function: fn, creator: f.creator, created: f.created, ended: f.ended, meanLifeNs: f.ended ? f.lifeNs / f.ended : null, maxLifeNs: f.ended ? f.maxLifeNs : null }))
        .sort((a, b) => b.created - a.created || (a.function < b.function ? -1 : 1))
        .slice(0, BY_FUNCTION_ROWS),
    };
  }
}

interface FunctionLives {
  creator: string;
  created: number;
  ended: number;
  lifeNs: number;
  maxLifeNs: number;
}

/** Functions the by-function table lists, most created first. */
const BY_FUNCTION_ROWS = 20;

/** Where a goroutine was started: the first program frame of the creating stack (else its innermost frame). */
function creatorOf(stack: readonly string[]): string {
  return stack.find((f) => isUserFunction(f)) ?? stack[0] ?? '';
}

function lifeLength(l: GoroutineLife, traceEnd: number): number {
  return (l.endNs ?? traceEnd) - l.startNs;
}

/**
 * The function a goroutine runs, from any of its stacks (leaf first): the
 * outermost frame, runtime.goexit aside — what go tool trace names a
 * goroutine by. '' when the stack is unknown.
 */
export function entryFunction(stack: readonly string[]): string {
  for (let i = stack.length - 1; i >= 0; i--) if (stack[i] !== 'runtime.goexit') return stack[i]!;
  return '';
}
