import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/**
 * Bytes that can be read at any position: a file (read piece by piece, so
 * a 1 GB heap dump never has to be in memory whole) or bytes already in
 * memory (an inflated gzip, stdin). Formats whose records point back into
 * what came before (a heap dump's pointer offsets follow the object they
 * describe) and tables found through headers (an ELF symbol table) read
 * through it.
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
  const size = fstatSync(fd).size;
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

/** `length` bytes at `position` (fewer at the end of the input). */
export function readRange(source: RandomAccess, position: number, length: number): Uint8Array {
  if (source.bytes) return source.bytes.subarray(position, position + length);
  const out = new Uint8Array(Math.max(0, Math.min(length, source.size - position)));
  const n = source.readAt(out, 0, out.length, position);
  return out.subarray(0, n);
}
