import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { FormatError } from './errors.js';

/**
 * Bytes that can be read at any position: a file (read piece by piece, so a
 * 1 GB heap dump or a 26 MB executable never has to be in memory whole) or
 * bytes already in memory (an inflated gzip, stdin). Formats whose records
 * point back into what came before (a heap dump's pointer offsets follow the
 * object they describe) and tables found through headers (an executable's
 * sections and symbols) read through it.
 */
export interface RandomAccess {
  readonly size: number;
  /** The whole input, when it is in memory: readers use it in place instead of copying. */
  readonly bytes?: Uint8Array;
  /** Reads up to `length` bytes at `position` into `into[offset…]`; returns how many (fewer only at the end). */
  readAt(into: Uint8Array, offset: number, length: number, position: number): number;
  close(): void;
}

export function bytesAccess(bytes: Uint8Array): RandomAccess {
  return {
    size: bytes.length,
    bytes,
    readAt(into, offset, length, position) {
      const n = Math.max(0, Math.min(length, bytes.length - position));
      into.set(bytes.subarray(position, position + n), offset);
      return n;
    },
    close() {},
  };
}

/** A file opened for reading; close it when done (the caller owns it). */
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
    readAt(into, offset, length, position) {
      let done = 0;
      while (done < length) {
        const n = readSync(fd, into, offset + done, length - done, position + done);
        if (n === 0) break;
        done += n;
      }
      return done;
    },
    close: () => closeSync(fd),
  };
}

/** `length` bytes at `position` (fewer at the end of the input): in place when the input is in memory. */
function readRange(source: RandomAccess, position: number, length: number): Uint8Array {
  if (source.bytes) return source.bytes.subarray(position, position + length);
  const out = new Uint8Array(Math.max(0, Math.min(length, source.size - position)));
  const n = source.readAt(out, 0, out.length, position);
  return out.subarray(0, n);
}

/**
 * Exactly `length` bytes at `position`, for readers that follow offsets from
 * headers: a range outside the input is a FormatError saying so (a damaged
 * file fails with one line, never a short read or a RangeError).
 */
export function readExactly(source: RandomAccess, position: number, length: number): Uint8Array {
  const { size } = source;
  if (!Number.isSafeInteger(position) || !Number.isSafeInteger(length) || position < 0 || length < 0 || position + length > size) {
    throw new FormatError(`${length} bytes at offset ${position} are outside the ${size}-byte file`, undefined, position);
  }
  const out = readRange(source, position, length);
  // A file that shrank after it was opened.
  if (out.length < length) throw new FormatError(`the file ends before byte ${position + length}`, undefined, position + out.length);
  return out;
}

/** The first `length` bytes of a file (fewer when it is shorter): enough to tell its format without reading it. */
export function fileHead(path: string, length: number): Uint8Array {
  const access = fileAccess(path);
  try {
    return readRange(access, 0, length);
  } finally {
    access.close();
  }
}
