import { readFileSync } from 'node:fs';
import { FormatError } from '../errors.js';
import { EventFault } from './cursor.js';
import type { EventView } from './events.js';
import type { TraceEvent } from '../../model/trace.js';
import type { RawBatch, RecordCounts } from './generation.js';

/**
 * The merge of one generation's events in WebAssembly (wasm/trace-merge, a
 * transcription of MCursor and mergeEvents, which stay the reference and
 * which the tests hold it to). It decodes, merges and tracks the scheduling
 * context in one pass, then hands the events over 4096 at a time, a row of
 * nine floats each.
 *
 * The module allocates nothing: this class lays out its memory, and when a
 * region needs more room it moves everything into a new, larger memory
 * instead of growing the old one. Growing detaches the old buffer, and the
 * first detach in a process makes V8 check every typed-array access for it
 * from then on (+19% instructions for the whole trace analysis).
 */

/** The module's exports (wasm/trace-merge/src/lib.rs; `h` is where the merger lives). */
interface MergeExports {
  __heap_base: { value: number };
  fp_merger_size(): number;
  fp_cursor_size(): number;
  fp_mstate_size(): number;
  fp_init(h: number): void;
  fp_region(h: number, which: number, ptr: number, len: number, cap: number): void;
  fp_region_len(h: number, which: number): number;
  fp_reindex(h: number): void;
  fp_constant(which: number): number;
  fp_field(h: number, which: number): number;
  fp_begin(h: number, nsPerTick: number): number;
  fp_next(h: number): number;
  fp_status(h: number): number;
  fp_error_offset(h: number): number;
  fp_error_type(h: number): number;
  fp_first(h: number): number;
  fp_last(h: number): number;
  fp_set_last(h: number, last: number): void;
}

/** fp_status values (lib.rs). */
const Status = { Running: 0, Done: 1, UnknownType: 2, VarintTooLong: 3, CutOff: 4, NeedMsRoom: 5 } as const;
const PAGE = 65536;
/** fp_field offsets inside the merger (lib.rs). */
const Field = { Tables: 0, Counts: 1, Out: 2 } as const;
/** Events per fp_next call, and floats per event handed out (lib.rs CAP, RECORD). */
const CAP = 4096;
const RECORD = 9;
/** Floats per batch in the heads region: ts, start, end, file offset (lib.rs HEAD). */
const HEAD = 4;
/** The most a WebAssembly memory can hold (65,536 pages). */
const MAX_MEMORY = 65536 * PAGE;

/** The regions, in memory order (fp_region numbers them so). msIndex is sized from ms and rebuilt, never copied. */
const REGIONS = ['ms', 'msIndex', 'cursors', 'heap', 'cursorInfo', 'heads', 'bytes'] as const;
type RegionName = (typeof REGIONS)[number];
/** Room in elements per region. */
export type Caps = Record<RegionName, number>;

/** Room each merge starts with; it grows (at least doubling) as traces need. The index's follows from ms's. */
const INITIAL_CAPS: Caps = { ms: 64, msIndex: 0, cursors: 64, heap: 64, cursorInfo: 128, heads: 1024, bytes: 1 << 20 };
let initialCaps = INITIAL_CAPS;

/** Runs `fn` with merges starting from `caps` (tests make them tiny, so every region has to move). */
export function withInitialCaps<T>(caps: Omit<Caps, 'msIndex'>, fn: () => T): T {
  initialCaps = { ...caps, msIndex: 0 };
  try {
    return fn();
  } finally {
    initialCaps = INITIAL_CAPS;
  }
}

let compiled: WebAssembly.Module | null = null;

/** The compiled module, read from the package's wasm/ folder once per process. */
function mergeModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(readFileSync(new URL('../../../wasm/trace-merge.wasm', import.meta.url)));
  return compiled;
}

/** The tables the merge reads by event type. */
export interface MergeTables {
  /** Varints per type for timed events, -1 for the rest (timedArgCountTable). */
  argCounts: Int8Array;
  /** Non-zero for the types to hand to the visitor. */
  wants: Uint8Array;
  /** SchedContext.ROLES. */
  roles: Uint8Array;
}

/** One memory with the module instantiated over it, and where each region starts. */
interface Arena {
  memory: WebAssembly.Memory;
  x: MergeExports;
  caps: Caps;
  at: Record<RegionName, number>;
}

export class WasmMerge {
  private arena: Arena;
  /** The merger's address: the module's heap base, the same in every arena. */
  private readonly h: number;

  constructor(tables: MergeTables) {
    this.arena = makeArena(initialCaps);
    this.h = align8(moduleSizes().heapBase);
    this.arena.x.fp_init(this.h);
    this.placeRegions(null);
    const t = this.bytes(this.arena.x.fp_field(this.h, Field.Tables), 768);
    t.set(new Uint8Array(tables.argCounts.buffer, tables.argCounts.byteOffset, 256), 0);
    t.set(tables.wants.subarray(0, 256), 256);
    t.set(tables.roles.subarray(0, 256), 512);
  }

  /**
   * Merges the generation whose event batches are `byM` (each M's batches in
   * file order), handing the wanted events to `visitor` through `view`.
   * `view.time` carries the last time handed out in and out, as in
   * mergeEvents. Returns the first event's time (NaN with none).
   */
  merge(
    byM: readonly (readonly [number, readonly RawBatch[]])[],
    nsPerTick: number,
    view: EventView,
    visitor: { event(e: TraceEvent): void },
    counts: RecordCounts,
    source: string | undefined,
  ): number {
    this.load(byM);
    const h = this.h;
    this.arena.x.fp_set_last(h, view.time);
    let status = this.arena.x.fp_begin(h, nsPerTick);
    while (status === Status.Running || status === Status.NeedMsRoom) {
      if (status === Status.NeedMsRoom) this.makeRoom({ ms: this.arena.caps.ms * 2 });
      const x = this.arena.x;
      const n = x.fp_next(h);
      status = x.fp_status(h);
      deliver(n, this.floats(x.fp_field(h, Field.Out), CAP * RECORD), view, visitor);
    }
    view.time = this.arena.x.fp_last(h);
    this.takeCounts(counts);
    if (status !== Status.Done) throw this.failure(status, source);
    return this.arena.x.fp_first(h);
  }

  /** Copies the batches in: their bytes end to end, a head per batch (ts, start, end, file offset), an (m, batch count) per M. */
  private load(byM: readonly (readonly [number, readonly RawBatch[]])[]): void {
    let bytes = 0;
    let batches = 0;
    for (const [, list] of byM) {
      batches += list.length;
      for (const b of list) bytes += b.data.length;
    }
    const msLen = this.regionLength('ms');
    // Between generations only the Ms' contexts carry over: the last generation's batches need no copy.
    this.makeRoom({ ms: msLen + byM.length, cursors: byM.length, heap: byM.length, cursorInfo: 2 * byM.length, heads: HEAD * batches, bytes }, ['ms']);
    const { at } = this.arena;
    const into = this.bytes(at.bytes, bytes);
    const heads = this.floats(at.heads, HEAD * batches);
    const info = this.floats(at.cursorInfo, 2 * byM.length);
    let pos = 0;
    let i = 0;
    byM.forEach(([m, list], k) => {
      info[2 * k] = m;
      info[2 * k + 1] = list.length;
      for (const b of list) {
        into.set(b.data, pos);
        heads.set([b.ts, pos, pos + b.data.length, b.offset], HEAD * i);
        pos += b.data.length;
        i++;
      }
    });
    const x = this.arena.x;
    x.fp_region(this.h, REGIONS.indexOf('cursorInfo'), at.cursorInfo, 2 * byM.length, this.arena.caps.cursorInfo);
    x.fp_region(this.h, REGIONS.indexOf('heads'), at.heads, HEAD * batches, this.arena.caps.heads);
    x.fp_region(this.h, REGIONS.indexOf('bytes'), at.bytes, bytes, this.arena.caps.bytes);
  }

  /**
   * Moves into a new arena when a region needs more room than it has (at
   * least double, so moves are rare), carrying over the merger and the
   * regions in `carry`.
   */
  private makeRoom(need: Partial<Caps>, carry: readonly RegionName[] = REGIONS): void {
    const old = this.arena;
    if (REGIONS.every((r) => (need[r] ?? 0) <= old.caps[r])) return;
    const doubled = { ...old.caps };
    const exact = { ...old.caps };
    for (const r of REGIONS) {
      if ((need[r] ?? 0) > old.caps[r]) {
        doubled[r] = Math.max(need[r]!, 2 * old.caps[r]);
        exact[r] = need[r]!;
      }
    }
    // Doubling can pass the 4 GiB a memory holds where the exact need still fits.
    this.arena = arenaSize(doubled) <= MAX_MEMORY ? makeArena(doubled) : makeArena(exact);
    new Uint8Array(this.arena.memory.buffer).set(new Uint8Array(old.memory.buffer, this.h, moduleSizes().merger), this.h);
    this.placeRegions(old, carry);
  }

  /** Tells the merger where its regions are, copying the `carry` regions' contents over from `old`. */
  private placeRegions(old: Arena | null, carry: readonly RegionName[] = []): void {
    const { x, at, caps } = this.arena;
    REGIONS.forEach((r, which) => {
      if (r === 'msIndex') {
        x.fp_region(this.h, which, at[r], caps[r], caps[r]);
        return;
      }
      const len = old !== null && carry.includes(r) ? old.x.fp_region_len(this.h, which) >>> 0 : 0;
      if (old !== null && len > 0) {
        const size = len * elementSize(r);
        new Uint8Array(this.arena.memory.buffer, at[r], size).set(new Uint8Array(old.memory.buffer, old.at[r], size));
      }
      x.fp_region(this.h, which, at[r], len, caps[r]);
    });
    x.fp_reindex(this.h);
  }

  private regionLength(r: RegionName): number {
    return this.arena.x.fp_region_len(this.h, REGIONS.indexOf(r)) >>> 0;
  }

  private takeCounts(counts: RecordCounts): void {
    const from = this.floats(this.arena.x.fp_field(this.h, Field.Counts), 256);
    for (let t = 0; t < 256; t++) {
      if (from[t] !== 0) counts.add(t, from[t]);
      from[t] = 0;
    }
  }

  private failure(status: number, source: string | undefined): FormatError {
    const x = this.arena.x;
    const offset = x.fp_error_offset(this.h);
    switch (status) {
      case Status.UnknownType:
        return new FormatError(EventFault.unknownType(x.fp_error_type(this.h)), source, offset);
      case Status.VarintTooLong:
        return new FormatError(EventFault.varintTooLong, source, offset);
      case Status.CutOff:
        return new FormatError(EventFault.cutOff, source, offset);
      default:
        return new FormatError(`the trace merge stopped with status ${status}`, source, offset);
    }
  }

  private bytes(ptr: number, length: number): Uint8Array {
    return new Uint8Array(this.arena.memory.buffer, ptr >>> 0, length);
  }

  private floats(ptr: number, length: number): Float64Array {
    return new Float64Array(this.arena.memory.buffer, ptr >>> 0, length);
  }
}

function elementSize(region: RegionName): number {
  switch (region) {
    case 'ms':
      return moduleSizes().mstate;
    case 'cursors':
      return moduleSizes().cursor;
    case 'heap':
    case 'msIndex':
      return 4;
    case 'bytes':
      return 1;
    default:
      return 8;
  }
}

/** The module's own sizes: where its heap starts (after its stack and data) and its structs' sizes. */
interface ModuleSizes {
  heapBase: number;
  merger: number;
  cursor: number;
  mstate: number;
}

let sizes: ModuleSizes | null = null;

/**
 * Read once from an instance on a throwaway 1 MiB memory: the module's stack
 * is 64 KiB (wasm/trace-merge/.cargo/config.toml), its data a few bytes.
 */
function moduleSizes(): ModuleSizes {
  if (sizes === null) {
    const x = instantiate(mergeModule(), new WebAssembly.Memory({ initial: 16 }));
    if (x.fp_constant(0) !== CAP || x.fp_constant(1) !== RECORD || x.fp_constant(2) !== HEAD) {
      throw new Error('wasm/trace-merge.wasm does not match wasm-merge.ts (CAP, RECORD, HEAD): rebuild it with bash wasm/build.sh');
    }
    sizes = { heapBase: x.__heap_base.value, merger: x.fp_merger_size(), cursor: x.fp_cursor_size(), mstate: x.fp_mstate_size() };
  }
  return sizes;
}

/** Where each region starts, and where the last ends, for `caps` (msIndex sized from ms). */
function layout(caps: Caps): { at: Record<RegionName, number>; end: number; caps: Caps } {
  const s = moduleSizes();
  const sized = { ...caps, msIndex: indexSlots(caps.ms) };
  let end = align8(s.heapBase) + s.merger;
  const at = {} as Record<RegionName, number>;
  for (const r of REGIONS) {
    end = align8(end);
    at[r] = end;
    end += sized[r] * elementSize(r);
  }
  return { at, end, caps: sized };
}

function arenaSize(caps: Caps): number {
  return layout(caps).end;
}

/** A memory laid out as [module's stack and data][merger][regions in REGIONS order], with the module over it. */
function makeArena(caps: Caps): Arena {
  const { at, end, caps: sized } = layout(caps);
  if (end > MAX_MEMORY) throw new Error(`a trace generation needs ${end} bytes in the merge, more than a WebAssembly memory holds`);
  const memory = new WebAssembly.Memory({ initial: Math.ceil(end / PAGE) });
  return { memory, x: instantiate(mergeModule(), memory), caps: sized, at };
}

/** Slots for the index of Ms: a power of two, at least twice the Ms it indexes, so probes stay short. */
function indexSlots(ms: number): number {
  let slots = 16;
  while (slots < 2 * ms) slots *= 2;
  return slots;
}

function instantiate(module: WebAssembly.Module, memory: WebAssembly.Memory): MergeExports {
  return new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as MergeExports;
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

/**
 * Hands `n` events to the visitor from the module's output, RECORD floats
 * each: type, time, M, goroutine, P, four arguments. One array, so one check
 * per event: the visitor call in between makes V8 re-check every typed array
 * the loop reads. The array comes as an argument, not a field: when the
 * view was remade on a new memory, a field's recorded type changed and V8
 * dropped this loop's optimized code.
 */
function deliver(n: number, out: Float64Array, view: EventView, visitor: { event(e: TraceEvent): void }): void {
  const to = view.args;
  for (let i = 0; i < n; i++) {
    const r = i * 9; // RECORD, written out: a module constant is a context load per event here
    view.type = out[r]!;
    view.time = out[r + 1]!;
    view.m = out[r + 2]!;
    view.g = out[r + 3]!;
    view.p = out[r + 4]!;
    to[0] = out[r + 5]!;
    to[1] = out[r + 6]!;
    to[2] = out[r + 7]!;
    to[3] = out[r + 8]!;
    visitor.event(view);
  }
}
