import { constants, gunzipSync } from 'node:zlib';
import { FormatError } from './errors.js';
import { tooLarge, type SizeLimit } from './limits.js';

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Returns the bytes, inflated when they are gzip, so every format reads gzip
 * transparently. Inflating stops at the format's limit: zlib holds at most
 * that much before the refusal (the CLI inflates as a stream, and refuses a
 * bomb the same way before it gets here).
 */
export function maybeGunzip(bytes: Uint8Array, limit: SizeLimit): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  try {
    return gunzipSync(bytes, { maxOutputLength: limit.bytes });
  } catch (err) {
    throw gzipError(err as NodeJS.ErrnoException, limit);
  }
}

/** zlib's failures as one-line FormatErrors (shared by the in-memory and the streaming inflate). */
export function gzipError(e: NodeJS.ErrnoException, limit?: SizeLimit): FormatError {
  if (limit && (e.code === 'ERR_BUFFER_TOO_LARGE' || /Cannot create a Buffer larger/.test(e.message))) return tooLarge(limit, true);
  if (e.code === 'Z_BUF_ERROR' || /unexpected end/i.test(e.message)) {
    return new FormatError('truncated gzip data (the file ends before the compressed stream does)');
  }
  return new FormatError(`corrupt gzip data: ${e.message}`);
}

/**
 * The first bytes an input inflates to, for sniffing without inflating all of
 * it: only the first `compressed` bytes are inflated (a cut stream is fine
 * here), so the output is bounded whatever the input. Not gzip: the bytes.
 */
export function inflatedHead(bytes: Uint8Array, compressed = 4096): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  try {
    // Deflate expands at most 1032:1, so this bound is never the reason to stop.
    return gunzipSync(bytes.subarray(0, compressed), { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: compressed * 1032 + 1024 });
  } catch {
    return new Uint8Array(0);
  }
}
