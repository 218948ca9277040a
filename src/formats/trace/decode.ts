import { FormatError } from '../errors.js';
import { MCursor } from './cursor.js';
import { EventView, mergeEvents, SchedContext } from './events.js';
import type { TraceEvent } from '../../model/trace.js';
import { isTableBatch, readTables, RecordCounts, type GenerationTables, type RawBatch } from './generation.js';
import { checkHeader, HEADER_SIZE } from './header.js';
import { ChunkedReader, type ByteSource } from './source.js';
import { Ev, timedArgCountTable } from './spec.js';
import { readUvarint, type VarintOut } from './varint.js';

/** A batch holds at most 64 KiB of data (tracev2.MaxBatchSize). */
const MAX_BATCH_SIZE = 64 << 10;
/** Type, experiment and four varints of at most 10 bytes each. */
const MAX_BATCH_HEADER = 2 + 4 * 10;
/** How much of the file is read at a time by default. */
export const DEFAULT_CHUNK_SIZE = 1 << 20;

export interface TraceVisitor {
  /** Called once per generation, before its events, with its tables. */
  generation?(gen: number, tables: GenerationTables): void;
  event(e: TraceEvent): void;
  /**
   * The event types to hand to `event`, as a table by type (non-zero: wanted;
   * types past its end are not); every type when absent. Read once, when
   * decoding starts. Events are decoded, counted and tracked all the same; a
   * busy trace has millions a visitor would only skip.
   */
  readonly wants?: Uint8Array;
}

export interface DecodeOptions {
  /** File name for messages. */
  source?: string;
  /** Bytes read from the source at a time (tests make it tiny). */
  chunkSize?: number;
}

export interface TraceDecodeResult {
  /** The Go minor version in the header (22, 23, 25, 26). */
  goMinor: number;
  /** Every record counted by the name `go tool trace -d=2` gives it. */
  eventCounts: Record<string, number>;
  generations: number;
  batches: number;
  bytes: number;
  /** Time of the first and last event (ns on the trace clock), null with no events. */
  firstNs: number | null;
  lastNs: number | null;
  cpuSamples: number;
  /** Problems that did not stop decoding, e.g. a file cut off mid-batch. */
  warnings: string[];
}

/**
 * Streams a Go 1.22+ execution trace: reads batches until a generation is
 * complete (the next generation's first batch, Go 1.26's EndOfGeneration
 * record, or the end of the file), reads its tables, then hands its events
 * to the visitor in time order. Memory holds one generation, whatever the
 * number of events.
 */
export function decodeTrace(input: ByteSource, visitor: TraceVisitor, options: DecodeOptions = {}): TraceDecodeResult {
  const reader = new ChunkedReader(input, options.chunkSize ?? DEFAULT_CHUNK_SIZE);
  try {
    return new TraceDecoder(reader, visitor, options.source).run();
  } finally {
    input.close?.();
  }
}

class TraceDecoder {
  private readonly counts = new RecordCounts();
  private readonly warnings: string[] = [];
  private readonly ctx = new SchedContext();
  private readonly view = new EventView();
  private readonly wants: Uint8Array;
  private readonly out: VarintOut = { value: 0, next: 0 };
  private minor = 0;
  private argCounts: Int8Array = new Int8Array(0);
  private readonly pending = new GenerationBytes();
  private gen: number | null = null;
  private generations = 0;
  private batchCount = 0;
  private firstNs: number | null = null;
  private cpuSamples = 0;
  /** The last generation's clock (ns per tick), 0 before any. */
  private nsPerTick = 0;

  constructor(
    private readonly reader: ChunkedReader,
    private readonly visitor: TraceVisitor,
    private readonly source: string | undefined,
  ) {
    // The last time handed out (none yet): the merge makes each event's time later than it.
    this.view.time = -Infinity;
    // A copy: the merge reads these 256 entries, whatever the visitor does with its table later.
    this.wants = new Uint8Array(256);
    if (visitor.wants) this.wants.set(visitor.wants.subarray(0, 256));
    else this.wants.fill(1);
  }

  run(): TraceDecodeResult {
    const have = this.reader.ensure(HEADER_SIZE);
    this.minor = checkHeader(this.reader.peek(have), this.source);
    this.argCounts = timedArgCountTable(this.minor);
    this.reader.skip(HEADER_SIZE);
    let complete = true;
    while (this.reader.ensure(1) > 0) {
      const type = this.reader.peek(1)[0]!;
      if (type === Ev.EndOfGeneration && this.minor >= 26) {
        this.counts.add(Ev.EndOfGeneration);
        this.reader.skip(1);
        this.flush(true);
        continue;
      }
      if (!this.readBatch()) {
        complete = false;
        break;
      }
    }
    // Go 1.26 closes every generation explicitly, so one still open at the end was cut short.
    this.flush(complete && this.minor < 26);
    return this.result();
  }

  /** Reads one batch into the current generation; false when the file ends inside it. */
  private readBatch(): boolean {
    const r = this.reader;
    const start = r.offset;
    const avail = r.ensure(MAX_BATCH_HEADER);
    const head = r.peek(avail);
    const type = head[0]!;
    if (type !== Ev.EventBatch && type !== Ev.ExperimentalBatch) {
      throw new FormatError(`expected a batch (type 1 or 49), found byte ${type}`, this.source, start);
    }
    let pos = type === Ev.ExperimentalBatch ? 2 : 1;
    const exp = type === Ev.ExperimentalBatch ? (head[1] ?? 0) : 0;
    const fields: number[] = [];
    for (let i = 0; i < 4; i++) {
      if (!readUvarint(head, pos, avail, this.out)) {
        if (this.out.next < 0 && avail < MAX_BATCH_HEADER) return this.cut(start, 'in a batch header');
        throw new FormatError('batch header field longer than 10 bytes', this.source, start + pos);
      }
      fields.push(this.out.value);
      pos = this.out.next;
    }
    const [gen, m, ts, size] = fields as [number, number, number, number];
    if (size > MAX_BATCH_SIZE) throw new FormatError(`batch of ${size} bytes; the maximum is ${MAX_BATCH_SIZE}`, this.source, start);
    if (gen < 1) throw new FormatError(`batch of generation ${gen}; generations start at 1`, this.source, start);
    if (r.ensure(pos + size) < pos + size) return this.cut(start, `inside a batch of ${size} bytes`);
    if (this.gen !== null && gen !== this.gen) {
      if (gen < this.gen) throw new FormatError(`batch of generation ${gen} after generation ${this.gen}`, this.source, start);
      this.flush(true);
    }
    this.gen = gen;
    this.pending.add(m, ts, exp, r.peek(pos + size).subarray(pos), start + pos);
    this.counts.add(type);
    this.batchCount++;
    r.skip(pos + size);
    return true;
  }

  private cut(offset: number, where: string): false {
    this.warnings.push(
      `the trace is cut off ${where} at byte ${offset} (as when the traced process dies); ` +
        'everything before it was decoded',
    );
    return false;
  }

  /** Decodes the buffered generation and forgets it. */
  private flush(complete: boolean): void {
    const batches = this.pending.batches();
    const gen = this.gen;
    this.pending.clear();
    this.gen = null;
    if (gen === null || batches.length === 0) return;
    const tables = readTables(batches, this.minor, this.counts, this.source);
    if (tables.nsPerTick === 0) {
      // The clock's frequency is the process's, so a cut generation can borrow the previous one's.
      if (this.nsPerTick === 0) {
        this.warnings.push(`generation ${gen} has no frequency record${complete ? '' : ' (cut off)'}: its ${batches.length} batches were skipped`);
        return;
      }
      tables.nsPerTick = this.nsPerTick;
    }
    this.nsPerTick = tables.nsPerTick;
    if (!complete) this.warnings.push(`generation ${gen} is incomplete: its events are decoded, some may be missing`);
    this.generations++;
    this.cpuSamples += tables.cpuSamples;
    this.visitor.generation?.(gen, tables);
    const byM = new Map<number, RawBatch[]>();
    for (const b of batches) {
      if (b.exp !== 0 || isTableBatch(b, this.minor)) continue;
      const list = byM.get(b.m);
      if (list) list.push(b);
      else byM.set(b.m, [b]);
    }
    this.view.setTables(gen, tables);
    const cursors = [...byM].map(([m, list]) => new MCursor(m, list, this.argCounts, tables.nsPerTick, this.counts, this.source));
    const first = mergeEvents(cursors, this.ctx, this.view, this.visitor, this.wants);
    if (this.firstNs === null && !Number.isNaN(first)) this.firstNs = first;
  }

  private result(): TraceDecodeResult {
    return {
      goMinor: this.minor,
      eventCounts: this.counts.toRecord(),
      generations: this.generations,
      batches: this.batchCount,
      bytes: this.reader.offset,
      firstNs: this.firstNs,
      lastNs: this.firstNs === null ? null : this.view.time,
      cpuSamples: this.cpuSamples,
      warnings: this.warnings,
    };
  }
}

/**
 * The batches of the generation being read, their bytes copied end to end
 * into one buffer that the next generation reuses: the views `batches()`
 * returns stay valid until the next `add` after `clear`. A buffer per batch
 * cost a malloc, fresh pages and a GC-tracked ArrayBuffer each, thousands of
 * times per trace.
 */
class GenerationBytes {
  private bytes = new Uint8Array(1 << 20);
  private used = 0;
  private readonly heads: { m: number; ts: number; exp: number; start: number; end: number; offset: number }[] = [];

  add(m: number, ts: number, exp: number, data: Uint8Array, offset: number): void {
    if (this.used + data.length > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.used + data.length));
      grown.set(this.bytes.subarray(0, this.used));
      this.bytes = grown;
    }
    this.bytes.set(data, this.used);
    this.heads.push({ m, ts, exp, start: this.used, end: this.used + data.length, offset });
    this.used += data.length;
  }

  batches(): RawBatch[] {
    return this.heads.map(({ m, ts, exp, start, end, offset }) => ({ m, ts, exp, data: this.bytes.subarray(start, end), offset }));
  }

  clear(): void {
    this.used = 0;
    this.heads.length = 0;
  }
}
