/**
 * A heap dump as `runtime/debug.WriteHeapDump` writes it (Go 1.22–1.26 all
 * write the `go1.7 heap dump` format; the runtime's heapdump.go is its only
 * specification). Decoded by src/formats/heapdump into columns: a dump of a
 * 1 GB heap holds millions of objects and pointers, so they are typed arrays,
 * never an object each.
 *
 * Addresses are doubles: user-space addresses on 64-bit platforms stay below
 * 2^48, exact in a double. Pointer slots are kept only when they hold an
 * address inside the heap arenas (the params record gives their range): nil
 * and pointers to code, globals or stacks cannot lead to a heap object.
 */

/** Pointer slots of a list of holders (objects, frames, segments), holder by holder. */
export interface PointerTable {
  count: number;
  /** Byte offset of the slot within its holder. */
  offset: Float64Array;
  /** The address the slot holds (possibly inside an object, not at its start). */
  target: Float64Array;
}

/** The `params` record: how to read the dump's words and where the heap lies. */
export interface DumpParams {
  bigEndian: boolean;
  pointerSize: number;
  /** The lowest heap arena's start and the highest one's end: every heap object lies within. */
  arenaStart: number;
  arenaEnd: number;
  goarch: string;
  /** `runtime.Version()` of the program, e.g. `go1.26.8`. */
  goVersion: string;
  ncpu: number;
}

export interface HeapObjects {
  count: number;
  address: Float64Array;
  /** The size the runtime gave the object: its size class (or its span, for large objects), not what was asked for. */
  size: Float64Array;
  /** Object i's pointer slots are `pointers[pointerStart[i] .. pointerStart[i+1])`. */
  pointerStart: Int32Array;
  pointers: PointerTable;
}

/** The data or bss segment of the executable: globals with pointers. */
export interface Segment {
  kind: 'data' | 'bss';
  address: number;
  size: number;
  /** Offsets are from the segment's start. */
  pointers: PointerTable;
}

export interface DumpGoroutine {
  /** Address of the runtime's `g`. */
  address: number;
  id: number;
  /** The PC of the go statement that created it. */
  gopc: number;
  /** The runtime's status code (`_Grunnable` 1, `_Gsyscall` 3, `_Gwaiting` 4, …). */
  status: number;
  system: boolean;
  /** Nanoseconds (runtime clock) since when it waits; 0 when not recorded. */
  waitSince: number;
  /** `chan receive`, `select`, `sleep`, … (empty when running). */
  waitReason: string;
  /** The closure context register of a parked goroutine (`sched.ctxt`): a root. */
  context: number;
  /** Its frames are `frames[firstFrame .. firstFrame + frameCount)`, innermost first. */
  firstFrame: number;
  frameCount: number;
}

/** Stack frames of all goroutines, as columns. Pointer offsets are from the frame's lowest address (its SP). */
export interface DumpFrames {
  count: number;
  goroutine: Int32Array;
  depth: Int32Array;
  sp: Float64Array;
  /** Bytes of the frame (its contents are not kept). */
  size: Float64Array;
  pc: Float64Array;
  /** Index into `functions`. */
  function: Int32Array;
  /** Frame i's pointer slots are `pointers[pointerStart[i] .. pointerStart[i+1])`. */
  pointerStart: Int32Array;
  pointers: PointerTable;
}

/** A `SetFinalizer` record: on an object whose finalizer has not been queued, or (queued) waiting to run. */
export interface DumpFinalizer {
  object: number;
  /** The finalizer's funcval (a closure lives in the heap) and its code. */
  fn: number;
  fnPc: number;
  queued: boolean;
}

export interface DumpDefer {
  address: number;
  goroutine: number;
  fn: number;
}

export interface DumpPanic {
  address: number;
  goroutine: number;
  /** The data word of the panic's argument. */
  argData: number;
}

/** A `tagOtherRoot` record (not written by the runtime since Go 1.5, read for completeness). */
export interface DumpOtherRoot {
  description: string;
  target: number;
}

export interface DumpType {
  address: number;
  size: number;
  name: string;
}

export interface MemProfFrame {
  function: string;
  file: string;
  line: number;
}

/** A memory-profile bucket: an allocation stack (innermost first) and its counts. */
export interface MemProfBucket {
  address: number;
  /** The allocation size the bucket is for. */
  size: number;
  frames: MemProfFrame[];
  allocs: number;
  frees: number;
}

export interface HeapDump {
  params: DumpParams;
  objects: HeapObjects;
  segments: Segment[];
  goroutines: DumpGoroutine[];
  frames: DumpFrames;
  /** Function names of the frames, interned. */
  functions: string[];
  finalizers: DumpFinalizer[];
  defers: DumpDefer[];
  panics: DumpPanic[];
  otherRoots: DumpOtherRoot[];
  /** Types the dump describes (only those behind itabs: objects carry no type). */
  types: DumpType[];
  itabs: { address: number; type: number }[];
  threads: { address: number; id: number; procId: number }[];
  /** The MemStats record, by the field names of runtime.MemStats (PauseNs left out); absent when the dump has none. */
  memStats?: Record<string, number>;
  memProf: MemProfBucket[];
  /** Sampled objects: `allocSamples.object[i]` was allocated from the bucket at `allocSamples.bucket[i]`. */
  allocSamples: { count: number; object: Float64Array; bucket: Float64Array };
  /** Bytes read. */
  bytes: number;
}
