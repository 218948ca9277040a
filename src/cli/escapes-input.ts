import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { decodeEscapeJsonFiles, decodeEscapes, type EscapeReport } from '../formats/escape/index.js';
import { FormatError } from '../formats/errors.js';
import { readInput } from './load.js';

/**
 * The compiler's escape output from wherever the user has it: a file of -m /
 * -m=2 stderr or a single -json file, `-` for stdin, or a `-json=0,DIR`
 * folder (every *.json under it, as the compiler lays them out per package).
 */
export function loadEscapeOutput(path: string): EscapeReport {
  if (path === '-') return decodeEscapes(readStdin(), '<stdin>');
  if (isDirectory(path)) return decodeEscapeJsonFiles(jsonFilesUnder(path).map((f) => ({ source: f, bytes: readInput(f) })));
  return decodeEscapes(readInput(path), path);
}

function readStdin(): Uint8Array {
  try {
    return readFileSync(0);
  } catch (err) {
    throw new FormatError(`cannot read: ${(err as Error).message}`, '<stdin>');
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false; // readInput reports the missing file
  }
}

function jsonFilesUnder(dir: string): string[] {
  const files = (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.json')).sort();
  if (files.length === 0) throw new FormatError('no .json files: expected the folder given to -gcflags=-json=0,DIR', dir);
  return files.map((f) => join(dir, f));
}
