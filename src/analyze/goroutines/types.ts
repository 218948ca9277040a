import type { GoFrame } from '../../model/goroutines.js';
import type { MemStats } from '../../model/profile.js';
import type { Comparison } from '../compare.js';
import type { Finding } from '../finding.js';

/**
 * How alike two goroutines must be to share a group (panicparse's
 * Similarity):
 * - `exact`: same stack, same argument values, same locked-to-thread flag;
 * - `args` (default): same functions, files and lines; arguments ignored;
 * - `lines`: same functions only; arguments and line numbers ignored.
 * In every mode the state must match and goroutines created at the same
 * place are merged whichever goroutine created them (panicparse keys on the
 * `in goroutine N` text and so keeps one group per parent).
 */
export type Similarity = 'exact' | 'args' | 'lines';

export interface GoroutineOptions {
  similarity?: Similarity;
  /** MemStats of the same process (heap ?debug=1 footer, /debug/vars), to calibrate stack memory. */
  memStats?: MemStats;
}

export interface GoroutineGroup {
  count: number;
  state: string;
  /** The state was read from the profile's stack, not printed by the runtime. */
  stateInferred: boolean;
  /**
   * The runtime proved these goroutines leaked (Go 1.26+ with
   * GOEXPERIMENT=goroutineleakprofile): `(leaked)` in a dump, or listed in a
   * goroutineleak profile. Nothing reachable can ever wake them.
   */
  leaked: boolean;
  /** Range of the printed `N minutes` (0 = under a minute or not yet stamped by a GC). */
  waitMinutes: { min: number; max: number };
  lockedToThread: number;
  /** The first goroutine's canonical stack, innermost first. */
  frames: GoFrame[];
  /** Per frame, the arguments when every goroutine had the same ones, else `*` (dumps only). */
  args: string[] | undefined;
  /** The innermost frame outside the standard library (else the innermost frame). */
  topFrame: GoFrame | undefined;
  /** Where the goroutines were started (`created by`), dumps only. */
  creator: GoFrame | undefined;
  /** Distinct parent goroutine ids (`in goroutine N`), ascending. */
  parents: number[];
  /** The first few goroutine ids, ascending (dumps only). */
  ids: number[];
  /** Deepest stack in the group, runtime and elided frames counted. */
  maxDepth: number;
  elided: boolean;
  system: boolean;
  /** Stack memory the group holds: estimated from depths, or calibrated to MemStats' StackInuse (see stackMemory). */
  stackBytes: number;
  /** stackBytes / MemStats.Sys, or null without MemStats. */
  shareOfProcess: number | null;
}

export interface StackMemory {
  totalBytes: number;
  /** `estimate` from depths alone; `calibrated` when scaled to MemStats.StackInuse. */
  basis: 'estimate' | 'calibrated';
  stackInuse: number | null;
  sys: number | null;
  /** MemStats values left out (no runtime writes them, or they contradict each other), and why. */
  problems?: string[];
}

export interface Pileup {
  /** The lock's address as printed, or the waiters' call site when no address is printed. */
  lock: string;
  byAddress: boolean;
  state: string;
  waiters: number;
  site: GoFrame | undefined;
  maxMinutes: number;
  /** Goroutines not waiting on the lock whose trustworthy arguments include its address; empty when none can be told. */
  holders: { id: number | undefined; state: string; frame: GoFrame | undefined }[];
  /** Why no holder is named, when none is. */
  holderUnknown?: string;
}

/** Something an input form cannot show, and what the report does instead. */
export interface FormLimit {
  /** What is missing: a stable name. */
  missing: 'wait-reasons' | 'wait-times' | 'creators' | 'arguments' | 'other-goroutines';
  /** One sentence for people. */
  text: string;
  /** Goroutines it leaves unknown, when that can be counted (e.g. states a debug=1 text cannot give). */
  goroutines?: number;
}

export interface GoroutineAnalysis {
  source: 'dump' | 'profile';
  /** For profiles: `proto` or `debug=1`, and the profile's name (`goroutine`, Go 1.26's `goroutineleak`). */
  profile?: { form: 'proto' | 'debug=1'; name: string };
  /** For dumps: where the dump stands in its file (1-based lines), which matters when a log holds several. */
  lines?: { first: number; last: number };
  /** What this form of input cannot show (none for a full dump). */
  limits: FormLimit[];
  /** For dumps: why it was written (`panic: …`, `fatal error: …`, `SIGQUIT: quit`). */
  reason: string[];
  total: number;
  /** Runtime-internal goroutines (SIGQUIT and crash dumps show them). */
  system: number;
  groups: GoroutineGroup[];
  stackMemory: StackMemory;
  states: { state: string; count: number }[];
  pileups: Pileup[];
  findings: Finding[];
  truncated: boolean;
}

export type Change = 'grew' | 'shrank' | 'appeared' | 'vanished' | 'same';

export interface GroupChange {
  change: Change;
  before: number;
  after: number;
  delta: number;
  state: string;
  /** The later group (or the earlier one when it vanished). */
  group: GoroutineGroup;
  /** The group's count in every input, first to last (two entries for a plain A/B diff). */
  series: number[];
}

export interface GoroutineDiff {
  totalBefore: number;
  totalAfter: number;
  changes: GroupChange[];
}

/**
 * What `footprint goroutines --json` prints: the analysis of the last input,
 * and with two or more inputs of one process, the diff of first and last,
 * whose growth findings join the last input's.
 */
export interface GoroutinesReport extends GoroutineAnalysis {
  files: string[];
  diff?: GoroutineDiff;
}

/** `footprint goroutines --compare OLD NEW`: the generic comparison plus every group's count before and after. */
export interface GoroutinesComparison extends Comparison {
  groups: GoroutineDiff;
}

/**
 * What `footprint goroutines --json` prints for one file that holds several
 * dumps (a log with a dump on a signal and a crash later, a service restarted
 * into the same file): each dump's analysis, in the order of the file.
 */
export interface GoroutineDumpsReport {
  files: string[];
  dumps: (GoroutineAnalysis & { index: number })[];
}
