import { Ev } from '../../formats/trace/index.js';
import type { TraceEvent } from '../../model/trace.js';
import type { TraceCollector, TraceRun } from './run.js';

/** ProcStatus values (internal/trace's go122 ProcStatus): only a running P executes Go code. */
const PROC_RUNNING = 1;

/**
 * How long Ps ran, summed over Ps: the CPU the process's Go code used
 * (goroutines, GC workers and the scheduler looking for work), whatever
 * GOMAXPROCS is. The GC's share of *that* is what a user asks ("how much of
 * my CPU goes to the GC"), where the MMU's share is of GOMAXPROCS × time,
 * idle Ps included. A P runs from ProcStart (or a Running status at the
 * start of the trace) to ProcStop; a P in a syscall is not running Go code.
 */
export class ProcBusyCollector implements TraceCollector {
  readonly types = [Ev.ProcStart, Ev.ProcStop, Ev.ProcStatus, Ev.ProcSteal];
  /** When each running P started, by P id. */
  private readonly since = new Map<number, number>();
  private busyNs = 0;

  constructor(private readonly run: TraceRun) {}

  event(e: TraceEvent): void {
    switch (e.type) {
      case Ev.ProcStart:
        this.start(e.args[0]!, e.time);
        return;
      case Ev.ProcStop:
        this.stop(e.p, e.time);
        return;
      case Ev.ProcSteal:
        this.stop(e.args[0]!, e.time);
        return;
      case Ev.ProcStatus:
        // Later generations restate what is known; only the first describes Ps already running.
        if (e.gen === this.run.firstGen && e.args[1] === PROC_RUNNING) this.start(e.args[0]!, e.time);
        return;
    }
  }

  private start(p: number, at: number): void {
    if (!this.since.has(p)) this.since.set(p, at);
  }

  private stop(p: number, at: number): void {
    const from = this.since.get(p);
    if (from === undefined) return;
    this.busyNs += at - from;
    this.since.delete(p);
  }

  /** Total P running time, Ps still running counted to the trace's end. */
  finish(endNs: number): number {
    for (const from of this.since.values()) this.busyNs += endNs - from;
    this.since.clear();
    return this.busyNs;
  }
}
