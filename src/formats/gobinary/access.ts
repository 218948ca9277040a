import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { FormatError } from '../errors.js';

/**
 * Random access to an executable. Binaries are large (the Go compiler is
 * 18-26 MB) and symbolising needs only their headers and a few sections, so
 * the reader asks for byte ranges instead of holding the whole file.
 */
export interface RandomAccess {
  readonly size: number;
  /** Exactly `length` bytes at `offset`; a FormatError when the range is not inside the file. */
  read(offset: number, length: number): Uint8Array;
  close?(): void;
}

export function bytesAccess(bytes: Uint8Array): RandomAccess {
  return {
    size: bytes.length,
    read(offset, length) {
      checkRange(offset, length, bytes.length);
      return bytes.subarray(offset, offset + length);
    },
  };
}

export function fileAccess(path: string): RandomAccess {
  const fd = openSync(path, 'r');
  let size: number;
  try {
    size = fstatSync(fd).size;
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  return {
    size,
    read(offset, length) {
      checkRange(offset, length, size);
      const out = new Uint8Array(length);
      let done = 0;
      while (done < length) {
        const n = readSync(fd, out, done, length - done, offset + done);
        if (n === 0) throw new FormatError(`the file ends before byte ${offset + length}`, undefined, offset + done);
        done += n;
      }
      return out;
    },
    close: () => closeSync(fd),
  };
}

function checkRange(offset: number, length: number, size: number): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > size) {
    throw new FormatError(`${length} bytes at offset ${offset} are outside the ${size}-byte file`, undefined, offset);
  }
}
