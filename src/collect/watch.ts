import { decodeProfile } from '../formats/index.js';
import type { MemStats } from '../model/profile.js';
import { waitUntil } from './capture.js';
import { fetchBytes, type FetchOptions } from './http.js';
import type { ProfileKind, PruneResult, SnapshotInput, Store, StoredKind } from './store/index.js';

/**
 * `footprint watch`: rounds of collection from several services into a
 * store. Each round of one target asks, all at once, for the instant
 * profiles (heap, goroutine, and the heap's debug=1 text for its MemStats
 * footer) and for the allocs, mutex and block deltas over the interval
 * (`?seconds=`, computed by the runtime, so one round's deltas cover the
 * time until the next round). What arrived is one snapshot, written in one
 * transaction. A target that answers nothing is retried with back-off and
 * nothing is stored for it; each target runs on its own, so a slow or dead
 * one does not hold up the others.
 */

export interface WatchOptions {
  /** Base URLs (collect/capture.ts targetUrl). */
  targets: readonly string[];
  everyMs: number;
  store: Store;
  /** Snapshots older than this are pruned after each write. */
  keepMs?: number;
  /** Rounds per target (a failed attempt counts); until aborted when undefined. */
  rounds?: number;
  headers: Readonly<Record<string, string>>;
  /** Allowance for one request on top of the profile's own duration. */
  requestTimeoutMs: number;
  signal?: AbortSignal;
  onRound: (r: RoundReport) => void;
}

export interface RoundReport {
  target: string;
  /** 1, 2, … per target, failed attempts included. */
  round: number;
  /** When the round started (ms since the epoch). */
  atMs: number;
  /** The stored snapshot; undefined when nothing arrived (or the write failed: see errors). */
  snapshot?: number;
  kinds: StoredKind[];
  /** Bytes fetched this round. */
  fetchedBytes: number;
  errors: { kind: string; error: string }[];
  /** Set when the round stored nothing: the wait before the next attempt. */
  retryInMs?: number;
  pruned?: PruneResult;
}

/** What one request of a round is: a profile, or the heap text with the MemStats footer. */
interface Request {
  kind: ProfileKind | 'memstats';
  path: string;
  /** How long the server takes by design. */
  serverMs: number;
}

/** The first retry of a dead target waits this long; each failure doubles it, up to the interval. */
export const FIRST_RETRY_MS = 1000;

const MAX_BYTES = 256 << 20;

/** The requests of one round; deltas over whole seconds (pprof's unit), at least one. */
export function roundRequests(everyMs: number): Request[] {
  const seconds = Math.max(1, Math.round(everyMs / 1000));
  return [
    { kind: 'heap', path: '/debug/pprof/heap', serverMs: 0 },
    { kind: 'goroutine', path: '/debug/pprof/goroutine', serverMs: 0 },
    { kind: 'memstats', path: '/debug/pprof/heap?debug=1', serverMs: 0 },
    { kind: 'allocs', path: `/debug/pprof/allocs?seconds=${seconds}`, serverMs: seconds * 1000 },
    { kind: 'mutex', path: `/debug/pprof/mutex?seconds=${seconds}`, serverMs: seconds * 1000 },
    { kind: 'block', path: `/debug/pprof/block?seconds=${seconds}`, serverMs: seconds * 1000 },
  ];
}

/** Watches every target until `rounds` are done or the signal aborts. */
export async function watch(o: WatchOptions): Promise<void> {
  await Promise.all(o.targets.map((t) => watchTarget(t, o)));
}

async function watchTarget(target: string, o: WatchOptions): Promise<void> {
  let failures = 0;
  for (let round = 1; o.rounds === undefined || round <= o.rounds; round++) {
    if (o.signal?.aborted) return;
    const atMs = Date.now();
    const report = await runRound(target, round, atMs, o);
    if (report.snapshot === undefined) {
      failures++;
      report.retryInMs = retryDelay(failures, o.everyMs);
    } else failures = 0;
    o.onRound(report);
    if (o.rounds !== undefined && round === o.rounds) return;
    const next = report.retryInMs !== undefined ? Date.now() + report.retryInMs : atMs + o.everyMs;
    await waitUntil(next, o.signal);
  }
}

/** 1 s, 2 s, 4 s … after consecutive failures, never longer than the interval. */
export function retryDelay(failures: number, everyMs: number): number {
  return Math.min(everyMs, FIRST_RETRY_MS * 2 ** Math.min(30, failures - 1));
}

async function runRound(target: string, round: number, atMs: number, o: WatchOptions): Promise<RoundReport> {
  const requests = roundRequests(o.everyMs);
  const profiles: SnapshotInput['profiles'][number][] = [];
  const errors: RoundReport['errors'] = [];
  let memStats: MemStats | undefined;
  let fetchedBytes = 0;
  await Promise.all(
    requests.map(async (r) => {
      const opts: FetchOptions = { timeoutMs: r.serverMs + o.requestTimeoutMs, maxBytes: MAX_BYTES, headers: o.headers, ...(o.signal ? { signal: o.signal } : {}) };
      try {
        const bytes = await fetchBytes(`${target}${r.path}`, opts);
        fetchedBytes += bytes.length;
        const profile = decodeProfile(bytes, `${target}${r.path}`);
        if (r.kind !== 'memstats') profiles.push({ kind: r.kind, profile });
        else if (profile.memStats) memStats = profile.memStats;
        else errors.push({ kind: 'memstats', error: 'the heap text has no MemStats footer' });
      } catch (err) {
        errors.push({ kind: r.kind, error: (err as Error).message });
      }
    }),
  );
  // The order of the requests, not of their answers: snapshots list their kinds the same way every round.
  profiles.sort((a, b) => requests.findIndex((r) => r.kind === a.kind) - requests.findIndex((r) => r.kind === b.kind));
  const base = { target, round, atMs, fetchedBytes, errors, kinds: [] as StoredKind[] };
  if (profiles.length === 0) return base;
  try {
    const written = await o.store.put({ target, takenAtMs: atMs, intervalMs: o.everyMs, profiles, ...(memStats ? { memStats } : {}), errors });
    // Never before this round's own start: a round lasts its interval, so with --keep equal to it the snapshot just written would be older than the cut.
    const pruned = o.keepMs !== undefined ? await o.store.prune(Math.min(Date.now() - o.keepMs, atMs)) : undefined;
    return { ...base, snapshot: written.id, kinds: written.kinds, ...(pruned && pruned.snapshots > 0 ? { pruned } : {}) };
  } catch (err) {
    return { ...base, errors: [...errors, { kind: 'store', error: (err as Error).message }] };
  }
}
