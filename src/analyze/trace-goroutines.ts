import { Ev, NONE, type TraceEvent } from '../formats/trace/index.js';
import type { TraceCollector, TraceRun } from './trace-run.js';
import { DownsampledSeries, type SeriesPoint } from './trace-series.js';

/** How many of the longest-lived goroutines to report. */
const LONGEST_LIVED = 10;

export interface GoroutineLife {
  goroutine: number;
  /** Entry function, from the creation's new_stack (or the status stack of one alive at the start); '' if unknown. */
  function: string;
  startNs: number;
  /** null: still alive when the trace ended. */
  endNs: number | null;
  /** True when it existed before the trace began (startNs is then its first mention). */
  existedAtStart: boolean;
}

export interface GoroutinesCollected {
  created: number;
  ended: number;
  /** Alive when the trace began (listed by status records in the first generation). */
  atStart: number;
  aliveAtEnd: number;
  maxAlive: number;
  /** Alive goroutines over time, downsampled. */
  alive: SeriesPoint[];
  /** Longest-lived first, with lives cut by the trace's end measured to it. */
  longestLived: GoroutineLife[];
}

interface Life {
  start: number;
  fn: string;
  atStart: boolean;
}

/**
 * The goroutines alive now, each in a slot of typed arrays (freed slots are
 * reused): a Map to a small integer and no object per goroutine, which
 * matters when a program starts a million goroutines a second.
 */
class LiveGoroutines {
  private readonly slotOf = new Map<number, number>();
  private starts = new Float64Array(256);
  private atStart = new Uint8Array(256);
  private readonly fns: string[] = [];
  private readonly free: number[] = [];

  get size(): number {
    return this.slotOf.size;
  }

  has(g: number): boolean {
    return this.slotOf.has(g);
  }

  fn(g: number): string {
    const slot = this.slotOf.get(g);
    return slot === undefined ? '' : this.fns[slot]!;
  }

  add(g: number, life: Life): void {
    let slot = this.slotOf.get(g) ?? this.free.pop();
    if (slot === undefined) {
      slot = this.fns.length;
      this.fns.push('');
      if (slot >= this.starts.length) this.grow();
    }
    this.slotOf.set(g, slot);
    this.starts[slot] = life.start;
    this.atStart[slot] = life.atStart ? 1 : 0;
    this.fns[slot] = life.fn;
  }

  /** Removes a goroutine and returns its slot (-1 if it was not alive); the slot's values stay readable until the next add. */
  remove(g: number): number {
    const slot = this.slotOf.get(g);
    if (slot === undefined) return -1;
    this.slotOf.delete(g);
    this.free.push(slot);
    return slot;
  }

  startAt(slot: number): number {
    return this.starts[slot]!;
  }

  lifeAt(slot: number): Life {
    return { start: this.starts[slot]!, fn: this.fns[slot]!, atStart: this.atStart[slot] === 1 };
  }

  *entries(): IterableIterator<[number, Life]> {
    for (const [g, slot] of this.slotOf) yield [g, this.lifeAt(slot)];
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
  ];
  private readonly live = new LiveGoroutines();
  private readonly series = new DownsampledSeries();
  private readonly longest: GoroutineLife[] = [];
  private created = 0;
  private ended = 0;
  private atStart = 0;
  private maxAlive = 0;
  /** The trace's end, once known (lives still running are measured to it). */
  private lastTime = 0;

  constructor(private readonly run: TraceRun) {}

  event(e: TraceEvent): void {
    switch (e.type) {
      case Ev.GoCreate:
      case Ev.GoCreateBlocked:
        this.begin(e.args[0]!, e.time, e.stackFunction(e.args[1]!), false);
        this.created++;
        break;
      case Ev.GoCreateSyscall:
        this.begin(e.args[0]!, e.time, '', false);
        this.created++;
        break;
      case Ev.GoStatus:
      case Ev.GoStatusStack:
        // A status for a goroutine never seen: it existed before the trace (or before this flight-recorder window).
        if (!this.live.has(e.args[0]!) && e.gen === this.run.firstGen) {
          this.begin(e.args[0]!, e.time, e.type === Ev.GoStatusStack ? e.stackFunction(e.args[3]!) : '', true);
          this.atStart++;
        }
        break;
      case Ev.GoDestroy:
      case Ev.GoDestroySyscall:
        this.end(e.g, e.time);
        break;
      case Ev.GoSwitchDestroy:
        this.end(e.g, e.time);
        break;
    }
  }

  /** Entry function of a goroutine alive now ('' if unknown). */
  functionOf(g: number): string {
    return this.live.fn(g);
  }

  private begin(g: number, time: number, fn: string, atStart: boolean): void {
    this.live.add(g, { start: time, fn, atStart });
    if (this.live.size > this.maxAlive) this.maxAlive = this.live.size;
    this.series.add(time, this.live.size);
  }

  private end(g: number, time: number): void {
    if (g === NONE) return;
    const slot = this.live.remove(g);
    this.ended++;
    if (slot < 0) return;
    this.series.add(time, this.live.size);
    // Most lives are short: only one that would enter the top list is read out.
    if (this.wouldEnter(time - this.live.startAt(slot))) this.consider(g, this.live.lifeAt(slot), time);
  }

  private wouldEnter(length: number): boolean {
    const l = this.longest;
    const shortest = l[l.length - 1];
    return l.length < LONGEST_LIVED || shortest === undefined || length > lifeLength(shortest, this.lastTime);
  }

  /** Keeps the LONGEST_LIVED longest lives seen so far. */
  private consider(g: number, life: Life, end: number | null): void {
    if (!this.wouldEnter((end ?? this.lastTime) - life.start)) return;
    const l = this.longest;
    l.push({ goroutine: g, function: life.fn, startNs: life.start, endNs: end, existedAtStart: life.atStart });
    l.sort((a, b) => lifeLength(b, this.lastTime) - lifeLength(a, this.lastTime) || a.goroutine - b.goroutine);
    if (l.length > LONGEST_LIVED) l.pop();
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
      maxAlive: this.maxAlive,
      alive: this.series.points(),
      longestLived: this.longest,
    };
  }
}

function lifeLength(l: GoroutineLife, traceEnd: number): number {
  return (l.endNs ?? traceEnd) - l.startNs;
}
