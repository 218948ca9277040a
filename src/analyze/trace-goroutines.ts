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
 * Goroutine creation and exit. Memory holds the goroutines alive at a time
 * and the few longest-lived ones, not one record per goroutine ever seen.
 */
export class GoroutineCollector implements TraceCollector {
  readonly types = [
    Ev.GoCreate, Ev.GoCreateBlocked, Ev.GoCreateSyscall, Ev.GoStatus, Ev.GoStatusStack, Ev.GoDestroy, Ev.GoDestroySyscall, Ev.GoSwitchDestroy,
  ];
  private readonly live = new Map<number, Life>();
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
    return this.live.get(g)?.fn ?? '';
  }

  private begin(g: number, time: number, fn: string, atStart: boolean): void {
    this.live.set(g, { start: time, fn, atStart });
    if (this.live.size > this.maxAlive) this.maxAlive = this.live.size;
    this.series.add(time, this.live.size);
  }

  private end(g: number, time: number): void {
    if (g === NONE) return;
    const life = this.live.get(g);
    this.ended++;
    if (life === undefined) return;
    this.live.delete(g);
    this.series.add(time, this.live.size);
    this.consider(g, life, time);
  }

  /** Keeps the LONGEST_LIVED longest lives seen so far. */
  private consider(g: number, life: Life, end: number | null): void {
    const length = (end ?? this.lastTime) - life.start;
    const l = this.longest;
    const shortest = l[l.length - 1];
    if (l.length >= LONGEST_LIVED && shortest !== undefined && length <= lifeLength(shortest, this.lastTime)) return;
    l.push({ goroutine: g, function: life.fn, startNs: life.start, endNs: end, existedAtStart: life.atStart });
    l.sort((a, b) => lifeLength(b, this.lastTime) - lifeLength(a, this.lastTime) || a.goroutine - b.goroutine);
    if (l.length > LONGEST_LIVED) l.pop();
  }

  finish(endNs: number): GoroutinesCollected {
    this.lastTime = endNs;
    const aliveAtEnd = this.live.size;
    for (const [g, life] of this.live) this.consider(g, life, null);
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
