import type { Finding } from '../finding.js';

/**
 * A target's stored history, as `history` reads it: per snapshot only what
 * the analyses need (per-site heap and allocation totals, the goroutine
 * count, two MemStats figures), never every sample, so a day of large
 * profiles reads in seconds.
 */
export interface HistorySite {
  function: string;
  file?: string;
  line?: number;
  via?: string;
}

/** inuse_space, inuse_objects, alloc_space, alloc_objects of one site. */
export type SiteValues = readonly [number, number, number, number];

export interface HistoryPoint {
  snapshot: number;
  atMs: number;
  /** The interval the allocs delta covers. */
  intervalMs: number;
  /** Per site id (TargetHistory.sites) from the heap profile; undefined when the snapshot has none. */
  heap?: ReadonlyMap<number, SiteValues>;
  /** Per site id from the allocs delta over the interval. */
  allocs?: ReadonlyMap<number, SiteValues>;
  goroutines?: number;
  /** MemStats: the runtime's cumulative GC CPU share, and cycles so far. */
  gcCpuFraction?: number;
  numGc?: number;
}

export interface TargetHistory {
  target: string;
  sites: ReadonlyMap<number, HistorySite>;
  /** Oldest first. */
  points: HistoryPoint[];
}

export interface HistoryAnalysis {
  targets: { target: string; snapshots: number; from: string; to: string }[];
  /** Most important first; each names its target in its first evidence entry. */
  findings: Finding[];
}
