import type { GcTrace } from '../../model/gctrace.js';
import { FormatError } from '../errors.js';
import { maybeGunzip } from '../gzip.js';
import { LIMITS, looksBinary, tooLarge, type SizeLimit } from '../limits.js';
import { parseGcTrace, requireCycles } from './parse.js';

export { parseGcTrace, requireCycles } from './parse.js';

/** True when the bytes hold at least one gctrace line near the start. */
export function sniffGcTrace(bytes: Uint8Array): boolean {
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 64 * 1024));
  return /(^|\n)[^\n]*gc \d+ @\d+\.\d+s \d+%: /.test(head);
}

/** The size limit for reading a gctrace log (see Admit): any text; binary data is refused from its head. */
export function admitGcTrace(head: Uint8Array): SizeLimit {
  if (looksBinary(head)) throw new FormatError('binary data, not a gctrace log (a pprof profile goes to footprint top)');
  return LIMITS.gctrace;
}

/**
 * Decodes a gctrace log (plain or gzipped) as it was captured from stderr.
 * Throws a FormatError for binary input and for text without a gc line.
 */
export function decodeGcTrace(bytes: Uint8Array, source: string): GcTrace {
  let plain: Uint8Array;
  try {
    plain = maybeGunzip(bytes, LIMITS.gctrace);
    if (plain.length === 0) throw new FormatError('empty file, not a gctrace log');
    // Read as one string, which V8 caps at 512 MiB: a log over the limit is refused here too, not by V8.
    if (plain.length > LIMITS.gctrace.bytes) throw tooLarge(LIMITS.gctrace, false, plain.length);
    admitGcTrace(plain);
  } catch (err) {
    throw err instanceof FormatError ? err.withSource(source) : err;
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(plain);
  return requireCycles(parseGcTrace(text), source);
}
export { splitGcProcesses } from './processes.js';
