import { gunzipSync } from 'node:zlib';
import { FormatError } from './errors.js';

/** Largest decompressed size accepted; a gzip bomb gets a clear error instead of exhausting memory. */
export const MAX_INFLATED_BYTES = 2 ** 31 - 1;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Returns the bytes, inflated when they are gzip, so every format reads gzip transparently. */
export function maybeGunzip(bytes: Uint8Array, maxOutputLength = MAX_INFLATED_BYTES): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  try {
    return gunzipSync(bytes, { maxOutputLength });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ERR_BUFFER_TOO_LARGE' || /Cannot create a Buffer larger/.test(e.message)) {
      throw new FormatError(`gzip data inflates to more than ${maxOutputLength} bytes`);
    }
    if (e.code === 'Z_BUF_ERROR' || /unexpected end/i.test(e.message)) {
      throw new FormatError('truncated gzip data (the file ends before the compressed stream does)');
    }
    throw new FormatError(`corrupt gzip data: ${e.message}`);
  }
}
