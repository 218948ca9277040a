import { readFileSync, statSync } from 'node:fs';
import { FormatError } from '../formats/errors.js';

/** Inputs that are not files: stored snapshots (stored-input.ts), by the argument that named them. */
const provided = new Map<string, Uint8Array>();

export function provideInput(name: string, bytes: Uint8Array): void {
  provided.set(name, bytes);
}

/** Reads a file (or a provided input) or fails with a FormatError naming it (missing, a directory, unreadable). */
export function readInput(path: string): Uint8Array {
  const given = provided.get(path);
  if (given) return given;
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
