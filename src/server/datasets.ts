import { analyzeContention } from '../analyze/contention/index.js';
import type { Diagnosis, DoctorInput } from '../analyze/doctor/types.js';
import { diagnose } from '../analyze/doctor/index.js';
import type { Finding } from '../analyze/finding.js';
import { analyzeHeap } from '../analyze/heap/index.js';
import { decodeGcTrace, sniffGcTrace, splitGcProcesses } from '../formats/gctrace/index.js';
import { decodeGoroutineInputs, sniffGoroutineDump } from '../formats/goroutines/index.js';
import { maybeGunzip } from '../formats/gzip.js';
import { MAX_LIMIT_BYTES, type SizeLimit } from '../formats/limits.js';
import { decodeProfile } from '../formats/index.js';
import { sniffExpvar } from '../formats/expvar/index.js';
import { bytesSource, sniffTrace, type ByteSource } from '../formats/trace/index.js';
import { WrongInputError } from '../model/errors.js';
import type { GcTrace } from '../model/gctrace.js';
import type { GoroutineInput } from '../model/goroutines.js';
import type { Profile } from '../model/profile.js';
import { combineSources } from '../report/sources.js';
import type { SnapshotStore } from './snapshot-store.js';

/**
 * What one `footprint ui` session shows: the inputs sorted by kind, decoded
 * once. Each view reads its own kind (profiles → flame graph, gctrace logs →
 * GC timeline, traces → trace timeline, goroutine inputs → goroutines).
 */
export interface Datasets {
  title: string;
  profiles: ProfileSet[];
  gcLogs: { name: string; trace: GcTrace }[];
  traces: { name: string; source: ByteSource }[];
  goroutines: { name: string; input: GoroutineInput }[];
  /** Findings known without running a view's analysis (a capture's diagnosis). */
  diagnosis?: Diagnosis;
  /** A store of snapshots (footprint ui --store): listed, its history analysed, any snapshot opened on request. */
  store?: SnapshotStore;
  notes: string[];
}

export interface ProfileSet {
  name: string;
  /** What the profile is, for the findings' links: heap, allocs, mutex, block, goroutine, cpu… */
  kind: string;
  profile: Profile;
  /** Combined with --diff_base: base samples negated and labelled pprof::base. */
  diff: boolean;
}

/** A file given on the command line: its name and bytes (gzipped or not). */
export interface NamedBytes {
  name: string;
  bytes: Uint8Array;
}

/**
 * How large one input may be: any format footprint reads can be opened and
 * is recognised after it is read, so the largest format's limit; traces are
 * held whole here too (the trace view analyses them on request).
 */
export const ANY_INPUT: SizeLimit = { bytes: MAX_LIMIT_BYTES, what: 'an input to footprint ui' };

/** Sorts files by what their content is, decoding each (a FormatError names the file that failed). */
export function datasetsFromFiles(files: readonly NamedBytes[], diffBase?: NamedBytes): Datasets {
  const sets: Datasets = { title: files.map((f) => f.name).join(', '), profiles: [], gcLogs: [], traces: [], goroutines: [], notes: [] };
  const base = diffBase ? { profile: decodeProfile(diffBase.bytes, diffBase.name), name: diffBase.name } : undefined;
  for (const file of files) {
    const data = maybeGunzip(file.bytes, ANY_INPUT);
    const head = data.subarray(0, 4096);
    if (sniffTrace(head)) sets.traces.push({ name: file.name, source: bytesSource(data) });
    else if (sniffGcTrace(data)) addGcLog(sets, file.name, decodeGcTrace(data, file.name));
    else if (sniffGoroutineDump(head) || sniffGoroutineDump(data)) {
      for (const input of decodeGoroutineInputs(data, file.name)) sets.goroutines.push({ name: file.name, input });
    } else if (sniffExpvar(head)) sets.notes.push(`${file.name}: /debug/vars is read by footprint heap and doctor; the UI has no view of it`);
    else {
      const profile = decodeProfile(data, file.name);
      // A goroutine profile is also a goroutine input (groups and states): the same bytes read as one.
      if (profileKind(profile) === 'goroutine') for (const input of decodeGoroutineInputs(data, file.name)) sets.goroutines.push({ name: file.name, input });
      sets.profiles.push(profileSet(file.name, profile, base));
    }
  }
  if (base && sets.profiles.length === 0) throw new WrongInputError('--diff_base needs a profile to compare with');
  return sets;
}

function addGcLog(sets: Datasets, name: string, trace: GcTrace): void {
  const processes = splitGcProcesses(trace);
  if (processes.length === 1) sets.gcLogs.push({ name, trace });
  else for (const p of processes) sets.gcLogs.push({ name: `${name} (process ${p.index}${p.label ? `: ${p.label}` : ''})`, trace: p.trace });
}

/** A profile to show, or with a base, the two combined as pprof's --diff_base does (base negated). */
export function profileSet(name: string, profile: Profile, base?: { profile: Profile; name: string }): ProfileSet {
  const kind = profileKind(profile);
  if (!base) return { name, kind, profile, diff: false };
  try {
    return { name: `${name} − ${base.name}`, kind, profile: combineSources([profile], { base: [base.profile], baseMode: 'diff_base' }), diff: true };
  } catch (err) {
    throw new WrongInputError(`cannot compare ${name} with --diff_base ${base.name}: ${(err as Error).message}`);
  }
}

/** A profile's kind from its sample types, as the runtime names its profiles. */
export function profileKind(p: Profile): string {
  const types = p.sampleTypes.map((t) => t.type);
  // The runtime writes heap and allocs profiles alike; only the default sample type tells them apart.
  if (types.includes('inuse_space')) return p.defaultSampleType === 'alloc_space' ? 'allocs' : 'heap';
  if (types.includes('alloc_space')) return 'allocs';
  if (types.includes('goroutine') || types.includes('goroutineleak')) return 'goroutine';
  if (types.includes('delay')) return p.contentionText?.kind ?? 'contention';
  if (types.includes('cpu')) return 'cpu';
  return types[types.length - 1] ?? 'profile';
}

/** A capture folder (footprint doctor): its profiles, goroutines and trace, and the doctor's diagnosis. */
export function datasetsFromCapture(dir: string, input: DoctorInput): Datasets {
  const sets: Datasets = { title: `capture ${dir} (from ${input.target})`, profiles: [], gcLogs: [], traces: [], goroutines: [], notes: [...input.notes], diagnosis: diagnose(input) };
  const lastHeap = input.heaps[input.heaps.length - 1];
  if (lastHeap) sets.profiles.push({ name: lastHeap.source, kind: 'heap', profile: lastHeap.profile, diff: false });
  if (input.allocs) sets.profiles.push({ name: input.allocs.source, kind: 'allocs', profile: input.allocs.value, diff: false });
  if (input.mutex) sets.profiles.push({ name: input.mutex.source, kind: 'mutex', profile: input.mutex.value, diff: false });
  if (input.block) sets.profiles.push({ name: input.block.source, kind: 'block', profile: input.block.value, diff: false });
  for (const g of [input.goroutinesStart, input.goroutinesEnd, input.goroutineDump]) {
    if (g) sets.goroutines.push({ name: g.source, input: g.value });
  }
  if (input.trace) sets.traces.push({ name: input.trace.source, source: input.trace.value });
  return sets;
}

/** Findings of a profile by its kind: the heap doctor for heap and allocs, the contention analysis for mutex and block. */
export function profileFindings(set: ProfileSet): Finding[] {
  if (set.diff) return [];
  if (set.kind === 'heap' || set.kind === 'allocs') return analyzeHeap({ snapshots: [{ profile: set.profile, source: set.name, atMs: null }] }).findings;
  if (set.kind === 'mutex' || set.kind === 'block' || set.kind === 'contention') return analyzeContention(set.profile, { source: set.name }).findings;
  return [];
}
