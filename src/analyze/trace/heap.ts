import { Ev, type TraceEvent } from '../../model/trace.js';
import type { TraceCollector } from './run.js';
import { DownsampledSeries } from './series.js';
import type { HeapCollected } from './types.js';

/**
 * go tool trace treats a goal above 1 PiB as none: the runtime reported a
 * huge goal with GOGC=off before go.dev/issue/63864 (traceviewer/emitter.go).
 */
const MAX_PLAUSIBLE_GOAL = 2 ** 50;

export class HeapCollector implements TraceCollector {
  readonly types = [Ev.HeapAlloc, Ev.HeapGoal, Ev.ProcsChange];
  private readonly alloc = new DownsampledSeries();
  private readonly goalSteps: [number, number][] = [];
  private peak = 0;
  /** NaN before any HeapAlloc: a field that starts as null boxes every double stored in it. */
  private last = NaN;
  private gomaxprocs: number | null = null;

  event(e: TraceEvent): void {
    switch (e.type) {
      case Ev.HeapAlloc:
        this.heapAlloc(e);
        break;
      case Ev.HeapGoal: {
        const raw = e.args[0]!;
        const goal = raw > MAX_PLAUSIBLE_GOAL || raw < 0 ? 0 : raw;
        const prev = this.goalSteps[this.goalSteps.length - 1];
        if (prev === undefined || prev[1] !== goal) this.goalSteps.push([e.time, goal]);
        break;
      }
      case Ev.ProcsChange:
        this.gomaxprocs = e.args[0]!;
        break;
    }
  }

  /** A HeapAlloc (the analysis calls this directly: a fifth of a busy trace). */
  heapAlloc(e: TraceEvent): void {
    const v = e.args[0]!;
    this.alloc.add(e.time, v);
    if (v > this.peak) this.peak = v;
    this.last = v;
  }

  finish(): HeapCollected {
    return { alloc: this.alloc.points(), goalSteps: this.goalSteps, peakAllocBytes: this.peak, lastAllocBytes: Number.isNaN(this.last) ? null : this.last, gomaxprocs: this.gomaxprocs };
  }
}
