import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DoctorInput, Sourced } from '../analyze/doctor/types.js';
import { FormatError } from '../formats/errors.js';
import { decodeExpvarMemStats } from '../formats/expvar/index.js';
import { decodeGoroutineInput } from '../formats/goroutines/index.js';
import { decodeProfile } from '../formats/index.js';
import { parseSmaps, parseSmapsRollup, parseStatus } from '../formats/procfs/index.js';
import { fileSource } from '../formats/trace/index.js';
import { inexactNotes } from '../model/inexact.js';
import type { Profile } from '../model/profile.js';
import { readManifest, type ArtefactKind, type ManifestEntry } from './manifest.js';

/**
 * Reads a capture folder (collect/capture.ts) into the doctor's input. A
 * file that does not decode is a failed artefact like a failed request —
 * named, with its reason — not the end of the diagnosis.
 */
export function loadCapture(dir: string): DoctorInput {
  const manifest = readManifest(dir);
  const input: DoctorInput = {
    target: manifest.target,
    window: { startedAt: manifest.startedAt, windowMs: manifest.windowMs, elapsedMs: manifest.elapsedMs, interrupted: manifest.interrupted },
    heaps: [],
    vars: [],
    captures: [],
    notes: [...manifest.notes],
    ...(manifest.pid !== null ? { proc: { pid: manifest.pid } } : {}),
  };
  const started = Date.parse(manifest.startedAt);
  for (const entry of manifest.artefacts) {
    const record = { name: entry.name, from: entry.from, ...(entry.file ? { file: entry.file } : {}) };
    if (entry.status !== 'ok' || !entry.file) {
      input.captures.push({ ...record, status: 'failed', error: entry.error ?? 'failed' });
      continue;
    }
    try {
      place(input, entry, join(dir, entry.file), started);
      input.captures.push({ ...record, status: 'ok' });
    } catch (err) {
      if (!(err instanceof FormatError)) throw err;
      input.captures.push({ ...record, status: 'failed', error: err.message });
    }
  }
  input.heaps.sort((a, b) => (a.atMs ?? 0) - (b.atMs ?? 0));
  input.vars.sort((a, b) => a.atMs - b.atMs);
  return input;
}

/** Decodes one artefact and puts it where the doctor looks for its kind. */
function place(input: DoctorInput, entry: ManifestEntry, path: string, started: number): void {
  const file = entry.file!;
  const bytes = () => readFileSync(path);
  /** Every profile read, with a note when a double cannot hold some of its integers (model/inexact.ts). */
  const decode = (): Profile => noted(input, decodeProfile(bytes(), file), file);
  const profile = (): Sourced<Profile> => ({ source: file, value: decode() });
  const kind: ArtefactKind = entry.kind;
  switch (kind) {
    case 'heap': {
      const p = decode();
      input.heaps.push({ profile: p, source: file, atMs: p.timeNanos > 0n ? Number(p.timeNanos / 1_000_000n) : started + (entry.endMs ?? entry.startMs) });
      return;
    }
    case 'heap-text': {
      const p = decode();
      if (p.memStats) input.memStats = { source: file, value: p.memStats };
      return;
    }
    case 'allocs':
      input.allocs = profile();
      return;
    case 'mutex':
      input.mutex = profile();
      return;
    case 'block':
      input.block = profile();
      return;
    case 'mutex-text':
      input.mutexFraction = samplingPeriod(new TextDecoder().decode(bytes()), file);
      return;
    case 'block-text':
      input.blockRecorded = decode().samples.count > 0;
      return;
    case 'goroutine': {
      const g = { source: file, value: decodeGoroutineInput(bytes(), file) };
      if (entry.name.endsWith('start')) input.goroutinesStart = g;
      else input.goroutinesEnd = g;
      return;
    }
    case 'goroutine-dump':
      input.goroutineDump = { source: file, value: decodeGoroutineInput(bytes(), file) };
      return;
    case 'vars': {
      input.vars.push({ source: file, value: decodeExpvarMemStats(bytes(), file), atMs: started + (entry.endMs ?? entry.startMs) });
      return;
    }
    case 'trace':
      input.trace = { source: file, value: fileSource(path) };
      return;
    case 'proc-smaps-rollup':
      (input.proc ??= { pid: null }).smapsRollup = { source: file, value: parseSmapsRollup(text(path), file) };
      return;
    case 'proc-status':
      (input.proc ??= { pid: null }).status = { source: file, value: parseStatus(text(path), file) };
      return;
    case 'proc-smaps':
      (input.proc ??= { pid: null }).smaps = { source: file, value: parseSmaps(text(path), file) };
      return;
  }
}

function noted(input: DoctorInput, p: Profile, file: string): Profile {
  for (const note of inexactNotes(p, file)) input.notes.push(note);
  return p;
}

function text(path: string): string {
  return readFileSync(path, 'utf8');
}

/** `sampling period=N` of a debug=1 mutex profile: runtime.SetMutexProfileFraction's value, 0 when off. */
function samplingPeriod(text: string, file: string): number {
  const m = /^sampling period=(\d+)$/m.exec(text.slice(0, 4096));
  if (!m) throw new FormatError('no "sampling period=" line: not a debug=1 mutex profile', file);
  return Number(m[1]);
}
