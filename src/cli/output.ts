import { writeFileSync } from 'node:fs';
import { EXIT } from '../model/errors.js';
import type { Io } from './io.js';

/**
 * Writes a file a command was asked for (--html, -o) after its report has
 * been printed: a path that cannot be written costs the user that file, not
 * the report. Returns the exit code: 0, or 2 with one line on stderr.
 */
export function writeOutput(io: Io, command: string, path: string, content: string | Uint8Array, announce: boolean): number {
  try {
    writeFileSync(path, content);
  } catch (err) {
    io.err(`footprint ${command}: cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`);
    return EXIT.usage;
  }
  if (announce) io.out(`Wrote ${path}\n`);
  return EXIT.ok;
}
