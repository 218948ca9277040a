import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { FormatError } from '../formats/errors.js';

/** Reads a file or fails with a FormatError naming it (missing, a directory, unreadable). */
export function readInput(path: string): Uint8Array {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new FormatError('is a directory, not a profile', path);
    size = st.size;
  } catch (err) {
    if (err instanceof FormatError) throw err;
    const e = err as NodeJS.ErrnoException;
    throw new FormatError(e.code === 'ENOENT' ? 'no such file' : `cannot read: ${e.message}`, path);
  }
  if (size > 2 ** 31 - 1) throw new FormatError(`file of ${size} bytes is too large to read`, path);
  try {
    return readFileSync(path);
  } catch (err) {
    throw new FormatError(`cannot read: ${(err as Error).message}`, path);
  }
}

/**
 * The first two bytes of a file (enough to tell gzip), with the same
 * one-line errors as readInput for missing files and folders; `what` names
 * the input a folder is not.
 */
export function readHead(file: string, what: string): Uint8Array {
  const head = new Uint8Array(2);
  let fd: number | undefined;
  try {
    if (statSync(file).isDirectory()) throw new FormatError(`is a directory, not ${what}`, file);
    fd = openSync(file, 'r');
    readSync(fd, head, 0, 2, 0);
  } catch (err) {
    if (err instanceof FormatError) throw err;
    const e = err as NodeJS.ErrnoException;
    throw new FormatError(e.code === 'ENOENT' ? 'no such file' : `cannot read: ${e.message}`, file);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return head;
}
