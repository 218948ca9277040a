import type { GcCycle, RejectedRecord } from '../../model/gctrace.js';
import type { Finding } from '../finding.js';
import type { Distribution } from '../stats.js';

/** A cycle as --json prints it: the parsed record without its position in the log. */
export type GcCycleJson = Omit<GcCycle, 'line'>;

export interface WhatIfRow extends WhatIfResult {
  gogc: number | 'off';
  /** Bytes, or null for no limit. */
  gomemlimit: number | null;
}

export interface GcAnalysis {
  cycles: GcCycleJson[];
  summary: GcSummary;
  findings: Finding[];
  /** What the log shows, and the same run replayed by the model: how far to trust the what-ifs. */
  baseline: {
    setting: WhatIfRow;
    observed: WhatIfResult;
    /** The log replayed at its own setting, after calibration (see calibration). */
    model: WhatIfResult;
    /**
     * The replay's one fitted number: the mark allocation's scale that makes
     * the log replay to its own cycle count, the count before that fit, and
     * the non-heap memory a limit was replayed with. A scale far from 1 means
     * the pacer model explains this log less well.
     */
    calibration: { markAllocationScale: number; uncalibratedCycles: number | null; nonHeapMB: number };
  };
  whatIf: WhatIfRow[];
  /** Simulated cycles per what-if, in order, for plotting. */
  whatIfSeries: SimulatedCycle[][];
}

/** One process of a log that holds several: its analysis, and which process it is. */
export interface GcProcessAnalysis extends GcAnalysis {
  process: { index: number; lines: { first: number; last: number }; label?: string };
}

/**
 * What `footprint gc --json` prints for a log of several processes (`go test`
 * with GODEBUG=gctrace=1: the go command, its compilers and linker, the test
 * binary): each process's analysis, in order of first appearance.
 */
export interface GcProcessesReport {
  processes: GcProcessAnalysis[];
  /** Log-wide counts that belong to no one process: records rejoined after the program's output split them, other lines. */
  log: { rejoinedLines: number; otherLines: number; unparsedLines: number };
}

export interface GcAnalysisOptions {
  whatIfs?: readonly Partial<WhatIfSetting>[];
  /** The settings the log ran with, when the user knows them; otherwise inferred from the log. */
  baseline?: Partial<WhatIfSetting>;
}

/**
 * Replays a workload under other GOGC / GOMEMLIMIT settings with the pacer's
 * rules (runtime/mgcpacer.go, Go 1.21+):
 *
 * - GOGC goal = marked + (marked + stacks + globals) × GOGC/100, at least
 *   4 MiB × GOGC/100 (heapMinimum);
 * - memory-limit goal = limit − non-heap memory, less 3% headroom (at least
 *   1 MiB), never below the marked heap; the smaller goal wins;
 * - the trigger sits `runway` below the goal, clamped to 45/64 … 61/64 of the
 *   way from the marked heap to the goal (or goal − 4 MiB when that is
 *   higher);
 * - the heap grows past the trigger by the mark-phase allocation, and mark
 *   assists hold it at the goal.
 *
 * Cumulative allocation is the clock: the program does the same work whatever
 * the setting, so its live heap at a given amount of allocation is the same.
 */
export interface WhatIfSetting {
  /** GOGC; null means off. */
  gogc: number | null;
  /** GOMEMLIMIT in bytes; null means none. */
  gomemlimit: number | null;
}

/** A replay's figures; all null (with `refusal`) when the setting is outside what a replay can say. */
export interface WhatIfResult {
  cycles: number | null;
  /** The cycle count's plausible range: the replay with the log's spread of mark allocation (and, for a limit, both releases' non-heap memory). */
  cyclesRange?: [number, number];
  peakHeapBytes: number | null;
  gcCpuFraction: number | null;
  meanIntervalMs: number | null;
  /** Cycles whose goal came from the memory limit rather than GOGC. */
  limitBoundCycles: number | null;
  /** Why no figure is given. */
  refusal?: string;
  /**
   * How far to trust the prediction: `good`, `fair` (real runs scatter with
   * the machine's timing), `low` (the log cannot resolve what this setting
   * depends on); `note` says why.
   */
  trust?: 'good' | 'fair' | 'low';
  note?: string;
}

/** One simulated cycle, MiB, for plotting or inspection. */
export interface SimulatedCycle {
  allocatedMB: number;
  startMB: number;
  endMB: number;
  goalMB: number;
  markedMB: number;
  forced: boolean;
}


export interface LiveHeapTrend {
  firstMB: number;
  lastMB: number;
  minMB: number;
  maxMB: number;
  /**
   * Robust slope (Theil–Sen) over the second half of the log, MiB per minute,
   * of the reachable heap: marked less what was allocated during the mark.
   * The GC keeps everything allocated while it marks, so the marked figure
   * swings with the mark's length; the reachable one does not.
   */
  recentSlopeMBPerMinute: number;
  /** Growth over the second half relative to its median level (0.2 = grew 20%). */
  recentGrowth: number;
}

export interface GcSummary {
  cycles: number;
  firstCycle: number;
  lastCycle: number;
  /** Cycle numbers the log skips (lost lines, or a log that was cut). */
  missingCycles: number;
  forcedCycles: number;
  periodicCycles: number;
  /** Seconds the log covers: from program start when it begins at gc 1. */
  spanSeconds: number;
  gcPerSecond: number | null;
  medianIntervalMs: number | null;
  /**
   * GC CPU over the span, of procs × wall time: every phase's CPU as gctrace
   * prints it, idle marking excluded as the runtime excludes it ("free").
   * Stop-the-world phases count whole, time to stop included; newer runtimes
   * count a pause only once the world has stopped, so their own figure can
   * read a little lower.
   */
  gcCpuFraction: number | null;
  /** The runtime's own cumulative GC CPU percent on the last line. */
  runtimeCpuPercent: number;
  /** Stop-the-world pauses: sweep termination and mark termination of each cycle. */
  pausesMs: Distribution;
  markAssistShareOfGcCpu: number | null;
  liveHeap: LiveHeapTrend;
  peakHeapMB: number;
  effectiveGogc: { p10: number; p50: number; p90: number } | null;
  inferredGogc: number | null;
  limitBoundCycles: number;
  pinnedGoalMB: number | null;
  inferredMemoryLimitBytes: number | null;
  procs: number;
  scavenger: { lines: number; releasedMBLast: number; releasedMBMax: number; forced: number } | null;
  unparsedLines: number;
  /**
   * gc records left out of every figure because Go cannot have printed them
   * (0 P, a heap past 256 TiB, marked above the heap, a heap 10,000 times its
   * neighbours'); the first few with the line and the reason.
   */
  rejectedRecords: number;
  rejected: RejectedRecord[];
  rejoinedLines: number;
}

export interface GcAdviceContext {
  /** The log replayed at a doubled GOGC (any memory limit kept), to put numbers on "raise GOGC". */
  doubledGogc?: { gogc: number; gomemlimit: number | null; result: WhatIfResult; baseline: WhatIfResult };
}
