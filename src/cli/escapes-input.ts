import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { admitEscapes, decodeEscapeJsonFiles, decodeEscapes, type EscapeReport } from '../formats/escape/index.js';
import { FormatError } from '../formats/errors.js';
import { type Inputs } from './input/index.js';

/**
 * The compiler's escape output from wherever the user has it: a file of -m /
 * -m=2 stderr or a single -json file, `-` for stdin, a URL, or a
 * `-json=0,DIR` folder (every *.json under it, as the compiler lays them out
 * per package).
 */
export async function loadEscapeOutput(inputs: Inputs, spec: string): Promise<EscapeReport> {
  if (isDirectory(spec)) {
    const files = [];
    for (const f of jsonFilesUnder(spec)) files.push({ source: f, bytes: (await inputs.read(f, admitEscapes)).bytes });
    return decodeEscapeJsonFiles(files);
  }
  const { name, bytes } = await inputs.read(spec, admitEscapes);
  return decodeEscapes(bytes, name);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false; // reading it reports the missing file
  }
}

function jsonFilesUnder(dir: string): string[] {
  const files = (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.json')).sort();
  if (files.length === 0) throw new FormatError('no .json files: expected the folder given to -gcflags=-json=0,DIR', dir);
  return files.map((f) => join(dir, f));
}
