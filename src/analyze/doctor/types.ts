import type { ByteSource } from '../../formats/trace/index.js';
import type { Mapping, MemoryFields, ProcStatus } from '../../formats/procfs/index.js';
import type { GoroutineInput } from '../../model/goroutines.js';
import type { MemStats, Profile } from '../../model/profile.js';
import type { Finding, FindingKind } from '../finding.js';
import type { Snapshot } from '../heap/types.js';
import type { GoroutinesByFunction, UserSpans } from '../trace/types.js';

/** Where a finding was seen; a merged finding lists every domain that saw its cause. */
export type Domain = 'heap profile' | 'MemStats' | 'goroutines' | 'mutex profile' | 'block profile' | 'execution trace';

/** A doctor finding: the shared shape, plus which domains saw its cause and the findings merged into it. */
export type DoctorFinding = Finding & { seenIn: Domain[]; merged: { kind: FindingKind; domain: Domain; title: string }[] };

/** A profile with the file it came from, for evidence and errors. */
export interface Sourced<T> {
  source: string;
  value: T;
}

/** Everything one capture of a live service holds, decoded (see collect/load.ts). */
export interface DoctorInput {
  target: string;
  window: DoctorWindow;
  /** Heap profiles over the window, in time order. */
  heaps: Snapshot[];
  /** Allocation, mutex and block profiles computed by the runtime over the window (`?seconds=`). */
  allocs?: Sourced<Profile>;
  mutex?: Sourced<Profile>;
  block?: Sourced<Profile>;
  /** The mutex profile's sampling fraction (0 = off), from its debug=1 text; undefined when unknown. */
  mutexFraction?: number;
  /** Whether the block profile has recorded anything since the process started (false = most likely off). */
  blockRecorded?: boolean;
  goroutinesStart?: Sourced<GoroutineInput>;
  goroutinesEnd?: Sourced<GoroutineInput>;
  /** One debug=2 dump at the end: states, wait times, creators, lock addresses. */
  goroutineDump?: Sourced<GoroutineInput>;
  /** MemStats at the end (heap?debug=1 footer). */
  memStats?: Sourced<MemStats>;
  /** /debug/vars MemStats with each heap profile, in time order, when the service has expvar. */
  vars: (Sourced<MemStats> & { atMs: number })[];
  trace?: Sourced<ByteSource>;
  proc?: ProcInput;
  /** Every artefact of the capture, whether it arrived, and why not. */
  captures: CaptureRecord[];
  /** What the capture noticed (interrupted, absent endpoints). */
  notes: string[];
}

export interface CaptureRecord {
  name: string;
  from: string;
  file?: string;
  status: 'ok' | 'failed';
  error?: string;
}

export interface DoctorWindow {
  startedAt: string;
  /** Asked for, and how long the capture ran (null when it never finished writing). */
  windowMs: number;
  elapsedMs: number | null;
  interrupted: boolean;
}

export interface ProcInput {
  pid: number | null;
  smapsRollup?: Sourced<MemoryFields>;
  status?: Sourced<ProcStatus>;
  smaps?: Sourced<Mapping[]>;
}

/** One part of the resident set; the parts add up to `RssBreakdown.bytes`. */
export interface RssPart {
  name: string;
  bytes: number;
  /** Where the figure comes from (MemStats fields, smaps), in words. */
  basis: string;
}

export interface RssBreakdown {
  /** Resident set size from /proc/PID/smaps_rollup (or status VmRSS). */
  bytes: number;
  parts: RssPart[];
  /** What returning memory would change, as measured now. */
  levers: { name: string; /** The figure the lever is about (bytes returned, the floor, LazyFree). */ bytes: number; text: string }[];
  notes: string[];
}

/** Headline figures per domain, for the page's curves and for comparing two captures. */
export interface DomainFigures {
  heap?: { inuseBytes: { atMs: number | null; bytes: number }[]; allocatedBytesPerSecond: number | null };
  goroutines?: { start: number | null; end: number | null };
  contention?: { mutexDelayNs: number | null; blockDelayNs: number | null };
  gc?: { cyclesPerSecond: number | null; cpuFraction: number | null; pauseNsPerSecond: number | null };
  /**
   * Goroutines over the heap (seed 4.2): per function goroutines run, how many the trace saw created and
   * how long they lived, and what the stacks under that function allocated over the window (allocs delta).
   */
  goroutineWork?: GoroutineWork[];
  /** runtime/trace tasks and regions seen in the trace, when the program makes any. */
  tasks?: UserSpans;
  /** The trace's heap and goroutine curves on one time axis (ms from the trace's start). */
  traceCurves?: { heapBytes: [number, number][]; goroutines: [number, number][] };
}

/** The trace's goroutines per entry function, with what they allocated. */
export interface GoroutineWork extends GoroutinesByFunction {
  /** Bytes allocated under this entry function over the window; null without an allocs profile. */
  allocatedBytes: number | null;
  /** The trace's span, for reading `created` as a rate. */
  traceNs: number;
}

export interface Diagnosis {
  target: string;
  window: DoctorWindow;
  /** Most important first: what holds memory, then what costs CPU. */
  findings: DoctorFinding[];
  rss?: RssBreakdown;
  captures: CaptureRecord[];
  figures: DomainFigures;
  /** Things the user should know about the data (profiling off, requests failed, interrupted). */
  notes: string[];
}
