import type { GcTrace } from '../../model/gctrace.js';
import { FormatError } from '../errors.js';
import { maybeGunzip } from '../gzip.js';
import { parseGcTrace, requireCycles } from './parse.js';

export { parseGcTrace, requireCycles } from './parse.js';

/** How much of the start is checked for binary content. */
const SNIFF_BYTES = 4096;
/** V8 strings stop at about 512 MiB; a log that size is read as text in one piece or not at all. */
const MAX_TEXT_BYTES = 512 * 2 ** 20 - 64;

/** True when the bytes hold at least one gctrace line near the start. */
export function sniffGcTrace(bytes: Uint8Array): boolean {
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 64 * 1024));
  return /(^|\n)[^\n]*gc \d+ @\d+\.\d+s \d+%: /.test(head);
}

/**
 * Decodes a gctrace log (plain or gzipped) as it was captured from stderr.
 * Throws a FormatError for binary input and for text without a gc line.
 */
export function decodeGcTrace(bytes: Uint8Array, source: string): GcTrace {
  let plain: Uint8Array;
  try {
    plain = maybeGunzip(bytes);
  } catch (err) {
    throw err instanceof FormatError ? err.withSource(source) : err;
  }
  if (plain.length > MAX_TEXT_BYTES) {
    throw new FormatError(
      `log of ${plain.length} bytes is over the 512 MiB footprint reads at once; keep the gctrace lines (grep -E 'gc |scav ') or a tail`,
      source,
    );
  }
  if (plain.length === 0) throw new FormatError('empty file, not a gctrace log', source);
  if (plain.subarray(0, SNIFF_BYTES).includes(0)) {
    throw new FormatError('binary data, not a gctrace log (a pprof profile goes to footprint top)', source);
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(plain);
  return requireCycles(parseGcTrace(text), source);
}
export { splitGcProcesses } from './processes.js';
