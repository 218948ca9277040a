import { deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * The store's byte encodings: unsigned and zigzag varints (as protobuf
 * writes them), the key of an interned row (a frame, a function, a label
 * set …) and the rows of one profile (its samples keyed to stack nodes, or
 * its per-site totals). Everything a key holds is a number or a bigint, so
 * equal content always gives equal bytes — that is what makes a key unique.
 */

const TWO_52 = 2 ** 52;

export class ByteWriter {
  private buf: Uint8Array;
  length = 0;

  constructor(capacity = 64) {
    this.buf = new Uint8Array(capacity);
  }

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  /** A whole number ≥ 0; exact up to 2^53 (larger ones go through bigint). */
  uvarint(v: number): void {
    if (v >= TWO_52) {
      this.bigUvarint(BigInt(v));
      return;
    }
    this.room(8);
    while (v >= 0x80) {
      this.buf[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.length++] = v;
  }

  bigUvarint(v: bigint): void {
    this.room(10);
    while (v >= 0x80n) {
      this.buf[this.length++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.length++] = Number(v);
  }

  /** A signed whole number, zigzag-encoded (small magnitudes take few bytes whatever the sign). */
  svarint(v: number): void {
    if (!Number.isInteger(v)) throw new RangeError(`not a whole number: ${v}`);
    if (Math.abs(v) < TWO_52) this.uvarint(v >= 0 ? v * 2 : -v * 2 - 1);
    else {
      const b = BigInt(v);
      this.bigUvarint(b >= 0n ? b << 1n : ((-b) << 1n) - 1n);
    }
  }

  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

export class ByteReader {
  at = 0;
  constructor(readonly buf: Uint8Array) {}

  get done(): boolean {
    return this.at >= this.buf.length;
  }

  uvarint(): number {
    let v = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.at >= this.buf.length) throw new RangeError('varint runs past the end');
      const b = this.buf[this.at++]!;
      v += (b & 0x7f) * scale;
      if (b < 0x80) return v;
      scale *= 0x80;
    }
    throw new RangeError('varint longer than 10 bytes');
  }

  /** The same bytes as uvarint, exact beyond 2^53. */
  bigUvarint(): bigint {
    let v = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.at >= this.buf.length) throw new RangeError('varint runs past the end');
      const b = this.buf[this.at++]!;
      v |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return v;
      shift += 7n;
    }
    throw new RangeError('varint longer than 10 bytes');
  }

  svarint(): number {
    const start = this.at;
    const u = this.uvarint();
    if (u < TWO_52 * 2) return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
    this.at = start;
    const b = this.bigUvarint();
    return Number(b & 1n ? -((b + 1n) >> 1n) : b >> 1n);
  }

  bytes(n: number): Uint8Array {
    if (this.at + n > this.buf.length) throw new RangeError('field runs past the end');
    const out = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }
}

/** Builds a key from numbers (zigzag) and bigints (unsigned, e.g. addresses). */
export function keyOf(parts: readonly (number | bigint)[]): Uint8Array {
  const w = new ByteWriter(parts.length * 3 + 4);
  for (const p of parts) {
    if (typeof p === 'bigint') w.bigUvarint(p);
    else w.svarint(p);
  }
  return w.finish();
}

/**
 * Rows keyed to interned ids: a profile's samples (key = stack node, with a
 * label set) or its per-site totals (key = site). Rows are sorted by key, so
 * the keys are small deltas. Two parts, each deflated: the keys and label
 * sets, and the values column by column (a column of one sample type
 * compresses better than rows of mixed ones). Garbage collection reads only
 * the keys, so they are stored apart.
 */
export interface KeyedRows {
  count: number;
  /** Values per row (a profile's sample types). */
  width: number;
  keys: Float64Array;
  /** 0 when a row has no labels. */
  labelSets: Float64Array;
  /** `values[row * width + column]`. */
  values: Float64Array;
}

export interface EncodedRows {
  keys: Uint8Array;
  values: Uint8Array;
}

const ROWS_FORMAT = 1;

/** Encodes rows whose keys are already in ascending order (ties allowed). */
export function encodeRows(rows: KeyedRows): EncodedRows {
  const keys = new ByteWriter(rows.count * 2 + 16);
  keys.uvarint(ROWS_FORMAT);
  keys.uvarint(rows.count);
  keys.uvarint(rows.width);
  let prev = 0;
  for (let i = 0; i < rows.count; i++) {
    const k = rows.keys[i]!;
    if (k < prev) throw new RangeError('rows must be sorted by key');
    keys.uvarint(k - prev);
    prev = k;
  }
  for (let i = 0; i < rows.count; i++) keys.uvarint(rows.labelSets[i]!);
  const values = new ByteWriter(rows.count * rows.width * 2 + 16);
  for (let c = 0; c < rows.width; c++) for (let i = 0; i < rows.count; i++) values.svarint(rows.values[i * rows.width + c]!);
  return { keys: deflateRawSync(keys.finish()), values: deflateRawSync(values.finish()) };
}

/** Only the keys and label sets (for marking what is still referenced). */
export function decodeRowKeys(blob: Uint8Array): Pick<KeyedRows, 'count' | 'width' | 'keys' | 'labelSets'> {
  const r = new ByteReader(inflateRawSync(blob));
  const format = r.uvarint();
  if (format !== ROWS_FORMAT) throw new RangeError(`unknown rows format ${format}`);
  const count = r.uvarint();
  const width = r.uvarint();
  const keys = new Float64Array(count);
  const labelSets = new Float64Array(count);
  let prev = 0;
  for (let i = 0; i < count; i++) keys[i] = prev += r.uvarint();
  for (let i = 0; i < count; i++) labelSets[i] = r.uvarint();
  if (!r.done) throw new RangeError('trailing bytes after the keys');
  return { count, width, keys, labelSets };
}

export function decodeRows(encoded: EncodedRows): KeyedRows {
  const keyed = decodeRowKeys(encoded.keys);
  const { count, width } = keyed;
  const v = new ByteReader(inflateRawSync(encoded.values));
  const values = new Float64Array(count * width);
  for (let c = 0; c < width; c++) for (let i = 0; i < count; i++) values[i * width + c] = v.svarint();
  if (!v.done) throw new RangeError('trailing bytes after the values');
  return { ...keyed, values };
}
