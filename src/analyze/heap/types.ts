import type { MemStats, Profile } from '../../model/profile.js';
import type { Finding } from '../finding.js';

/** One heap profile of a process, placed in time. */
export interface Snapshot {
  profile: Profile;
  source: string;
  /** Collection time (ms since the epoch) from the profile, or null when it carries none (debug=1 text). */
  atMs: number | null;
}

export interface HeapInput {
  /** Heap or allocs profiles of one process, in any order. */
  snapshots: readonly Snapshot[];
  /** MemStats from expvar, when given; otherwise the last debug=1 snapshot's footer is used. */
  memStats?: { source: string; stats: MemStats };
}

export interface HeapAnalysis {
  findings: Finding[];
  /** The cross-reading per line of the latest snapshot, largest inuse first. */
  sites: HeapSite[];
  /** The same per function. */
  functions: HeapSite[];
  memstats?: MemStatsBreakdown & { source: string };
  memory?: MemoryPart[];
  /** What the MemStats cannot support, and why: values no runtime writes, fields that contradict each other. */
  memoryProblems?: string[];
  trend?: HeapTrend;
  /**
   * Snapshots in the order analysed. oneProcess is false when they cannot all be one process's (see
   * warnings): then only the latest was read.
   */
  order: {
    sources: string[];
    /** Ordered by the profiles' timestamps (ties in the order given). */
    byTime: boolean;
    oneProcess: boolean;
    /** Why the trend has no rate (growth is per snapshot): timestamps missing or shared. */
    noRate?: string;
  };
  /** Reasons to doubt the reading, e.g. snapshots from different binaries. */
  warnings: string[];
}

/** The four numbers a Go heap profile keeps per stack. */
export interface HeapValues {
  inuseBytes: number;
  inuseObjects: number;
  allocBytes: number;
  allocObjects: number;
}

export interface HeapSite extends HeapValues {
  /** Where the program allocates: its innermost frame in the program's own code (else outside the runtime's allocator). */
  function: string;
  file?: string;
  line?: number;
  /** The library function that site called which did the allocating (`encoding/json.Marshal`, `runtime.newproc` for a go statement). */
  via?: string;
  avgInuseBytes: number | null;
  avgAllocBytes: number | null;
  /** inuse / alloc bytes: how much of what the site allocated is still live. */
  retention: number | null;
  inuseShare: number;
  allocShare: number;
}

export type SiteGranularity = 'function' | 'line';

export interface Series {
  function: string;
  file?: string;
  line?: number;
  /** As HeapSite.via. */
  via?: string;
  /** A whole stack, leaf first, for stack series. */
  stack?: string[];
  inuseBytes: number[];
  inuseObjects: number[];
  /** Bytes and objects allocated since the program started (alloc_space, alloc_objects), per snapshot. */
  allocBytes: number[];
  allocObjects: number[];
}

export interface Fit {
  /** Theil–Sen slope per minute, or per snapshot when the snapshots carry no time. */
  bytesPerMinute: number;
  objectsPerMinute: number;
  /** Share of steps that did not go down, and fit of a straight line (both 0–1). */
  monotonicity: number;
  rSquared: number;
  /** monotonicity × R² of the bytes series: 1 is a steady climb, GC noise pulls it down. */
  confidence: number;
  objectsConfidence: number;
  /** (last − first) / first of the bytes, Infinity when it started at 0. */
  relativeGrowth: number;
  relativeObjectGrowth: number;
}

export type TrendSeries = Series & Fit;

export interface HeapTrend {
  snapshots: { source: string; atMs: number | null }[];
  /** Minutes from first to last snapshot, or null when time is unknown (slopes are then per snapshot). */
  spanMinutes: number | null;
  total: TrendSeries;
  /** Allocation sites (per line), fastest growing first. */
  sites: TrendSeries[];
  /** Whole stacks, fastest growing first (the top ones). */
  stacks: TrendSeries[];
}

/** Where the process's memory sits: parts that add up to what the runtime holds from the OS. */
export interface MemoryPart {
  part: string;
  bytes: number;
  /** Share of Sys (everything the runtime obtained from the OS); null when Sys is unusable or does not hold the parts. */
  share: number | null;
  note: string;
}

export interface SiteRate {
  bytesPerSecond: number;
  objectsPerSecond: number;
}

/** The MemStats fields the heap doctor reads, under the runtime's own names. */
export type MemStatsField =
  | 'HeapAlloc'
  | 'HeapInuse'
  | 'HeapIdle'
  | 'HeapReleased'
  | 'HeapSys'
  | 'StackInuse'
  | 'MSpanInuse'
  | 'MCacheInuse'
  | 'GCSys'
  | 'OtherSys'
  | 'Sys'
  | 'NextGC'
  | 'NumGC';

export type MemStatsBreakdown = Partial<Record<MemStatsField, number>>;
