import { GrowableFloat64, GrowableInt32 } from '../../model/growable.js';
import type {
  DumpDefer,
  DumpFinalizer,
  DumpGoroutine,
  DumpOtherRoot,
  DumpPanic,
  DumpParams,
  DumpType,
  HeapDump,
  MemProfBucket,
  PointerTable,
  Segment,
} from '../../model/heapdump.js';
import { FormatError } from '../errors.js';
import { LIMITS, type SizeLimit } from '../limits.js';
import type { RandomAccess } from '../random-access.js';
import { DumpReader } from './reader.js';

/**
 * Decodes a heap dump as the runtime writes it: src/runtime/heapdump.go
 * (Go 1.22–1.26; the format has not changed since Go 1.7 and says so in its
 * header). The file is the header `go1.7 heap dump\n` and then tagged
 * records, every number an unsigned varint (`dumpint`), every string and
 * memory range a varint length and the bytes, every pointer map a list of
 * (kind, offset) pairs ended by kind 0 (`dumpfields`). The runtime writes
 * params, itabs, objects, goroutines (each followed by its frames, defers
 * and panics), threads, data and bss, finalizers, MemStats and the memory
 * profile, then tag 0; the reader does not depend on that order, except
 * that a frame belongs to the goroutine before it.
 */

export const HEADER = 'go1.7 heap dump\n';

/** Record tags and field kinds: the constants at the top of heapdump.go. */
const TAG = {
  eof: 0,
  object: 1,
  otherRoot: 2,
  type: 3,
  goroutine: 4,
  stackFrame: 5,
  params: 6,
  finalizer: 7,
  itab: 8,
  osThread: 9,
  memStats: 10,
  queuedFinalizer: 11,
  data: 12,
  bss: 13,
  defer: 14,
  panic: 15,
  memProf: 16,
  allocSample: 17,
} as const;
const FIELD_KIND_EOL = 0;
const FIELD_KIND_PTR = 1;

/** MemStats fields in the order dumpmemstats writes them (runtime.MemStats' own order), before PauseNs. */
const MEMSTATS_FIELDS = [
  'Alloc', 'TotalAlloc', 'Sys', 'Lookups', 'Mallocs', 'Frees', 'HeapAlloc', 'HeapSys', 'HeapIdle', 'HeapInuse',
  'HeapReleased', 'HeapObjects', 'StackInuse', 'StackSys', 'MSpanInuse', 'MSpanSys', 'MCacheInuse', 'MCacheSys',
  'BuckHashSys', 'GCSys', 'OtherSys', 'NextGC', 'LastGC', 'PauseTotalNs',
] as const;
const PAUSE_NS_ENTRIES = 256;

export interface HeapDumpDecodeOptions {
  /** Names the input in errors. */
  source?: string;
  /** Bytes read from a file at a time (tests make it tiny). */
  chunkSize?: number;
  /** Called now and then with the bytes read so far. */
  onProgress?: (bytes: number) => void;
}

/** True when the bytes start like a heap dump of any version (`go1.N heap dump`). */
export function sniffHeapDump(head: Uint8Array): boolean {
  return /^go1\.\d+ heap dump\n/.test(new TextDecoder('latin1').decode(head.subarray(0, 32)));
}

/** The size limit for reading a heap dump into memory (see Admit); anything else is refused from its head. */
export function admitHeapDump(head: Uint8Array): SizeLimit {
  if (!sniffHeapDump(head)) throw new FormatError(`not a heap dump: expected the header ${JSON.stringify(HEADER.trim())}`);
  return LIMITS.heapDump;
}

export function decodeHeapDump(input: RandomAccess, options: HeapDumpDecodeOptions = {}): HeapDump {
  try {
    return new Decoder(new DumpReader(input, options.chunkSize), options.onProgress).run();
  } catch (err) {
    if (err instanceof FormatError) throw options.source !== undefined ? err.withSource(options.source) : err;
    if (err instanceof RangeError) throw new FormatError(`too large to decode (${err.message})`, options.source);
    throw err;
  }
}

/** Pointer slots collected holder by holder. */
class PointerColumns {
  readonly offset = new GrowableFloat64(1 << 16);
  readonly target = new GrowableFloat64(1 << 16);
  readonly start = new GrowableInt32(1 << 12);

  table(): PointerTable {
    return { count: this.offset.length, offset: this.offset.finish(), target: this.target.finish() };
  }

  /** The holders' start indexes plus the end of the last one. */
  starts(): Int32Array {
    this.start.push(this.offset.length);
    return this.start.finish();
  }
}

const PROGRESS_EVERY = 64 << 20;

class Decoder {
  private params: DumpParams = { bigEndian: false, pointerSize: 8, arenaStart: 0, arenaEnd: Number.MAX_VALUE, goarch: '', goVersion: '', ncpu: 0 };
  private sawParams = false;
  private readonly objectAddress = new GrowableFloat64(1 << 16);
  private readonly objectSize = new GrowableFloat64(1 << 16);
  private readonly objectPointers = new PointerColumns();
  private readonly segments: Segment[] = [];
  private readonly goroutines: DumpGoroutine[] = [];
  private readonly frame = {
    goroutine: new GrowableInt32(),
    depth: new GrowableInt32(),
    sp: new GrowableFloat64(),
    size: new GrowableFloat64(),
    pc: new GrowableFloat64(),
    function: new GrowableInt32(),
  };
  private readonly framePointers = new PointerColumns();
  private readonly functions: string[] = [];
  private readonly functionIndex = new Map<string, number>();
  private readonly finalizers: DumpFinalizer[] = [];
  private readonly defers: DumpDefer[] = [];
  private readonly panics: DumpPanic[] = [];
  private readonly otherRoots: DumpOtherRoot[] = [];
  private readonly types: DumpType[] = [];
  private readonly itabs: HeapDump['itabs'] = [];
  private readonly threads: HeapDump['threads'] = [];
  private memStats: Record<string, number> | undefined;
  private readonly memProf: MemProfBucket[] = [];
  private readonly sampleObject = new GrowableFloat64();
  private readonly sampleBucket = new GrowableFloat64();
  /** Scratch for one holder's pointer offsets and the words found there. */
  private offsets = new Float64Array(1024);
  private words = new Float64Array(1024);

  constructor(
    private readonly r: DumpReader,
    private readonly onProgress?: (bytes: number) => void,
  ) {}

  run(): HeapDump {
    this.header();
    let nextProgress = PROGRESS_EVERY;
    for (;;) {
      if (this.r.atEnd) this.r.fail('the dump ends without its end record (tag 0): it was cut off');
      const at = this.r.position;
      const tag = this.r.uvarint();
      if (tag === TAG.eof) break;
      this.record(tag, at);
      if (this.onProgress && this.r.position >= nextProgress) {
        this.onProgress(this.r.position);
        nextProgress = this.r.position + PROGRESS_EVERY;
      }
    }
    if (!this.sawParams) this.r.fail('the dump has no params record (pointer size, heap range, Go version)');
    return this.result();
  }

  private header(): void {
    const head = new TextDecoder('latin1').decode(this.r.raw(HEADER.length));
    if (head === HEADER) return;
    const m = /^go1\.\d+ heap dump\n/.exec(head);
    if (m) this.r.fail(`a ${JSON.stringify(m[0].trim())} file: only the go1.7 format (Go 1.7 to 1.26) is read`, 0);
    this.r.fail(`not a heap dump: expected the header ${JSON.stringify(HEADER.trim())}`, 0);
  }

  private record(tag: number, at: number): void {
    const r = this.r;
    switch (tag) {
      case TAG.object:
        return this.object();
      case TAG.otherRoot:
        this.otherRoots.push({ description: r.string('a root description'), target: r.uvarint() });
        return;
      case TAG.type: {
        const address = r.uvarint();
        const size = r.uvarint();
        this.types.push({ address, size, name: r.string('a type name') });
        r.bool(); // whether an interface holds it indirectly
        return;
      }
      case TAG.goroutine:
        return this.goroutine();
      case TAG.stackFrame:
        return this.stackFrame(at);
      case TAG.params:
        return this.readParams();
      case TAG.finalizer:
      case TAG.queuedFinalizer: {
        const object = r.uvarint();
        const fn = r.uvarint();
        const fnPc = r.uvarint();
        r.uvarint(); // fint: the finalizer's argument type
        r.uvarint(); // ot: the object's pointer type
        this.finalizers.push({ object, fn, fnPc, queued: tag === TAG.queuedFinalizer });
        return;
      }
      case TAG.itab:
        this.itabs.push({ address: r.uvarint(), type: r.uvarint() });
        return;
      case TAG.osThread:
        this.threads.push({ address: r.uvarint(), id: r.uvarint(), procId: r.uvarint() });
        return;
      case TAG.memStats:
        return this.readMemStats();
      case TAG.data:
      case TAG.bss:
        return this.segment(tag === TAG.data ? 'data' : 'bss');
      case TAG.defer: {
        const address = r.uvarint();
        const goroutine = r.uvarint();
        r.uvarint(); // sp
        r.uvarint(); // pc
        const fn = r.uvarint();
        r.uvarint(); // fn's code
        r.uvarint(); // link
        this.defers.push({ address, goroutine, fn });
        return;
      }
      case TAG.panic: {
        const address = r.uvarint();
        const goroutine = r.uvarint();
        r.uvarint(); // the argument's type
        const argData = r.uvarint();
        r.uvarint(); // formerly the panic's defer, now always 0
        r.uvarint(); // link
        this.panics.push({ address, goroutine, argData });
        return;
      }
      case TAG.memProf:
        return this.memProfBucket();
      case TAG.allocSample:
        this.sampleObject.push(r.uvarint());
        this.sampleBucket.push(r.uvarint());
        return;
      default:
        r.fail(`unknown record tag ${tag}`, at);
    }
  }

  private readParams(): void {
    const r = this.r;
    const bigEndian = r.bool();
    const pointerSize = r.uvarint();
    if (pointerSize !== 4 && pointerSize !== 8) r.fail(`pointer size ${pointerSize} (expected 4 or 8)`);
    const arenaStart = r.uvarint();
    const arenaEnd = r.uvarint();
    if (arenaEnd < arenaStart) r.fail(`the heap ends (0x${arenaEnd.toString(16)}) before it starts (0x${arenaStart.toString(16)})`);
    const goarch = r.string('the architecture');
    const goVersion = r.string('the Go version');
    this.params = { bigEndian, pointerSize, arenaStart, arenaEnd, goarch, goVersion, ncpu: r.uvarint() };
    this.sawParams = true;
  }

  private object(): void {
    const address = this.r.uvarint();
    const contents = this.r.range('an object');
    this.objectPointers.start.push(this.objectPointers.offset.length);
    this.objectAddress.push(address);
    this.objectSize.push(contents.length);
    this.pointerFields(contents, this.objectPointers);
  }

  private segment(kind: Segment['kind']): void {
    const address = this.r.uvarint();
    const contents = this.r.range(`the ${kind} segment`);
    const columns = new PointerColumns();
    this.pointerFields(contents, columns);
    this.segments.push({ kind, address, size: contents.length, pointers: columns.table() });
  }

  private goroutine(): void {
    const r = this.r;
    const address = r.uvarint();
    r.uvarint(); // sp
    const id = r.uvarint();
    const gopc = r.uvarint();
    const status = r.uvarint();
    const system = r.bool();
    r.bool(); // isbackground, always false
    const waitSince = r.uvarint();
    const waitReason = r.string('a wait reason');
    const context = r.uvarint();
    r.uvarint(); // m
    r.uvarint(); // the first defer
    r.uvarint(); // the first panic
    this.goroutines.push({ address, id, gopc, status, system, waitSince, waitReason, context, firstFrame: this.frame.sp.length, frameCount: 0 });
  }

  private stackFrame(at: number): void {
    const r = this.r;
    const g = this.goroutines.at(-1);
    if (!g) return r.fail('a stack frame before any goroutine', at);
    const sp = r.uvarint();
    const depth = r.uvarint();
    r.uvarint(); // the callee's sp
    const contents = r.range('a stack frame');
    r.uvarint(); // entry
    const pc = r.uvarint();
    r.uvarint(); // continuation pc
    const name = r.string('a function name');
    const f = this.frame;
    f.goroutine.push(this.goroutines.length - 1);
    f.depth.push(Math.min(depth, 2 ** 31 - 1));
    f.sp.push(sp);
    f.size.push(contents.length);
    f.pc.push(pc);
    f.function.push(this.functionId(name));
    g.frameCount++;
    this.framePointers.start.push(this.framePointers.offset.length);
    this.pointerFields(contents, this.framePointers);
  }

  private functionId(name: string): number {
    let id = this.functionIndex.get(name);
    if (id === undefined) {
      id = this.functions.length;
      this.functions.push(name);
      this.functionIndex.set(name, id);
    }
    return id;
  }

  /**
   * A pointer map after a memory range: the offsets of its pointer slots,
   * then the words there. Only words that point into the heap are kept.
   */
  private pointerFields(contents: { start: number; length: number }, into: PointerColumns): void {
    const r = this.r;
    const { pointerSize, bigEndian, arenaStart, arenaEnd } = this.params;
    let n = 0;
    for (;;) {
      const at = r.position;
      const kind = r.uvarint();
      if (kind === FIELD_KIND_EOL) break;
      if (kind !== FIELD_KIND_PTR) r.fail(`unknown pointer field kind ${kind}`, at);
      const offset = r.uvarint();
      if (offset + pointerSize > contents.length) r.fail(`a pointer at offset ${offset} of a ${contents.length}-byte range`, at);
      if (n === this.offsets.length) this.growScratch();
      this.offsets[n++] = offset;
    }
    if (n === 0) return;
    r.words(contents, this.offsets, n, this.words, pointerSize, bigEndian);
    for (let i = 0; i < n; i++) {
      const target = this.words[i]!;
      if (target < arenaStart || target >= arenaEnd || target === 0) continue;
      into.offset.push(this.offsets[i]!);
      into.target.push(target);
    }
  }

  private growScratch(): void {
    const offsets = new Float64Array(this.offsets.length * 2);
    offsets.set(this.offsets);
    this.offsets = offsets;
    this.words = new Float64Array(offsets.length);
  }

  private readMemStats(): void {
    const stats: Record<string, number> = {};
    for (const name of MEMSTATS_FIELDS) stats[name] = this.r.uvarint();
    for (let i = 0; i < PAUSE_NS_ENTRIES; i++) this.r.uvarint();
    stats['NumGC'] = this.r.uvarint();
    this.memStats = stats;
  }

  private memProfBucket(): void {
    const r = this.r;
    const address = r.uvarint();
    const size = r.uvarint();
    const at = r.position;
    const depth = r.uvarint();
    // Each frame takes at least three bytes (two empty strings and a line).
    if (depth * 3 > r.remaining) r.fail(`a stack of ${depth} frames runs past the end of the dump`, at);
    const frames: MemProfBucket['frames'] = [];
    for (let i = 0; i < depth; i++) {
      const fn = r.string('a function name');
      const file = r.string('a file name');
      frames.push({ function: fn, file, line: r.uvarint() });
    }
    this.memProf.push({ address, size, frames, allocs: r.uvarint(), frees: r.uvarint() });
  }

  private result(): HeapDump {
    const f = this.frame;
    const objectCount = this.objectAddress.length;
    return {
      params: this.params,
      objects: {
        count: objectCount,
        address: this.objectAddress.finish(),
        size: this.objectSize.finish(),
        pointerStart: this.objectPointers.starts(),
        pointers: this.objectPointers.table(),
      },
      segments: this.segments,
      goroutines: this.goroutines,
      frames: {
        count: f.sp.length,
        goroutine: f.goroutine.finish(),
        depth: f.depth.finish(),
        sp: f.sp.finish(),
        size: f.size.finish(),
        pc: f.pc.finish(),
        function: f.function.finish(),
        pointerStart: this.framePointers.starts(),
        pointers: this.framePointers.table(),
      },
      functions: this.functions,
      finalizers: this.finalizers,
      defers: this.defers,
      panics: this.panics,
      otherRoots: this.otherRoots,
      types: this.types,
      itabs: this.itabs,
      threads: this.threads,
      ...(this.memStats ? { memStats: this.memStats } : {}),
      memProf: this.memProf,
      allocSamples: { count: this.sampleObject.length, object: this.sampleObject.finish(), bucket: this.sampleBucket.finish() },
      bytes: this.r.position,
    };
  }
}
