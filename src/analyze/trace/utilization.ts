import { Ev, GoState, NONE, typeTable, type TraceEvent } from '../../model/trace.js';
import { GrowableFloat64 } from '../../model/growable.js';
import { isGcStwReason } from './gc.js';
import type { TraceCollector, TraceRun } from './run.js';

/**
 * Mutator utilization over time, defined as go tool trace's MMU view defines
 * it (learned from Go's internal/trace/gc.go, MutatorUtilizationV2 and
 * MMUCurve, with the view's default flags STW + background workers + mark
 * assist + sweep, not per-P):
 *
 * - utilization at a time is 1 − (Ps doing GC work) / GOMAXPROCS, and 0 for
 *   all Ps during a stop-the-world whose reason mentions GC;
 * - a P does GC work while it sweeps, while a goroutine on it runs a mark
 *   assist, or while it runs a goroutine once labelled "GC (dedicated)" or
 *   "GC (fractional)" (the label counts once more each time it is given,
 *   exactly as the Go code counts it);
 * - an assist or sweep already active as the trace starts lowers the
 *   utilization back to the trace's start.
 *
 * The utilization function is kept as (time, utilization) change points:
 * 16 bytes per change, the one product here that grows with GC work.
 *
 * Go's counting of labelled workers drifts: a worker's P is counted once
 * when it starts running (it is a known worker) and once more when the label
 * follows, but uncounted only once when it stops. After a few worker runs
 * every P stays "doing GC" and the utilization stays 0 to the end, where
 * Go's curve then stops (a final 0 adds no change). So the tracker keeps two
 * accounts of the same events: `go`, go tool trace's (checked against its
 * /mmu plot on every fixture), whose function is kept for the MMU; and
 * `perRun`, which counts a worker's P only while the run that carried the
 * label lasts, of which only the mean is kept: the GC's CPU share.
 */
/** More Ps than this is a corrupt ProcsChange, not a machine (the GC collector bounds P numbers alike). */
const MAX_PROCS = 1 << 16;



/**
 * One way of counting Ps doing GC work, and the utilization it gives over
 * time: the change points when `keep`, else only their running mean.
 *
 * Hot: every sweep, assist and worker switch lands here, millions per trace.
 * So no field ever holds null (a double stored where null was is boxed),
 * the per-P counts are a typed array, and the time arrives inside the event
 * (a double passed to a call V8 does not inline is boxed too).
 */
class UtilAccount {
  readonly times = new GrowableFloat64();
  readonly utils = new GrowableFloat64();
  /** GC work per P (a P can sweep and assist at once, so a count, not a flag). */
  private ps = new Int32Array(0);
  /** How many Ps have ps[p] > 0, kept as ps changes. */
  private gcPs = 0;
  private started = false;
  private firstTime = 0;
  private area = 0;
  private lastChange = 0;
  private lastUtil = 0;

  constructor(private readonly keep: boolean) {}

  get pCount(): number {
    return this.ps.length;
  }

  setProcs(n: number, time: number): void {
    const old = this.ps;
    if (old.length === n) return;
    for (let p = n; p < old.length; p++) if (old[p]! > 0) this.gcPs--;
    this.ps = new Int32Array(n);
    this.ps.set(old.subarray(0, Math.min(n, old.length)));
    if (old.length === 0 && n > 0) this.push(time, 1);
  }

  /**
   * Adds delta to P p's GC work (ignored when p is not a P: none, or past
   * GOMAXPROCS). True when that changed how many Ps do GC work.
   */
  addGc(p: number, delta: number): boolean {
    if (!(p >= 0 && p < this.ps.length)) return false;
    const before = this.ps[p]!;
    const after = before + delta;
    this.ps[p] = after;
    if (before > 0 === after > 0) return false;
    this.gcPs += after > 0 ? 1 : -1;
    return true;
  }

  /**
   * The utilization after the event. Takes the event and extends the curve
   * itself: V8 boxes a double passed to a call it does not inline, and this
   * runs for every sweep (push does the same for the rare other callers).
   */
  record(e: TraceEvent, stw: boolean): void {
    const gcPs = stw ? this.ps.length : this.gcPs;
    const util = 1 - gcPs / this.ps.length;
    if (!this.started) {
      this.push(e.time, util);
      return;
    }
    if (this.lastUtil === util) return;
    const time = e.time;
    this.area += this.lastUtil * (time - this.lastChange);
    this.lastChange = time;
    this.lastUtil = util;
    if (!this.keep) return;
    this.times.push(time);
    this.utils.push(util);
  }

  push(time: number, util: number): void {
    if (this.started) {
      if (this.lastUtil === util) return;
      this.area += this.lastUtil * (time - this.lastChange);
    } else {
      this.started = true;
      this.firstTime = time;
    }
    this.lastChange = time;
    this.lastUtil = util;
    if (!this.keep) return;
    this.times.push(time);
    this.utils.push(util);
  }

  /** Subtracts one P's share from every point so far (GOMAXPROCS as it was then): a range active back to the start. */
  lowerHistory(procs: readonly [number, number][]): void {
    const share = 1 / (procs[procs.length - 1]?.[1] ?? this.ps.length);
    // The running mean: close enough for this early, rare case.
    if (this.started) this.area = Math.max(0, this.area - share * (this.lastChange - this.firstTime));
    this.lastUtil = Math.max(0, this.lastUtil - share);
    let pi = 0;
    for (let i = 0; i < this.times.length; i++) {
      const t = this.times.data[i]!;
      while (pi < procs.length - 1 && procs[pi + 1]![0] < t) pi++;
      const n = procs[pi]?.[1] ?? this.ps.length;
      this.utils.data[i] = Math.max(0, this.utils.data[i]! - 1 / n);
    }
  }

  /** Closed with 0 just after the last event, as Go's final Sync closes it. */
  finish(lastEventNs: number): { times: Float64Array; utils: Float64Array; mean: number | null } {
    if (this.started) this.push(lastEventNs + 1, 0);
    const span = this.lastChange - this.firstTime;
    return {
      times: this.times.data.subarray(0, this.times.length),
      utils: this.utils.data.subarray(0, this.utils.length),
      mean: this.started && span > 0 ? this.area / span : null,
    };
  }
}

/**
 * A Map from goroutine to a flag, with a counting filter in front: the few
 * goroutines doing GC work are looked up on every goroutine switch of every
 * goroutine (millions), and nearly all of those lookups are misses that the
 * filter answers with one array read.
 */
class FilteredMap {
  private static readonly MASK = 4095;
  private readonly map = new Map<number, boolean>();
  private readonly filter = new Uint32Array(FilteredMap.MASK + 1);

  get(g: number): boolean | undefined {
    return this.filter[g & FilteredMap.MASK] === 0 ? undefined : this.map.get(g);
  }

  has(g: number): boolean {
    return this.filter[g & FilteredMap.MASK] !== 0 && this.map.has(g);
  }

  /** False when g is certainly absent (one array read); true when it may be present. */
  mayHave(g: number): boolean {
    return this.filter[g & FilteredMap.MASK] !== 0;
  }

  set(g: number, value: boolean): void {
    if (!this.map.has(g)) this.filter[g & FilteredMap.MASK]!++;
    this.map.set(g, value);
  }

  delete(g: number): void {
    if (this.map.delete(g)) this.filter[g & FilteredMap.MASK]!--;
  }
}

/**
 * The goroutine switches `transitions` handles by setExecuting alone (GoStatus
 * also remembers the status, so it is not among them): nothing to do unless
 * the goroutine running or the one named in the first argument does GC work.
 */
const SWITCHES = typeTable([
  Ev.GoStart, Ev.GoStop, Ev.GoBlock, Ev.GoDestroy, Ev.GoDestroySyscall, Ev.GoSyscallEndBlocked, Ev.GoSwitch, Ev.GoSwitchDestroy,
  Ev.GoCreateSyscall,
]);

/** Builds the mutator utilization from the event stream, in both accounts. */
export class UtilizationTracker implements TraceCollector {
  readonly types = [
    Ev.ProcsChange, Ev.STWBegin, Ev.STWEnd, Ev.GCSweepActive, Ev.GCMarkAssistActive, Ev.GCSweepBegin, Ev.GCSweepEnd,
    Ev.GCMarkAssistBegin, Ev.GCMarkAssistEnd, Ev.GoLabel, Ev.GoStart, Ev.GoStop, Ev.GoBlock, Ev.GoDestroy,
    Ev.GoDestroySyscall, Ev.GoSyscallEndBlocked, Ev.GoSwitch, Ev.GoSwitchDestroy, Ev.GoCreateSyscall, Ev.GoStatus, Ev.GoStatusStack,
  ];
  private readonly go = new UtilAccount(true);
  private readonly perRun = new UtilAccount(false);
  /** GOMAXPROCS changes, for the start-of-trace correction. */
  private readonly procs: [number, number][] = [];
  private stw = 0;
  private readonly stwOpen = new Map<number, boolean>();
  /** Goroutines in a mark assist. */
  private readonly inGc = new Set<number>();
  /** go tool trace's workers: every goroutine ever labelled "GC (dedicated|fractional)". */
  private readonly bgMark = new Set<number>();
  /** The per-run account's workers: labelled in the run now going on. */
  private readonly labelledRun = new Set<number>();
  /** Whether each goroutine doing GC work (assisting, or a labelled worker) is executing; no others are tracked. */
  private readonly gcExec = new FilteredMap();
  /** The last status record, which a GCMarkAssistActive for the same goroutine follows. */
  private lastStatusG = NONE;
  private lastStatusExec = false;

  constructor(private readonly run: TraceRun) {}

  event(e: TraceEvent): void {
    const type = e.type;
    if (type === Ev.GCSweepBegin || type === Ev.GCSweepEnd) {
      this.sweepEvent(e);
      return;
    }
    // A goroutine switch matters only to a goroutine doing GC work, the one it names or the one running.
    if (SWITCHES[type] === 1 && !this.gcExec.mayHave(e.g) && !this.gcExec.mayHave(e.args[0]!)) return;
    if (type === Ev.ProcsChange) this.setProcs(e);
    if (this.go.pCount === 0) return;
    if (this.apply(e)) this.record(e);
  }
  /**
   * A GCSweepBegin or GCSweepEnd, straight to both accounts (the analysis
   * calls this directly: sweeps are a third of a busy trace). An account
   * whose count of Ps doing GC work did not change keeps its utilization: no record.
   */
  sweepEvent(e: TraceEvent): void {
    if (this.go.pCount === 0) return;
    const delta = e.type === Ev.GCSweepBegin ? 1 : -1;
    if (this.go.addGc(e.p, delta)) this.go.record(e, this.stw > 0);
    if (this.perRun.addGc(e.p, delta)) this.perRun.record(e, this.stw > 0);
  }

  private setProcs(e: TraceEvent): void {
    const n = e.args[0]!;
    // A corrupt count (NONE, or more Ps than any machine has) would size the per-P arrays: it is ignored.
    if (!(Number.isInteger(n) && n >= 0 && n <= MAX_PROCS)) return;
    const time = e.time;
    this.go.setProcs(n, time);
    this.perRun.setProcs(n, time);
    const last = this.procs[this.procs.length - 1];
    if (last === undefined || last[1] !== n) this.procs.push([time, n]);
    this.record(e);
  }

  /** Takes the event, not its time: V8 boxes a double passed to a call it does not inline, an allocation per event. */
  private record(e: TraceEvent): void {
    this.go.record(e, this.stw > 0);
    this.perRun.record(e, this.stw > 0);
  }

  /** Both accounts count assists and sweeps already active alike (event() counts ordinary sweeps itself). */
  private addGc(p: number, delta: number): boolean {
    this.go.addGc(p, delta);
    this.perRun.addGc(p, delta);
    return true;
  }

  /** Applies one event; true when it may have changed the utilization. */
  private apply(e: TraceEvent): boolean {
    const a = e.args;
    switch (e.type) {
      case Ev.STWBegin: {
        const gc = isGcStwReason(e.string(a[0]!));
        this.stwOpen.set(e.m, gc);
        if (gc) this.stw++;
        return gc;
      }
      case Ev.STWEnd: {
        const gc = this.stwOpen.get(e.m) === true;
        this.stwOpen.delete(e.m);
        if (gc) this.stw--;
        return gc;
      }
      case Ev.GCSweepActive:
      case Ev.GCMarkAssistActive:
        return this.active(e);
      case Ev.GCMarkAssistBegin:
        if (e.g !== NONE) {
          this.inGc.add(e.g);
          this.gcExec.set(e.g, true);
        }
        return this.addGc(e.p, 1);
      case Ev.GCMarkAssistEnd:
        this.inGc.delete(e.g);
        this.untrack(e.g);
        return this.addGc(e.p, -1);
      case Ev.GoLabel:
        return this.label(e);
      default:
        return this.transitions(e);
    }
  }

  private label(e: TraceEvent): boolean {
    const label = e.string(e.args[0]!);
    if (!label.startsWith('GC ') || label === 'GC (idle)') return false;
    this.bgMark.add(e.g);
    this.go.addGc(e.p, 1);
    if (!this.labelledRun.has(e.g)) {
      this.labelledRun.add(e.g);
      this.perRun.addGc(e.p, 1);
    }
    if (!this.gcExec.has(e.g)) this.gcExec.set(e.g, true);
    return true;
  }

  /** A range already running as its generation began: only the first generation's count (later ones repeat it). */
  private active(e: TraceEvent): boolean {
    if (e.gen !== this.run.firstGen) return false;
    const g = e.args[0]!;
    const lower = () => {
      this.go.lowerHistory(this.procs);
      this.perRun.lowerHistory(this.procs);
    };
    if (e.type === Ev.GCMarkAssistActive) {
      const executing = this.gcExec.get(g) ?? (this.lastStatusG === g && this.lastStatusExec);
      if (executing) lower();
      this.inGc.add(g);
      this.gcExec.set(g, executing);
    } else lower();
    return this.addGc(e.p, 1);
  }

  /** Goroutines doing GC work that start or stop executing move their P in or out of GC. */
  private transitions(e: TraceEvent): boolean {
    const a = e.args;
    switch (e.type) {
      case Ev.GoStart:
        return this.setExecuting(a[0]!, true, e.p);
      case Ev.GoStop:
      case Ev.GoBlock:
      case Ev.GoDestroy:
      case Ev.GoDestroySyscall:
      case Ev.GoSyscallEndBlocked:
        return this.setExecuting(e.g, false, e.p);
      case Ev.GoSwitch:
      case Ev.GoSwitchDestroy: {
        const stopped = this.setExecuting(e.g, false, e.p);
        return this.setExecuting(a[0]!, true, e.p) || stopped;
      }
      case Ev.GoCreateSyscall:
        return this.setExecuting(a[0]!, true, e.p);
      case Ev.GoStatus:
      case Ev.GoStatusStack:
        this.lastStatusG = a[0]!;
        this.lastStatusExec = a[2] === GoState.Running || a[2] === GoState.Syscall;
        return this.setExecuting(a[0]!, this.lastStatusExec, e.p);
      default:
        return false;
    }
  }

  /** Goroutines doing no GC work are not tracked: whether they run cannot change the utilization. */
  private setExecuting(g: number, now: boolean, p: number): boolean {
    const before = this.gcExec.get(g);
    if (before === undefined || before === now) return false;
    this.gcExec.set(g, now);
    const delta = now ? 1 : -1;
    if (this.inGc.has(g) || this.bgMark.has(g)) this.go.addGc(p, delta);
    if (this.inGc.has(g)) this.perRun.addGc(p, delta);
    if (!now && this.labelledRun.delete(g)) this.perRun.addGc(p, -1);
    this.untrack(g);
    return true;
  }

  private untrack(g: number): void {
    if (!this.inGc.has(g) && !this.bgMark.has(g) && !this.labelledRun.has(g)) this.gcExec.delete(g);
  }

  /**
   * go tool trace's utilization function (for the MMU), and the per-run
   * account's mean utilization (for the GC CPU share).
   */
  finish(lastEventNs: number): { times: Float64Array; utils: Float64Array; perRunMean: number | null } {
    const go = this.go.finish(lastEventNs);
    return { times: go.times, utils: go.utils, perRunMean: this.perRun.finish(lastEventNs).mean };
  }
}
