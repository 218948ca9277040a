import type { MemStats, Profile, ValueType } from '../../model/profile.js';

/** What one round of `watch` stores per target, besides the MemStats footer. */
export type ProfileKind = 'heap' | 'goroutine' | 'allocs' | 'mutex' | 'block';

export const PROFILE_KINDS: readonly ProfileKind[] = ['heap', 'goroutine', 'allocs', 'mutex', 'block'];

/** A kind a snapshot may hold: a profile, or the MemStats footer. */
export type StoredKind = ProfileKind | 'memstats';

export interface SnapshotInput {
  /** The service's base URL. */
  target: string;
  /** When the round's instant profiles were taken (ms since the epoch). */
  takenAtMs: number;
  /** The interval the allocs/mutex/block deltas cover (0 when none). */
  intervalMs: number;
  profiles: readonly { kind: ProfileKind; profile: Profile }[];
  memStats?: MemStats;
  /** What could not be collected this round, one line each. */
  errors: readonly { kind: string; error: string }[];
}

export interface SnapshotInfo {
  id: number;
  target: string;
  /** ISO time. */
  time: string;
  takenAtMs: number;
  intervalMs: number;
  kinds: StoredKind[];
  errors: { kind: string; error: string }[];
}

/** A profile's header as stored (JSON): everything of it that is not samples or symbols. */
export interface StoredHeader {
  sampleTypes: ValueType[];
  defaultSampleType: string;
  periodType: ValueType | null;
  period: number;
  /** Decimal: nanoseconds since the epoch exceed 2^53. */
  timeNanos: string;
  durationNanos: string;
  comments: string[];
  dropFrames: string;
  keepFrames: string;
  docUrl: string;
  /** The profile's mappings, in its order, as store ids. */
  mappings: number[];
}

export interface WriteResult {
  id: number;
  kinds: StoredKind[];
}
