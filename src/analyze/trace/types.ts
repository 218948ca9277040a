import type { Finding } from '../finding.js';
import type { Distribution } from '../stats.js';

export interface TraceSummary {
  goVersion: string;
  bytes: number;
  generations: number;
  /** Trace-clock ns of the first and last event; durationNs between them. */
  startNs: number;
  endNs: number;
  durationNs: number;
  /** Wall-clock ns (Unix) at the first generation's clock snapshot, Go 1.25+ traces only. */
  wallStartNs: number | null;
  gomaxprocs: number | null;
  cpuSamples: number;
  /** How long Ps ran Go code, summed over Ps: the CPU the process used (null when the trace shows no P running). */
  busyNs: number | null;
  eventCounts: Record<string, number>;
  warnings: string[];
  gc: {
    cycles: TraceGcCycle[];
    perSecond: number;
    /** 1 − mean mutator utilization over the trace (null with no utilization data). */
    cpuFraction: number | null;
    /** The GC's CPU over the CPU the process used (busyNs): what share of its work goes to the GC. */
    shareOfBusy: number | null;
    stw: TraceStw[];
    pausesMs: Distribution;
    pausesByReason: { reason: string; count: number; totalMs: number; maxMs: number }[];
    assists: {
      totalMs: number;
      /** Assist time over (duration × GOMAXPROCS). */
      shareOfCpu: number;
      byGoroutine: { goroutine: number; function: string; totalMs: number; count: number; shareOfWall: number }[];
      /** Time in mark assists per interval (summed over goroutines, so up to GOMAXPROCS × widthNs). */
      activity: BusyInterval[];
    };
    sweep: { totalMs: number; count: number; sweptBytes: number; reclaimedBytes: number; shareOfCpu: number };
  };
  heap: HeapCollected;
  goroutines: GoroutinesCollected;
  /** runtime/trace tasks and regions (trace.NewTask, trace.WithRegion). */
  user: UserSpans;
  /** MMU as go tool trace's MMU view computes it (its worker counting included, see trace-mmu.ts). */
  mmu: MmuPoint[];
  /** Where go tool trace's utilization function ends early (its worker counting pinned it at 0), in ns from the start; else null. */
  mmuEndsEarlyAtNs: number | null;
}

export interface TraceAnalysis extends TraceSummary {
  findings: Finding[];
}

export interface AnalyzeTraceOptions {
  source?: string;
  chunkSize?: number;
  /** Called once per generation with the bytes read so far. */
  onProgress?: (bytesRead: number) => void;
}

/** One GC cycle: GCBegin to GCEnd, which go tool trace draws as "GC concurrent mark phase". */
export interface TraceGcCycle {
  /** The runtime's GC sequence number in its generation (not unique across generations). */
  seq: number;
  startNs: number;
  /** null when the trace ends during the cycle. */
  endNs: number | null;
  /** True when a GC was already running as the trace began (a GCActive record): startNs is then the trace's start. */
  startedBeforeTrace: boolean;
  /** The stop-the-world pauses that began during the cycle (sweep termination, mark termination). */
  pauses: { reason: string; startNs: number; durationNs: number }[];
}

/** A stop-the-world pause with the runtime's reason ("GC sweep termination", "read mem stats", …). */
export interface TraceStw {
  startNs: number;
  endNs: number;
  reason: string;
  /** A GC STW: the reason mentions GC, as go tool trace's MMU decides it. */
  gc: boolean;
}

export interface TraceAssistByGoroutine {
  goroutine: number;
  totalNs: number;
  count: number;
}

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
  /** Goroutines created during the trace, per entry function, most created first (top 20). */
  byFunction: GoroutinesByFunction[];
}

/** runtime/trace tasks and regions, per name: ended ones with their durations, and those still open at the trace's end. */
export interface UserSpans {
  tasks: UserSpanRow[];
  regions: UserSpanRow[];
}

export interface UserSpanRow {
  name: string;
  count: number;
  open: number;
  totalNs: number;
  meanNs: number | null;
  maxNs: number | null;
}

export interface GoroutinesByFunction {
  /** The entry function (what the goroutines run). */
  function: string;
  /** The first program frame of the stack that started the first of them. */
  creator: string;
  created: number;
  /** Of those created during the trace; lives of the ended ones. */
  ended: number;
  meanLifeNs: number | null;
  maxLifeNs: number | null;
}

export interface HeapCollected {
  /** HeapAlloc (the runtime's heapLive: bytes in spans in use, swept or not) over time, downsampled. */
  alloc: SeriesPoint[];
  /** Every HeapGoal change: [time ns, goal bytes] (0 when there is no heap goal, e.g. GOGC=off). */
  goalSteps: [number, number][];
  peakAllocBytes: number;
  lastAllocBytes: number | null;
  /** GOMAXPROCS as ProcsChange reports it, the last value seen. */
  gomaxprocs: number | null;
}

export interface MmuPoint {
  windowNs: number;
  /** Fraction 0..1 of the time the program's goroutines could run, in the worst window of this width. */
  mmu: number;
}

/**
 * A time series kept at bounded size whatever the number of samples: values
 * fall into equal time buckets, each remembering its min, max and last value;
 * when the buckets run out, neighbours merge and the bucket width doubles.
 * A heap curve of millions of HeapAlloc events stays a few thousand points,
 * and every peak survives (the max of a merged bucket is the max of both).
 */
export interface SeriesPoint {
  /** Bucket start (ns on the trace clock). */
  t: number;
  min: number;
  max: number;
  last: number;
}

/** How long something ran in each interval of the trace (summed over goroutines, so up to GOMAXPROCS × the interval). */
export interface BusyInterval {
  t: number;
  widthNs: number;
  busyNs: number;
}
