import { FormatError } from '../errors.js';
import { Ev, eventName } from './spec.js';
import { readUvarint, type VarintOut } from './varint.js';

/** One batch as buffered while its generation is read. `offset` is the file offset of data[0]. */
export interface RawBatch {
  m: number;
  ts: number;
  exp: number;
  data: Uint8Array;
  offset: number;
}

/** Records counted by type, named as `go tool trace -d=2` names them. */
export class RecordCounts {
  readonly byType = new Float64Array(256);
  add(type: number, n = 1): void {
    this.byType[type]! += n;
  }
  toRecord(): Record<string, number> {
    const out: Record<string, number> = {};
    this.byType.forEach((n, type) => {
      if (n > 0) out[eventName(type)] = n;
    });
    return out;
  }
}

/** What a generation's side tables say, needed before its events can be read. */
export interface GenerationTables {
  /** Nanoseconds per trace-clock tick; 0 when the generation has no frequency record (cut off before it). */
  nsPerTick: number;
  strings: Map<number, string>;
  /** Stack ID → string ID of its first (leaf) frame's function. */
  stackLeafFunc: Map<number, number>;
  /**
   * Stack ID → where its frames' function string IDs start in `frameFuncs`,
   * which holds each stack as its frame count followed by the IDs, leaf first.
   */
  stackFrames: Map<number, number>;
  frameFuncs: number[];
  cpuSamples: number;
  /** Wall-clock nanoseconds at the generation's clock snapshot (Go 1.25+), else null. */
  wallNs: number | null;
}

const MAX_STRING = 1 << 20;
const utf8 = new TextDecoder();

/** Reads a run of varints from a table batch, failing with the batch's file offset. */
class TableReader {
  pos = 1;
  private readonly out: VarintOut = { value: 0, next: 0 };
  constructor(
    readonly batch: RawBatch,
    private readonly source: string | undefined,
  ) {}
  get done(): boolean {
    return this.pos >= this.batch.data.length;
  }
  byte(): number {
    return this.batch.data[this.pos++]!;
  }
  uv(what: string): number {
    if (!readUvarint(this.batch.data, this.pos, this.batch.data.length, this.out)) throw this.fail(`bad or cut ${what} varint`);
    this.pos = this.out.next;
    return this.out.value;
  }
  bytes(n: number): Uint8Array {
    if (this.pos + n > this.batch.data.length) throw this.fail(`string of ${n} bytes runs past its batch`);
    const b = this.batch.data.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
  expect(type: number, table: string): void {
    const t = this.byte();
    if (t !== type) throw this.fail(`expected ${eventName(type)} in the ${table} table, found type ${t}`);
  }
  fail(message: string): FormatError {
    return new FormatError(message, this.source, this.batch.offset + this.pos);
  }
}

export function isTableBatch(b: RawBatch, minor: number): boolean {
  if (b.exp !== 0 || b.data.length === 0) return false;
  const first = b.data[0]!;
  return first === Ev.Strings || first === Ev.Stacks || first === Ev.CPUSamples || first === syncByte(minor);
}

/** The first byte of the batch carrying the clock frequency: Frequency before Go 1.25, Sync after. */
function syncByte(minor: number): number {
  return minor >= 25 ? Ev.Sync : Ev.Frequency;
}

/** Reads the string, stack, CPU-sample and frequency tables of one generation, counting their records. */
export function readTables(batches: readonly RawBatch[], minor: number, counts: RecordCounts, source?: string): GenerationTables {
  const tables: GenerationTables = { nsPerTick: 0, strings: new Map(), stackLeafFunc: new Map(), stackFrames: new Map(), frameFuncs: [], cpuSamples: 0, wallNs: null };
  let freq = 0;
  for (const b of batches) {
    if (!isTableBatch(b, minor)) continue;
    const r = new TableReader(b, source);
    const first = b.data[0]!;
    counts.add(first);
    if (first === Ev.Strings) readStrings(r, tables, counts);
    else if (first === Ev.Stacks) readStacks(r, tables, counts);
    else if (first === Ev.CPUSamples) readCpuSamples(r, tables, counts);
    else freq = readSync(r, minor, tables, counts, freq);
  }
  if (freq > 0) tables.nsPerTick = 1e9 / freq;
  return tables;
}

function readStrings(r: TableReader, t: GenerationTables, counts: RecordCounts): void {
  while (!r.done) {
    r.expect(Ev.String, 'string');
    const id = r.uv('string ID');
    const len = r.uv('string length');
    if (len > MAX_STRING) throw r.fail(`string of ${len} bytes is longer than any the runtime writes`);
    t.strings.set(id, utf8.decode(r.bytes(len)));
    counts.add(Ev.String);
  }
}

function readStacks(r: TableReader, t: GenerationTables, counts: RecordCounts): void {
  while (!r.done) {
    r.expect(Ev.Stack, 'stack');
    const id = r.uv('stack ID');
    const frames = r.uv('frame count');
    if (frames > 1024) throw r.fail(`stack of ${frames} frames is longer than any the runtime writes`);
    t.stackFrames.set(id, t.frameFuncs.length);
    t.frameFuncs.push(frames);
    for (let f = 0; f < frames; f++) {
      r.uv('frame PC');
      const func = r.uv('frame function');
      r.uv('frame file');
      r.uv('frame line');
      if (f === 0) t.stackLeafFunc.set(id, func);
      t.frameFuncs.push(func);
    }
    counts.add(Ev.Stack);
  }
}

function readCpuSamples(r: TableReader, t: GenerationTables, counts: RecordCounts): void {
  while (!r.done) {
    r.expect(Ev.CPUSample, 'CPU sample');
    for (let i = 0; i < 5; i++) r.uv('CPU sample field');
    t.cpuSamples++;
    counts.add(Ev.CPUSample);
  }
}

/** Before Go 1.25 the batch is one Frequency record; from 1.25 a Sync header, then Frequency and ClockSnapshot. */
function readSync(r: TableReader, minor: number, t: GenerationTables, counts: RecordCounts, freq: number): number {
  if (minor < 25) return r.uv('frequency');
  while (!r.done) {
    const type = r.byte();
    if (type === Ev.Frequency) freq = r.uv('frequency');
    else if (type === Ev.ClockSnapshot) {
      r.uv('clock snapshot dt');
      r.uv('monotonic clock');
      const sec = r.uv('wall seconds');
      const nsec = r.uv('wall nanoseconds');
      t.wallNs = sec * 1e9 + nsec;
    } else throw r.fail(`unexpected record type ${type} in a sync batch`);
    counts.add(type);
  }
  return freq;
}
