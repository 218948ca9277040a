import { Ev, NONE, type TraceEvent } from '../../model/trace.js';
import type { TraceCollector, TraceRun } from './run.js';
import { BusyTime } from './series.js';
import type { BusyInterval, TraceAssistByGoroutine, TraceGcCycle, TraceStw } from './types.js';

export interface GcCollected {
  cycles: TraceGcCycle[];
  stw: TraceStw[];
  assists: TraceAssistByGoroutine[];
  assistTotalNs: number;
  /** Time in mark assists per interval of the trace (summed over goroutines). */
  assistActivity: BusyInterval[];
  sweep: { totalNs: number; count: number; sweptBytes: number; reclaimedBytes: number };
}

interface Open {
  start: number;
  reason: string;
  /** The GC cycle open when the pause began, if any. */
  cycle: TraceGcCycle | undefined;
}

/** Collects GC cycles, stop-the-world pauses, mark assists and sweeps from the event stream. */
export class GcCollector implements TraceCollector {
  readonly types = [
    Ev.GCActive, Ev.GCBegin, Ev.GCEnd, Ev.STWBegin, Ev.STWEnd, Ev.GCMarkAssistActive, Ev.GCMarkAssistBegin,
    Ev.GCMarkAssistEnd, Ev.GCSweepActive, Ev.GCSweepBegin, Ev.GCSweepEnd,
  ];

  private readonly cycles: TraceGcCycle[] = [];
  private readonly stw: TraceStw[] = [];
  private readonly openStw = new Map<number, Open>();
  private readonly openAssist = new Map<number, number>();
  private readonly assistByG = new Map<number, { totalNs: number; count: number }>();
  /** Sweep start per P (NaN: none); Ps are small dense numbers. */
  private readonly openSweep: number[] = [];
  private readonly activity = new BusyTime();
  private assistTotalNs = 0;
  private sweep = { totalNs: 0, count: 0, sweptBytes: 0, reclaimedBytes: 0 };

  constructor(private readonly run: TraceRun) {}

  event(e: TraceEvent): void {
    const initial = e.gen === this.run.firstGen;
    switch (e.type) {
      case Ev.GCActive:
        // Later generations repeat GCActive for a cycle already open; only the first one says "began before the trace".
        if (initial && this.openCycle() === undefined) this.cycles.push({ seq: e.args[0]!, startNs: e.time, endNs: null, startedBeforeTrace: true, pauses: [] });
        break;
      case Ev.GCBegin:
        this.cycles.push({ seq: e.args[0]!, startNs: e.time, endNs: null, startedBeforeTrace: false, pauses: [] });
        break;
      case Ev.GCEnd: {
        const open = this.openCycle();
        if (open) open.endNs = e.time;
        break;
      }
      case Ev.STWBegin:
        this.openStw.set(stwKey(e), { start: e.time, reason: e.string(e.args[0]!), cycle: this.openCycle() });
        break;
      case Ev.STWEnd:
        this.endStw(e);
        break;
      case Ev.GCMarkAssistActive:
        if (initial && !this.openAssist.has(e.args[0]!)) this.beginAssist(e.args[0]!, e.time);
        break;
      case Ev.GCMarkAssistBegin:
        if (e.g !== NONE) this.beginAssist(e.g, e.time);
        break;
      case Ev.GCMarkAssistEnd:
        this.endAssist(e.g, e.time);
        break;
      case Ev.GCSweepActive:
        if (initial && !this.sweeping(e.args[0]!)) this.setSweep(e.args[0]!, e);
        break;
      case Ev.GCSweepBegin:
      case Ev.GCSweepEnd:
        this.sweepEvent(e);
        break;
    }
  }

  private openCycle(): TraceGcCycle | undefined {
    const last = this.cycles[this.cycles.length - 1];
    return last !== undefined && last.endNs === null ? last : undefined;
  }

  private endStw(e: TraceEvent): void {
    const key = stwKey(e);
    const open = this.openStw.get(key);
    if (open === undefined) return;
    this.openStw.delete(key);
    this.stw.push({ startNs: open.start, endNs: e.time, reason: open.reason, gc: isGcStwReason(open.reason) });
    // GCBegin comes before the sweep-termination stop and GCEnd inside the mark-termination one, so a cycle's pauses begin while it is open.
    open.cycle?.pauses.push({ reason: open.reason, startNs: open.start, durationNs: e.time - open.start });
  }

  private beginAssist(g: number, time: number): void {
    this.openAssist.set(g, time);
    this.activity.anchor(time);
  }

  private endAssist(g: number, time: number): void {
    const start = this.openAssist.get(g);
    if (start === undefined) return;
    this.openAssist.delete(g);
    this.activity.add(start, time, 1);
    const ns = time - start;
    this.assistTotalNs += ns;
    const per = this.assistByG.get(g);
    if (per) {
      per.totalNs += ns;
      per.count++;
    } else this.assistByG.set(g, { totalNs: ns, count: 1 });
  }

  private sweeping(p: number): boolean {
    const start = this.openSweep[p];
    return start !== undefined && !Number.isNaN(start);
  }

  /** A GCSweepBegin or GCSweepEnd (the analysis calls this directly: sweeps are a third of a busy trace). */
  sweepEvent(e: TraceEvent): void {
    if (e.type === Ev.GCSweepBegin) this.setSweep(e.p, e);
    else this.endSweep(e);
  }

  /** Takes the event, not its time: a double passed to a call V8 does not inline is boxed, an allocation per sweep. */
  private setSweep(p: number, e: TraceEvent): void {
    // A P number is at most GOMAXPROCS; a corrupt one is not worth a sparse array.
    if (p >= 0 && p < 1 << 16) this.openSweep[p] = e.time;
  }

  private endSweep(e: TraceEvent): void {
    if (!this.sweeping(e.p)) return;
    const start = this.openSweep[e.p]!;
    this.openSweep[e.p] = NaN;
    this.sweep.totalNs += e.time - start;
    this.sweep.count++;
    this.sweep.sweptBytes += e.args[0]!;
    this.sweep.reclaimedBytes += e.args[1]!;
  }

  /** `endNs`: the trace's end, where assists still running are cut (they count in the picture, not in the totals). */
  finish(endNs: number): GcCollected {
    for (const start of this.openAssist.values()) this.activity.add(start, endNs, 1);
    const assists = [...this.assistByG]
      .map(([goroutine, a]) => ({ goroutine, totalNs: a.totalNs, count: a.count }))
      .sort((a, b) => b.totalNs - a.totalNs || a.goroutine - b.goroutine);
    return {
      cycles: this.cycles,
      stw: this.stw,
      assists,
      assistTotalNs: this.assistTotalNs,
      assistActivity: this.activity.intervals(),
      sweep: this.sweep,
    };
  }
}

/** An STW begins and ends on the goroutine that stopped the world (go tool trace scopes it so); the M when there is none. */
function stwKey(e: TraceEvent): number {
  return e.g !== NONE ? e.g : -2 - e.m;
}

/** As go tool trace's MMU decides (internal/trace/gc.go isGCSTW): a stop-the-world whose reason mentions GC. */
export function isGcStwReason(reason: string): boolean {
  return reason.includes('GC');
}
