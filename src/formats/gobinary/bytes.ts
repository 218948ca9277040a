import { FormatError } from '../errors.js';

/**
 * Checked little- or big-endian reads over a byte range: an offset outside it
 * is a FormatError naming what was being read (never a RangeError), since a
 * damaged binary must fail with one clear line.
 */
export class Bytes {
  private readonly view: DataView;

  constructor(
    readonly data: Uint8Array,
    readonly littleEndian: boolean,
    /** Where `data` starts in the file, so errors give file offsets. */
    readonly fileOffset = 0,
  ) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  get length(): number {
    return this.data.length;
  }

  u8(at: number, what: string): number {
    this.check(at, 1, what);
    return this.data[at]!;
  }

  u16(at: number, what: string): number {
    this.check(at, 2, what);
    return this.view.getUint16(at, this.littleEndian);
  }

  u32(at: number, what: string): number {
    this.check(at, 4, what);
    return this.view.getUint32(at, this.littleEndian);
  }

  i32(at: number, what: string): number {
    this.check(at, 4, what);
    return this.view.getInt32(at, this.littleEndian);
  }

  /** A 64-bit unsigned value as a number; a FormatError above 2^53 (no file offset or address here gets that big). */
  u64(at: number, what: string): number {
    this.check(at, 8, what);
    const v = this.view.getBigUint64(at, this.littleEndian);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw this.error(`${what} ${v} is too large`, at);
    return Number(v);
  }

  /** A pointer-sized value, rounded when above 2^53: for scanning data that may hold anything. */
  looseWord(at: number, size: number, what: string): number {
    this.check(at, size, what);
    return size === 8 ? Number(this.view.getBigUint64(at, this.littleEndian)) : this.view.getUint32(at, this.littleEndian);
  }

  /** A pointer-sized value (4 or 8 bytes). */
  word(at: number, size: number, what: string): number {
    return size === 8 ? this.u64(at, what) : this.u32(at, what);
  }

  /** The NUL-terminated string at `at` (Latin-1 bytes as UTF-8: Go names are UTF-8). */
  cString(at: number, what: string): string {
    this.check(at, 1, what);
    const end = this.data.indexOf(0, at);
    if (end < 0) throw this.error(`${what} at ${at} has no terminating NUL`, at);
    return UTF8.decode(this.data.subarray(at, end));
  }

  /** The bytes [at, at+length), checked. */
  slice(at: number, length: number, what: string): Uint8Array {
    this.check(at, length, what);
    return this.data.subarray(at, at + length);
  }

  error(message: string, at: number): FormatError {
    return new FormatError(message, undefined, this.fileOffset + at);
  }

  private check(at: number, n: number, what: string): void {
    if (!(at >= 0 && at + n <= this.data.length)) throw this.error(`${what} at ${at} is outside its ${this.data.length}-byte table`, Math.max(0, at));
  }
}

const UTF8 = new TextDecoder('utf-8');
