import { FormatError } from '../errors.js';

/**
 * What a line-oriented decoder is handed: one line's bytes (`buf[start,end)`,
 * without its '\n' or a '\r' before it), its 1-based number, and whether a
 * newline ended it (the last line of a cut-off file has none). Returning
 * SKIP_FRAMES asks for the `#\t` frame lines that follow to be skipped.
 */
export type LineSink = (buf: Uint8Array, start: number, end: number, lineNo: number, terminated: boolean) => boolean | void;

/** What a LineSink returns when the frame lines after this line are of no use to it. */
export const SKIP_FRAMES = true;

/**
 * Splits text handed over in chunks into lines, so a file is decoded as it is
 * read, never held whole. A line split between two chunks is carried over
 * (copied once); all others are handed out in place. Frame lines the sink
 * does not want (SKIP_FRAMES) are counted but not handed out, which is most
 * of a big profile's lines.
 */
export class LineSplitter {
  private carry: Buffer = Buffer.alloc(0);
  private carryLength = 0;
  private lineNo = 0;
  private skipping = false;

  constructor(private readonly sink: LineSink) {}

  push(bytes: Uint8Array): void {
    // Buffer's indexOf is memchr, several times faster than Uint8Array's; the view copies nothing.
    const chunk = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let start = 0;
    let nl = chunk.indexOf(10);
    if (this.carryLength > 0) {
      if (nl < 0) {
        this.append(chunk, 0, chunk.length);
        return;
      }
      this.append(chunk, 0, nl);
      this.emit(this.carry, 0, this.carryLength, true);
      this.carryLength = 0;
      start = nl + 1;
      nl = chunk.indexOf(10, start);
    }
    while (nl >= 0) {
      if (this.skipping && chunk[start] === 35 && chunk[start + 1] === 9 && start + 1 < nl) this.lineNo++;
      else this.emit(chunk, start, nl, true);
      start = nl + 1;
      nl = chunk.indexOf(10, start);
    }
    if (start < chunk.length) this.append(chunk, start, chunk.length);
  }

  /** The input is complete: the text after the last newline is a line too (an empty one when the text ends with '\n'). */
  end(): void {
    this.emit(this.carry, 0, this.carryLength, false);
    this.carryLength = 0;
  }

  private emit(buf: Uint8Array, start: number, end: number, terminated: boolean): void {
    this.lineNo++;
    if (this.skipping && buf[start] === 35 && buf[start + 1] === 9 && start + 1 < end) return;
    this.skipping = this.sink(buf, start, end > start && buf[end - 1] === 13 ? end - 1 : end, this.lineNo, terminated) === SKIP_FRAMES;
  }

  private append(chunk: Uint8Array, start: number, end: number): void {
    const n = end - start;
    if (this.carryLength + n > this.carry.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.carryLength + n, this.carry.length * 2, 4096));
      grown.set(this.carry.subarray(0, this.carryLength));
      this.carry = grown;
    }
    this.carry.set(chunk.subarray(start, end), this.carryLength);
    this.carryLength += n;
  }
}

/** A line (or part of one) as a string: Buffer's native UTF-8 slice (TextDecoder costs microseconds a call). */
export function textOf(buf: Uint8Array, start: number, end: number): string {
  return (Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength)).toString('utf8', start, end);
}

/** True when the bytes are only spaces, tabs and the like (String.prototype.trim's ASCII whitespace). */
export function isBlank(buf: Uint8Array, start: number, end: number): boolean {
  return firstNonBlank(buf, start, end) === end;
}

/** Index of the first byte that is not ASCII whitespace, or `end`. */
export function firstNonBlank(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i < end && isSpace(buf[i]!)) i++;
  return i;
}

function isSpace(b: number): boolean {
  return b === 32 || (b >= 9 && b <= 13);
}

/** The first line of the (inflated) head, for sniffing. */
export function headLine(head: Uint8Array): string {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head);
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t !== '' && !t.startsWith('#')) return t;
  }
  return '';
}

/**
 * Parses the hex addresses of an `@ 0x… 0x…` list (what pprof's record
 * regexes capture) into `out`. Addresses are numbers when below 2^53
 * (always, for real programs), else bigints, so a location can be keyed
 * without a BigInt per address.
 */
export function parseAddresses(list: string, lineNo: number, out: (number | bigint)[] = []): (number | bigint)[] {
  return parseAddressBytes(ENCODER.encode(list), 0, list.length, lineNo, out);
}

const ENCODER = new TextEncoder();

/** The same over bytes buf[start,end) (an ASCII list), appended to `out`. */
export function parseAddressBytes(buf: Uint8Array, start: number, end: number, lineNo: number, out: (number | bigint)[]): (number | bigint)[] {
  for (let i = start; i + 1 < end; ) {
    if (buf[i] !== 48 || buf[i + 1] !== 120) {
      i++;
      continue;
    }
    let j = i + 2;
    let v = 0;
    for (let d = j < end ? hexDigit(buf[j]!) : -1; d >= 0; d = j < end ? hexDigit(buf[j]!) : -1) {
      v = v * 16 + d;
      j++;
    }
    if (j > i + 2) out.push(v <= Number.MAX_SAFE_INTEGER ? v : bigAddress(textOf(buf, i, j), lineNo));
    i = j;
  }
  return out;
}

function bigAddress(hex: string, lineNo: number): bigint {
  const big = BigInt(hex);
  if (big >= 1n << 64n) throw new FormatError(`address ${hex} does not fit in 64 bits`, undefined, undefined, lineNo);
  return big;
}

/** The value of a lower-case hex digit (the runtime prints addresses in lower case), or -1. */
export function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** Parses a decimal int64 field of a text profile, or fails naming the line. */
export function parseInt64(s: string, what: string, lineNo: number): number {
  if (!/^-?\d+$/.test(s)) throw new FormatError(`${what} ${JSON.stringify(s)} is not an integer`, undefined, undefined, lineNo);
  const n = Number(s);
  if (!Number.isSafeInteger(n)) {
    const b = BigInt(s);
    if (b > 2n ** 63n - 1n || b < -(2n ** 63n)) throw new FormatError(`${what} ${s} overflows int64`, undefined, undefined, lineNo);
  }
  return n;
}
