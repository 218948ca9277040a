/**
 * What a GODEBUG=gctrace=1 (and scavtrace=1) log says, one record per line
 * the runtime printed. Units are the runtime's own: heap figures are MiB
 * truncated (`>>20`), times milliseconds, KiB for the scavenger.
 */
export interface GcCycle {
  /** Cycle number (`gc N`); consecutive in an unbroken log. */
  n: number;
  /** Start of the cycle, seconds since the program started. */
  atSeconds: number;
  /** The runtime's cumulative GC CPU share since start, as an integer percent. */
  cpuPercent: number;
  /** Wall clock of the three phases; the first and last are stop-the-world. */
  clockMs: { sweepTermination: number; mark: number; markTermination: number };
  /** CPU time; assist/background/idle split the concurrent mark. */
  cpuMs: { sweepTermination: number; assist: number; background: number; idle: number; markTermination: number };
  /** Heap at GC start → at GC end → marked live. */
  heapMB: { start: number; end: number; live: number };
  goalMB: number;
  /** Scannable stacks and globals; null in logs from before Go 1.18, which did not print them. */
  stacksMB: number | null;
  globalsMB: number | null;
  procs: number;
  /** `(forced)`: runtime.GC() or debug.FreeOSMemory(). */
  forced: boolean;
  /** Preceded by a `GC forced` line: the runtime's own 2-minute periodic GC. */
  periodic: boolean;
  /** 1-based line where the record starts in the log. */
  line: number;
}

/** A `scav …` line (GODEBUG=scavtrace=1). Current format since Go 1.19; legacy fields are absent there. */
export interface ScavRecord {
  /** Returned to the OS since the previous line by the background scavenger (current format). */
  backgroundKiB: number | null;
  /** Returned eagerly (allocation path or forced) since the previous line (current format). */
  eagerKiB: number | null;
  /** Work done since the previous line (legacy Go 1.17/1.18 format). */
  workKiB: number | null;
  /** Heap memory released to the OS at this point (`KiB now`, legacy `KiB total`). */
  releasedKiB: number;
  /** In-use share of the retained (not released) heap. */
  utilPercent: number;
  forced: boolean;
  controllerReset: boolean;
  line: number;
}

export interface GcTrace {
  cycles: GcCycle[];
  scavenger: ScavRecord[];
  /** Lines that began like a gc/scav record but could not be read; the first few are kept. */
  unparsed: { line: number; text: string }[];
  unparsedCount: number;
  /**
   * Records that parsed but hold numbers Go cannot have printed (0 P, a heap
   * past 256 TiB, …): left out of `cycles` and every figure; the first few
   * are kept with the reason.
   */
  rejected: RejectedRecord[];
  rejectedCount: number;
  /** Records that were split across lines by the program's own output and put back together. */
  rejoined: number;
  /** Lines that are not gctrace at all: the program's own output. */
  otherLines: number;
  /**
   * `# pkg` lines: go build and go test print one before the output of each
   * compile or link step they ran, so the gc lines after it are that step's.
   */
  headings: { line: number; text: string }[];
}

/** One process's part of a log that holds the GCs of several (see src/formats/gctrace/processes.ts). */
export interface GcProcess {
  /** 1-based, in the order the processes first appear in the log. */
  index: number;
  /** The log lines its records span, 1-based. */
  lines: { first: number; last: number };
  /** The `# pkg` heading its records follow, when there is one: the go command's compile or link step it was. */
  label?: string;
  trace: GcTrace;
}

/** A gc record left out, and why. */
export interface RejectedRecord {
  /** 1-based line where the record starts. */
  line: number;
  /** Its cycle number (`gc N`). */
  n: number;
  reason: string;
  /** The line as written (at most 200 characters). */
  text: string;
}
