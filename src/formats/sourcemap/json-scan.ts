import { FormatError } from '../errors.js';

/**
 * A cursor over JSON bytes that finds where values are without building
 * them. A source map is mostly two things: `sourcesContent` (every original
 * file, escaped) and `mappings`. JSON.parse would turn a 16 MB map into a
 * 16 MB string and then copies of both; scanning leaves the contents where
 * they are (read later, only if asked) and hands the mappings' bytes
 * straight to the VLQ decoder.
 */
export class JsonScanner {
  pos = 0;
  /** The same bytes as a Buffer: its indexOf is native memchr, Uint8Array's a plain loop. */
  private readonly buf: Buffer;
  constructor(
    readonly bytes: Uint8Array,
    private readonly source: string,
  ) {
    this.buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** The UTF-8 text of `bytes[start, end)`. */
  text(start: number, end: number): string {
    return this.buf.toString('utf8', start, end);
  }

  fail(what: string): never {
    throw new FormatError(`not a source map: ${what}`, this.source, this.pos);
  }

  skipSpace(): void {
    const b = this.bytes;
    while (this.pos < b.length) {
      const c = b[this.pos]!;
      if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return;
      this.pos++;
    }
  }

  /** The next non-space byte, not consumed (-1 at the end). */
  peek(): number {
    this.skipSpace();
    return this.pos < this.bytes.length ? this.bytes[this.pos]! : -1;
  }

  expect(ch: string): void {
    if (this.peek() !== ch.charCodeAt(0)) this.fail(`expected ${JSON.stringify(ch)}`);
    this.pos++;
  }

  /** Consumes `ch` if it is next. */
  accept(ch: string): boolean {
    if (this.peek() !== ch.charCodeAt(0)) return false;
    this.pos++;
    return true;
  }

  /**
   * A string at the cursor: returns the byte range of its content (between
   * the quotes, escapes left as they are) and moves past it.
   */
  stringRange(): { start: number; end: number; escaped: boolean } {
    if (this.peek() !== 34) this.fail('expected a string');
    const b = this.bytes;
    const start = this.pos + 1;
    let i = start;
    for (;;) {
      const q = this.buf.indexOf(34, i);
      if (q < 0) this.fail('a string that does not end');
      let slashes = 0;
      while (q - 1 - slashes >= start && b[q - 1 - slashes] === 92) slashes++;
      if (slashes % 2 === 0) {
        this.pos = q + 1;
        // Any backslash in the string, not only one before a quote (`\n`, `\u002c`): memchr-fast, bounded to the string.
        return { start, end: q, escaped: this.buf.subarray(start, q).includes(92) };
      }
      i = q + 1;
    }
  }

  /** Moves past one value of any kind; returns where it started. */
  skipValue(): number {
    const c = this.peek();
    const start = this.pos;
    if (c === 34) {
      this.stringRange();
      return start;
    }
    if (c === 123 || c === 91) {
      let depth = 0;
      const b = this.bytes;
      while (this.pos < b.length) {
        const x = b[this.pos]!;
        if (x === 34) {
          this.stringRange();
          continue;
        }
        if (x === 123 || x === 91) depth++;
        else if (x === 125 || x === 93) depth--;
        this.pos++;
        if (depth === 0) return start;
      }
      this.fail('an object or array that does not end');
    }
    while (this.pos < this.bytes.length && !isDelimiter(this.bytes[this.pos]!)) this.pos++;
    if (this.pos === start) this.fail('expected a value');
    return start;
  }

  /** The value at the cursor, parsed (for the small ones: versions, names, offsets). */
  parseValue(): unknown {
    const start = this.skipValue();
    try {
      return JSON.parse(this.text(start, this.pos));
    } catch (err) {
      this.pos = start;
      return this.fail((err as Error).message);
    }
  }

  /** Calls `each` at every member of the object at the cursor, with the key; `each` must consume the value. */
  object(each: (key: string) => void): void {
    this.expect('{');
    if (this.accept('}')) return;
    do {
      const k = this.stringRange();
      const key = this.text(k.start, k.end);
      this.expect(':');
      each(key);
    } while (this.accept(','));
    this.expect('}');
  }

  /** Calls `each` at every element of the array at the cursor; `each` must consume it. */
  array(each: (index: number) => void): void {
    this.expect('[');
    if (this.accept(']')) return;
    let i = 0;
    do each(i++);
    while (this.accept(','));
    this.expect(']');
  }
}

function isDelimiter(c: number): boolean {
  return c === 44 || c === 125 || c === 93 || c === 32 || c === 10 || c === 13 || c === 9;
}
