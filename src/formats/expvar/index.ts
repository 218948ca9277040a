import type { MemStats } from '../../model/profile.js';
import { FormatError } from '../errors.js';
import { maybeGunzip } from '../gzip.js';

/** True when the bytes look like a JSON object (what /debug/vars serves). */
export function sniffExpvar(bytes: Uint8Array): boolean {
  const plain = maybeGunzip(bytes.subarray(0, 64 * 1024 * 1024));
  for (const b of plain.subarray(0, 64)) {
    if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) continue;
    return b === 0x7b; // '{'
  }
  return false;
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
    doc = JSON.parse(new TextDecoder('utf-8', { fatal: false }).decode(maybeGunzip(bytes)));
  } catch (err) {
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
