import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FormatError } from '../formats/errors.js';

/** What each captured file holds; `footprint doctor DIR` reads them by kind. */
export type ArtefactKind =
  | 'heap'
  | 'heap-text'
  | 'allocs'
  | 'mutex'
  | 'mutex-text'
  | 'block'
  | 'block-text'
  | 'goroutine'
  | 'goroutine-dump'
  | 'vars'
  | 'trace'
  | 'proc-smaps-rollup'
  | 'proc-smaps'
  | 'proc-status';

export interface ManifestEntry {
  /** Unique within the capture, e.g. `heap-2`. */
  name: string;
  kind: ArtefactKind;
  /** File name inside the capture folder, when something was written. */
  file?: string;
  /** Where it came from: a URL or a /proc path. */
  from: string;
  /** Milliseconds after the capture started, when the request was sent and when it finished. */
  startMs: number;
  endMs?: number;
  bytes?: number;
  status: 'ok' | 'failed';
  /** Why it failed, one line. */
  error?: string;
}

export interface Manifest {
  format: 'footprint-capture';
  version: 1;
  /** The service's base URL. */
  target: string;
  pid: number | null;
  /** ISO time the capture started. */
  startedAt: string;
  /** The window asked for, and how long the capture actually ran. */
  windowMs: number;
  elapsedMs: number | null;
  /** Ctrl-C (or a signal) ended the capture early; what arrived is kept. */
  interrupted: boolean;
  artefacts: ManifestEntry[];
  /** Things the capture noticed, in plain words (e.g. mutex profiling is off). */
  notes: string[];
}

export const MANIFEST_FILE = 'manifest.json';

/** Written whole to a temporary name then renamed, so a reader never sees half a manifest. */
export function writeManifest(dir: string, m: Manifest): void {
  const tmp = join(dir, `${MANIFEST_FILE}.part`);
  writeFileSync(tmp, `${JSON.stringify(m, null, 2)}\n`);
  renameSync(tmp, join(dir, MANIFEST_FILE));
}

export function readManifest(dir: string): Manifest {
  const path = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new FormatError(e.code === 'ENOENT' ? 'not a footprint capture: no manifest.json' : `cannot read: ${e.message}`, dir);
  }
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    throw new FormatError('manifest.json is not valid JSON', path);
  }
  if (!isManifest(m)) throw new FormatError('manifest.json is not a footprint capture manifest (format, version 1, artefacts)', path);
  return m;
}

function isManifest(m: unknown): m is Manifest {
  if (typeof m !== 'object' || m === null) return false;
  const o = m as Record<string, unknown>;
  return o.format === 'footprint-capture' && o.version === 1 && typeof o.target === 'string' && Array.isArray(o.artefacts);
}
