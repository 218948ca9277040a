import { FormatError } from '../errors.js';
import type { MState } from './events.js';
import type { RawBatch, RecordCounts } from './generation.js';
import { readUvarint, type VarintOut } from './varint.js';

/** Most arguments any timed event has after its timestamp delta. */
export const MAX_ARGS = 4;

/**
 * Walks the event batches one M wrote in a generation, in file order (each M
 * flushes its own batches in time order), decoding one event at a time into
 * its own fields: no object per event.
 */
export class MCursor {
  /** The current event: type, time in ns, and its arguments after the delta (slots past its count hold stale values). */
  type = 0;
  time = 0;
  readonly args = new Float64Array(MAX_ARGS);
  /** This M's scheduling context, set by the merge (kept here to save a lookup per event). */
  sched: MState | null = null;
  /** File offset of the current event. */
  offset = 0;
  private batch = -1;
  private pos = 0;
  /** The current batch's bytes and their end, kept in fields: read once per event, not through the batch list. */
  private data: Uint8Array = new Uint8Array(0);
  private dataOffset = 0;
  private readonly byType: Float64Array;
  private readonly out: VarintOut = { value: 0, next: 0 };

  constructor(
    readonly m: number,
    private readonly batches: readonly RawBatch[],
    /** Varints per type for timed events, -1 for every other type (timedArgCountTable). */
    private readonly argCounts: Int8Array,
    private readonly nsPerTick: number,
    counts: RecordCounts,
    private readonly source: string | undefined,
  ) {
    this.byType = counts.byType;
  }

  /** Decodes the next event; false when this M has no more in the generation. */
  advance(): boolean {
    if (this.pos >= this.data.length && !this.nextBatch()) return false;
    const data = this.data;
    this.offset = this.dataOffset + this.pos;
    const type = data[this.pos++]!;
    const n = this.argCounts[type]!;
    if (n < 1) throw new FormatError(`unknown or misplaced event type ${type} in an event batch`, this.source, this.offset);
    // The delta is converted on its own, as the Go reader does, so times agree with it to the nanosecond.
    this.time += Math.trunc(this.uv(data) * this.nsPerTick);
    for (let i = 1; i < n; i++) this.args[i - 1] = this.uv(data);
    this.type = type;
    this.byType[type]!++;
    return true;
  }

  /** Moves to the next non-empty batch; false when there is none. */
  private nextBatch(): boolean {
    for (;;) {
      const b = this.batches[++this.batch];
      if (b === undefined) return false;
      this.time = Math.trunc(b.ts * this.nsPerTick);
      if (b.data.length === 0) continue;
      this.data = b.data;
      this.dataOffset = b.offset;
      this.pos = 0;
      return true;
    }
  }

  private uv(data: Uint8Array): number {
    // Up to four bytes (28 bits: every delta, ID and most sizes) are read here with integer arithmetic.
    let pos = this.pos;
    const end = data.length;
    let value = 0;
    for (let shift = 0; shift < 28 && pos < end; shift += 7) {
      const b = data[pos++]!;
      value |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        return value;
      }
    }
    if (!readUvarint(data, this.pos, data.length, this.out)) {
      throw new FormatError('event argument is cut off by the end of its batch or longer than 10 bytes', this.source, this.offset);
    }
    this.pos = this.out.next;
    return this.out.value;
  }
}
