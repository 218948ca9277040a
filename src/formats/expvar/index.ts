import type { MemStats } from '../../model/profile.js';
import { FormatError } from '../errors.js';
import { inflatedHead, maybeGunzip } from '../gzip.js';
import { admitProfile } from '../index.js';
import { LIMITS, type SizeLimit } from '../limits.js';

/** True when the bytes (gzipped or not) look like a JSON object (what /debug/vars serves). Never throws. */
export function sniffExpvar(bytes: Uint8Array): boolean {
  for (const b of inflatedHead(bytes).subarray(0, 64)) {
    if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) continue;
    return b === 0x7b; // '{'
  }
  return false;
}

/** The size limit for an input that may be an expvar document or a profile (see Admit). */
export function admitExpvarOrProfile(head: Uint8Array): SizeLimit {
  return sniffExpvar(head) ? LIMITS.expvar : admitProfile(head);
}

/**
 * The `memstats` of an expvar /debug/vars document (expvar publishes
 * runtime.MemStats under that name), keyed by the runtime's field names.
 * Numbers beyond 2^53 (LastGC, PauseEnd) lose precision in JSON.parse; the
 * breakdown does not use them.
 */
export function decodeExpvarMemStats(bytes: Uint8Array, source: string): MemStats {
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder('utf-8', { fatal: false }).decode(maybeGunzip(bytes, LIMITS.expvar)));
  } catch (err) {
    if (err instanceof FormatError) throw err.withSource(source);
    throw new FormatError(`not valid JSON: ${(err as Error).message}`, source);
  }
  const memstats = typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>)['memstats'] : undefined;
  if (typeof memstats !== 'object' || memstats === null || Array.isArray(memstats)) {
    throw new FormatError('JSON without a "memstats" object: not an expvar /debug/vars document', source);
  }
  const out: MemStats = {};
  for (const [k, v] of Object.entries(memstats as Record<string, unknown>)) {
    if (typeof v === 'number' || typeof v === 'boolean') out[k] = v;
    else if (Array.isArray(v) && v.every((x) => typeof x === 'number')) out[k] = v as number[];
  }
  if (typeof out['HeapAlloc'] !== 'number') throw new FormatError('"memstats" has no HeapAlloc: not runtime.MemStats', source);
  return out;
}
