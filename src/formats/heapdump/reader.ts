import { FormatError } from '../errors.js';
import type { RandomAccess } from '../random-access.js';

/**
 * A forward reader over a heap dump: unsigned varints (the runtime's
 * `dumpint`, encoding/binary's Uvarint), length-prefixed strings and memory
 * ranges. A file is read through a window of `chunkSize` bytes that slides
 * forward; bytes already in memory are read in place. Object contents are
 * skipped, not copied: only the words at pointer offsets are read later
 * (`words`), from the window when they are still in it, else from the file.
 */
export class DumpReader {
  private buf: Uint8Array;
  /** Absolute position of buf[0]. */
  private base = 0;
  /** Next byte to read, as an index into buf. */
  private pos = 0;
  /** End of the valid bytes in buf. */
  private end = 0;
  private readonly size: number;
  /** Scratch for words read from the file when they have left the window. */
  private block = new Uint8Array(0);
  private blockStart = -1;
  private blockLength = 0;

  constructor(
    private readonly source: RandomAccess,
    chunkSize = 4 << 20,
  ) {
    this.size = source.size;
    if (source.bytes) {
      this.buf = source.bytes;
      this.end = source.bytes.length;
    } else {
      this.buf = new Uint8Array(Math.max(64, chunkSize));
    }
  }

  /** Absolute position of the next byte. */
  get position(): number {
    return this.base + this.pos;
  }

  get atEnd(): boolean {
    return this.position >= this.size;
  }

  /** Bytes left in the input after the current position. */
  get remaining(): number {
    return this.size - this.position;
  }

  fail(message: string, at = this.position): never {
    throw new FormatError(message, undefined, at);
  }

  /** Makes `n` bytes available at pos (fewer only at the end of the input); returns how many are. */
  private ensure(n: number): number {
    if (this.end - this.pos >= n || this.source.bytes) return Math.min(n, this.end - this.pos);
    const keep = this.end - this.pos;
    if (n > this.buf.length) {
      const grown = new Uint8Array(n);
      grown.set(this.buf.subarray(this.pos, this.end));
      this.buf = grown;
    } else {
      this.buf.copyWithin(0, this.pos, this.end);
    }
    this.base += this.pos;
    this.pos = 0;
    this.end = keep;
    const want = Math.max(0, Math.min(this.buf.length - keep, this.size - (this.base + keep)));
    this.end += this.source.readAt(this.buf, keep, want, this.base + keep);
    return Math.min(n, this.end);
  }

  /** An unsigned varint as a double (exact below 2^53: every address, size and count in a dump). */
  uvarint(): number {
    if (this.end - this.pos < 10) this.ensure(10);
    const buf = this.buf;
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) this.fail('the dump ends in the middle of a record (was it cut off?)');
      const b = buf[this.pos++]!;
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 128;
    }
    return this.fail('a varint longer than 10 bytes', this.position - 10);
  }

  bool(): boolean {
    return this.uvarint() !== 0;
  }

  /** A length within what is left of the input, else a FormatError naming `what`. */
  length(what: string): number {
    const at = this.position;
    const n = this.uvarint();
    if (n > this.remaining) this.fail(`${what} of ${n} bytes runs past the end of the dump (${this.remaining} bytes left)`, at);
    return n;
  }

  /** A length-prefixed string (names, versions, wait reasons; never large in a real dump). */
  string(what: string): string {
    const n = this.length(what);
    if (n > 1 << 20) this.fail(`${what} of ${n} bytes is longer than any name the runtime writes`);
    this.ensure(n);
    const text = DECODER.decode(this.buf.subarray(this.pos, this.pos + n));
    this.pos += n;
    return text;
  }

  /** Up to `n` raw bytes (fewer at the end of the input), copied. */
  raw(n: number): Uint8Array {
    const got = this.ensure(n);
    const out = this.buf.slice(this.pos, this.pos + got);
    this.pos += got;
    return out;
  }

  /** Skips a length-prefixed memory range; returns its absolute start and length. */
  range(what: string): { start: number; length: number } {
    const length = this.length(what);
    const start = this.position;
    this.skip(length);
    return { start, length };
  }

  skip(n: number): void {
    if (this.pos + n <= this.end) {
      this.pos += n;
      return;
    }
    const to = this.position + n;
    if (this.source.bytes) {
      this.pos = Math.min(to, this.size);
      return;
    }
    // Jump past the window: the next read refills from the new position.
    this.base = to;
    this.pos = 0;
    this.end = 0;
  }

  /**
   * The words at `offsets[0..n)` of a range skipped earlier, as addresses,
   * written to `out`. Read from the window while the range is still there,
   * else from the source a block at a time (offsets come in ascending order,
   * as the runtime writes its pointer bitmaps, so each block is read once).
   */
  words(range: { start: number; length: number }, offsets: Float64Array, n: number, out: Float64Array, pointerSize: number, bigEndian: boolean): void {
    const inWindow = range.start >= this.base && range.start + range.length <= this.base + this.end;
    for (let i = 0; i < n; i++) {
      const at = range.start + offsets[i]!;
      if (inWindow) out[i] = readWord(this.buf, at - this.base, pointerSize, bigEndian);
      else out[i] = this.wordFromSource(at, pointerSize, bigEndian, range.start + range.length);
    }
  }

  private wordFromSource(at: number, pointerSize: number, bigEndian: boolean, limit: number): number {
    if (this.blockStart < 0 || at < this.blockStart || at + pointerSize > this.blockStart + this.blockLength) {
      const length = Math.min(WORD_BLOCK, limit - at);
      if (this.block.length < length) this.block = new Uint8Array(WORD_BLOCK);
      this.blockLength = this.source.readAt(this.block, 0, length, at);
      if (this.blockLength < pointerSize) this.fail('the dump ends inside an object', at);
      this.blockStart = at;
      return readWord(this.block, 0, pointerSize, bigEndian);
    }
    return readWord(this.block, at - this.blockStart, pointerSize, bigEndian);
  }
}

const DECODER = new TextDecoder('utf-8', { fatal: false });
const WORD_BLOCK = 1 << 20;
const TWO_32 = 2 ** 32;

/** A pointer-sized word at `at`, little- or big-endian, 4 or 8 bytes. */
export function readWord(b: Uint8Array, at: number, pointerSize: number, bigEndian: boolean): number {
  if (pointerSize === 4) {
    return bigEndian
      ? ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0
      : (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
  }
  if (bigEndian) {
    const hi = ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
    const lo = ((b[at + 4]! << 24) | (b[at + 5]! << 16) | (b[at + 6]! << 8) | b[at + 7]!) >>> 0;
    return hi * TWO_32 + lo;
  }
  const lo = (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
  const hi = (b[at + 4]! | (b[at + 5]! << 8) | (b[at + 6]! << 16) | (b[at + 7]! << 24)) >>> 0;
  return hi * TWO_32 + lo;
}
