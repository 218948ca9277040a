import { closeSync, openSync, readSync } from 'node:fs';

/** Where trace bytes come from: whole in memory, or read from a file piece by piece. */
export interface ByteSource {
  /** Reads up to `length` bytes into `into` at `offset`; returns how many (0 at the end). */
  read(into: Uint8Array, offset: number, length: number): number;
  close?(): void;
}

export function bytesSource(bytes: Uint8Array): ByteSource {
  let pos = 0;
  return {
    read(into, offset, length) {
      const n = Math.min(length, bytes.length - pos);
      into.set(bytes.subarray(pos, pos + n), offset);
      pos += n;
      return n;
    },
  };
}

export function fileSource(path: string): ByteSource {
  const fd = openSync(path, 'r');
  return {
    read: (into, offset, length) => readSync(fd, into, offset, length, null),
    close: () => closeSync(fd),
  };
}

/**
 * A window over a ByteSource that refills `chunkSize` bytes at a time and
 * grows only when one record is larger than the window (a batch is at most
 * 64 KiB), so memory stays bounded whatever the file size.
 */
export class ChunkedReader {
  private buf: Uint8Array;
  private start = 0;
  private end = 0;
  private eof = false;
  /** File offset of buf[start]. */
  private base = 0;

  constructor(
    private readonly source: ByteSource,
    private readonly chunkSize: number,
  ) {
    this.buf = new Uint8Array(Math.max(chunkSize, 16));
  }

  get offset(): number {
    return this.base;
  }

  /** Makes up to `n` bytes available; returns how many are (fewer only at the end of the input). */
  ensure(n: number): number {
    while (this.end - this.start < n && !this.eof) this.fill(n);
    return Math.min(n, this.end - this.start);
  }

  /** The next `n` bytes (call ensure first); valid until the next ensure. */
  peek(n: number): Uint8Array {
    return this.buf.subarray(this.start, this.start + n);
  }

  skip(n: number): void {
    this.start += n;
    this.base += n;
  }

  private fill(need: number): void {
    const have = this.end - this.start;
    const want = Math.max(need, have + this.chunkSize);
    if (want > this.buf.length) {
      const grown = new Uint8Array(want);
      grown.set(this.buf.subarray(this.start, this.end));
      this.buf = grown;
    } else if (this.start > 0) {
      this.buf.copyWithin(0, this.start, this.end);
    }
    this.start = 0;
    this.end = have;
    const n = this.source.read(this.buf, this.end, Math.min(this.chunkSize, this.buf.length - this.end));
    if (n === 0) this.eof = true;
    this.end += n;
  }
}
