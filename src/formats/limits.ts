import { formatBytes } from '../model/units.js';
import { FormatError } from './errors.js';

/**
 * The most footprint reads of one input, per format. Every format except
 * execution traces is decoded from the whole (inflated) input in memory, so
 * an input may not be larger than its format ever is in practice: a bigger
 * one (a gzip bomb, a device, an endless pipe) is refused as soon as it
 * passes the limit, and memory at the refusal is the limit, not the input.
 * Traces are decoded a generation at a time and have no limit.
 */
export interface SizeLimit {
  bytes: number;
  /** What the limit is for, as an error message words it ("a profile"). */
  what: string;
}

const MiB = 2 ** 20;

export const LIMITS = {
  /**
   * profile.proto and legacy text. The bench's 400k-stack heap profile is 20 MB of proto (pprof needs 1 GB
   * to read it); the Go compiler's memprofile of go/types, the largest legacy text seen, about 100 MB.
   */
  profile: { bytes: 256 * MiB, what: 'a profile' },
  /** Tracebacks. The runtime stops a debug=2 dump at 64 MB; a crash dump of a million goroutines is about 200 MB. */
  goroutineDump: { bytes: 256 * MiB, what: 'a goroutine dump' },
  /** A gctrace line is ~150 bytes: 256 MiB is 1.7 million GC cycles, three weeks at one per second. */
  gctrace: { bytes: 256 * MiB, what: 'a gctrace log' },
  /** Compiler output of -m, -m=2 or one -json file. */
  escapes: { bytes: 256 * MiB, what: 'escape-analysis output' },
  /** /debug/vars is a few KiB of MemStats plus whatever the program publishes. */
  expvar: { bytes: 16 * MiB, what: 'an expvar document' },
  /**
   * A heap dump is about the size of the heap. A plain file is read in place, piece by piece, without
   * this limit; a gzipped, piped or fetched one is inflated into memory first, up to this.
   */
  heapDump: { bytes: 2048 * MiB, what: 'a heap dump held in memory (gunzip it to a file: a plain file has no limit)' },
} as const satisfies Record<string, SizeLimit>;

/** The largest of the limits: how much a reader takes before it knows the format. */
export const MAX_LIMIT_BYTES = Object.values(LIMITS).reduce((most, l) => Math.max(most, l.bytes), 0);

/**
 * How much of an input's start (inflated) is looked at to recognise it before
 * the rest is read: every sniffer's window fits in it.
 */
export const HEAD_BYTES = 64 * 1024;

/**
 * Picks the limit for an input from its head (at most HEAD_BYTES, inflated),
 * or throws the decoder's own FormatError when the head shows it is no format
 * the caller reads — so /dev/zero or random bytes are refused after 64 KiB,
 * not after the limit.
 */
export type Admit = (head: Uint8Array) => SizeLimit;

/** The error for an input past its limit; `inflated` when it is gzip that inflates past it. */
export function tooLarge(limit: SizeLimit, inflated: boolean, size?: number): FormatError {
  const most = `${formatBytes(limit.bytes)}, the most footprint reads of ${limit.what}`;
  if (inflated) return new FormatError(`gzip data inflates to more than ${most}`);
  return new FormatError(size === undefined ? `larger than ${most}` : `${formatBytes(size)} is more than ${most}`);
}

/** True when the start of the input holds a NUL: no text format footprint reads has one. */
export function looksBinary(head: Uint8Array, window = 4096): boolean {
  return head.subarray(0, window).includes(0);
}
