import type { TargetHistory } from '../analyze/history/types.js';
import type { Profile } from '../model/profile.js';

/**
 * What the UI reads of a store (footprint watch's): the server cannot import
 * the store layer (src/collect), so the CLI hands it a Store, which has this
 * shape, opened read-only.
 */
export interface SnapshotStore {
  /** Where the store is, safe to show (no password). */
  readonly description: string;
  list(): Promise<StoredSnapshot[]>;
  history(): Promise<TargetHistory[]>;
  profile(snapshot: number, kind: string): Promise<Profile>;
}

/** As `footprint history --json` lists them. */
export interface StoredSnapshot {
  id: number;
  target: string;
  time: string;
  kinds: string[];
}
