import { FormatError } from '../errors.js';
import type { RawBatch, RecordCounts } from './generation.js';
import { NONE } from './varint.js';

/** The goroutine and P an M is running, as the scheduling context (events.ts) follows them. */
export interface MState {
  g: number;
  p: number;
}

/** From 2^63 a varint is the runtime's "none" (^uint64(0)), as readUvarint decodes it. */
const TWO_63 = 2 ** 63;
/** Past ten bytes a varint cannot be a uint64. */
const TWO_70 = 2 ** 70;

/** What is wrong with an event that cannot be decoded. */
export const EventFault = {
  unknownType: (type: number) => `unknown or misplaced event type ${type} in an event batch`,
  varintTooLong: 'event argument is a varint longer than 10 bytes',
  cutOff: 'event is cut off by the end of its batch',
} as const;

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
    let pos = this.pos;
    this.offset = this.dataOffset + pos;
    const type = data[pos++]!;
    const n = this.argCounts[type]!;
    if (n < 1) throw new FormatError(EventFault.unknownType(type), this.source, this.offset);
    // The delta, then the arguments. One byte is the common case; longer varints are summed in doubles.
    // A read past the batch gives undefined, which ends a varint: the check after the event catches it.
    // The loop is written out twice on purpose: as a function call, the same loop in a batch decoder ran 1.7x slower.
    let c = data[pos++]!;
    let v = c;
    if (c >= 0x80) {
      v &= 0x7f;
      for (let scale = 128; c >= 0x80 && scale < TWO_70; scale *= 128) v += ((c = data[pos++]!) & 0x7f) * scale;
      if (c >= 0x80) throw this.tooLong();
      if (v >= TWO_63) v = NONE;
    }
    // The delta is converted on its own, as the Go reader does, so times agree with it to the nanosecond.
    this.time += Math.trunc(v * this.nsPerTick);
    const args = this.args;
    for (let i = 1; i < n; i++) {
      c = data[pos++]!;
      v = c;
      if (c >= 0x80) {
        v &= 0x7f;
        for (let scale = 128; c >= 0x80 && scale < TWO_70; scale *= 128) v += ((c = data[pos++]!) & 0x7f) * scale;
        if (c >= 0x80) throw this.tooLong();
        if (v >= TWO_63) v = NONE;
      }
      args[i - 1] = v;
    }
    if (pos > data.length) throw new FormatError(EventFault.cutOff, this.source, this.offset);
    this.pos = pos;
    this.type = type;
    this.byType[type]!++;
    return true;
  }

  private tooLong(): FormatError {
    return new FormatError(EventFault.varintTooLong, this.source, this.offset);
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
}
