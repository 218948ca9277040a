import { FormatError } from '../errors.js';

/** Protobuf wire types (https://protobuf.dev/programming-guides/encoding/). */
export const enum WireType {
  Varint = 0,
  Fixed64 = 1,
  Len = 2,
  StartGroup = 3,
  EndGroup = 4,
  Fixed32 = 5,
}

const TWO_32 = 4294967296;

/**
 * A cursor over protobuf bytes. Numbers come back as JS `number`; int64 values
 * are decoded as signed two's complement (a diff profile's -32 is -32, not
 * 2^64-32 as npm `pprof-format` returns). Magnitudes above 2^53 lose precision;
 * `inexact` counts how often that happened so callers can say so.
 */
export class WireReader {
  pos: number;
  inexact = 0;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    /** End of the current message; narrowed while a sub-message is read. */
    public end = buf.length,
  ) {
    this.pos = start;
  }

  done(): boolean {
    return this.pos >= this.end;
  }

  fail(message: string, at = this.pos): never {
    throw new FormatError(message, undefined, at);
  }

  /** Unsigned varint up to 2^53 as a number (IDs, indexes, lengths, line numbers). */
  uint(): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos >= this.end) this.fail('unexpected end of data in varint');
    let b = buf[pos++]!;
    if (b < 0x80) {
      this.pos = pos;
      return b;
    }
    let result = b & 0x7f;
    let shift = 7;
    // The first four bytes fit in 28 bits, where bit operations are exact.
    while (shift < 28) {
      if (pos >= this.end) this.fail('unexpected end of data in varint');
      b = buf[pos++]!;
      result |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        return result >>> 0;
      }
      shift += 7;
    }
    let value = result >>> 0;
    let factor = 268435456; // 2^28
    for (let i = 4; i < 10; i++) {
      if (pos >= this.end) this.fail('unexpected end of data in varint');
      b = buf[pos++]!;
      value += (b & 0x7f) * factor;
      if (b < 0x80) {
        this.pos = pos;
        if (value > Number.MAX_SAFE_INTEGER) this.inexact++;
        return value;
      }
      factor *= 128;
    }
    this.fail('varint longer than 10 bytes', this.pos);
  }

  /** Signed int64 varint (two's complement, not zigzag) as a number. */
  int64(): number {
    const start = this.pos;
    const buf = this.buf;
    // Fast path: small non-negative values.
    const first = buf[start];
    if (first !== undefined && first < 0x80 && start < this.end) {
      this.pos = start + 1;
      return first;
    }
    // Values below 2^28 (four bytes) are non-negative and exact with bit operations.
    if (start + 4 <= this.end) {
      let v = first! & 0x7f;
      for (let i = 1, shift = 7; i < 4; i++, shift += 7) {
        const b = buf[start + i]!;
        v |= (b & 0x7f) << shift;
        if (b < 0x80) {
          this.pos = start + i + 1;
          return v;
        }
      }
    }
    const [lo, hi] = this.varint64Halves();
    if (hi >= 0x80000000) {
      // Negative: value = -(~x + 1), computed on the two halves.
      const magnitude = (~hi >>> 0) * TWO_32 + (~lo >>> 0) + 1;
      if (magnitude > Number.MAX_SAFE_INTEGER) this.inexact++;
      return -magnitude;
    }
    const value = hi * TWO_32 + lo;
    if (value > Number.MAX_SAFE_INTEGER) this.inexact++;
    return value;
  }

  /** Signed int64 varint as a bigint (timestamps in nanoseconds exceed 2^53). */
  int64Big(): bigint {
    const [lo, hi] = this.varint64Halves();
    return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo));
  }

  /** Unsigned 64-bit varint as a bigint (addresses). */
  uint64Big(): bigint {
    const [lo, hi] = this.varint64Halves();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  private varint64Halves(): [number, number] {
    const buf = this.buf;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    let b = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      if (pos >= this.end) this.fail('unexpected end of data in varint');
      b = buf[pos++]!;
      lo |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        return [lo >>> 0, 0];
      }
    }
    if (pos >= this.end) this.fail('unexpected end of data in varint');
    b = buf[pos++]!;
    lo |= (b & 0x0f) << 28;
    hi = (b & 0x7f) >> 4;
    if (b < 0x80) {
      this.pos = pos;
      return [lo >>> 0, hi >>> 0];
    }
    for (let shift = 3; shift < 32; shift += 7) {
      if (pos >= this.end) this.fail('unexpected end of data in varint');
      b = buf[pos++]!;
      hi |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        return [lo >>> 0, hi >>> 0];
      }
    }
    this.fail('varint longer than 10 bytes', this.pos);
  }

  bool(): boolean {
    return this.uint() !== 0;
  }

  /** Reads a length prefix and returns [start, end) of the payload. */
  lengthDelimited(): [number, number] {
    const at = this.pos;
    const length = this.uint();
    const start = this.pos;
    const end = start + length;
    if (end > this.end) this.fail(`length-delimited field of ${length} bytes runs past the end of its message`, at);
    this.pos = end;
    return [start, end];
  }

  /** Reads a field tag; returns field number and wire type. */
  tag(): [number, WireType] {
    const key = this.tagKey();
    return [Math.floor(key / 8), (key & 7) as WireType];
  }

  /** Reads a field tag as its raw key (field × 8 + wire type), checked; no allocation on the hot path. */
  tagKey(): number {
    const at = this.pos;
    const key = this.uint();
    const wire = key & 7;
    if (key < 8) this.fail('invalid field number 0', at);
    if (wire === WireType.StartGroup || wire === WireType.EndGroup || wire > 5) {
      this.fail(`unsupported wire type ${wire} for field ${Math.floor(key / 8)}`, at);
    }
    return key;
  }

  skip(wire: WireType): void {
    switch (wire) {
      case WireType.Varint:
        this.uint64Big();
        return;
      case WireType.Fixed64:
        this.advance(8);
        return;
      case WireType.Len:
        this.lengthDelimited();
        return;
      case WireType.Fixed32:
        this.advance(4);
        return;
      default:
        this.fail(`unsupported wire type ${wire}`);
    }
  }

  private advance(n: number): void {
    if (this.pos + n > this.end) this.fail('unexpected end of data in fixed-width field');
    this.pos += n;
  }

  /**
   * Reads a repeated scalar field that may be packed (wire type 2) or not
   * (one varint per tag); calls `each` for every element.
   */
  repeated<T>(wire: WireType, read: () => T, each: (v: T) => void): void {
    if (wire !== WireType.Len) {
      each(read());
      return;
    }
    const [start, end] = this.lengthDelimited();
    this.pos = start;
    while (this.pos < end) each(read());
    if (this.pos !== end) this.fail('packed field runs past its declared length', start);
  }
}
