import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { FormatError } from '../../formats/errors.js';
import { gzipError, isGzip } from '../../formats/gzip.js';
import { HEAD_BYTES, MAX_LIMIT_BYTES, tooLarge, type Admit, type SizeLimit } from '../../formats/limits.js';
import type { RawInput } from './open.js';

/** zlib's output pieces: larger than its 16 KiB default, fewer of them. */
const INFLATE_CHUNK = 1 << 18;

export interface InflateHooks {
  /** Sees each raw chunk's size before it is inflated; may throw to stop reading. */
  onRaw?: (n: number) => void;
  /** Called once, before any output, when the input is gzip. */
  onGzip?: () => void;
}

/**
 * The bytes of an input, inflated as they arrive when they are gzip
 * (multi-member streams too), so a reader never holds more than it has been
 * handed. zlib's failures come out as FormatErrors.
 */
export async function* inflating(raw: AsyncIterable<Uint8Array>, hooks: InflateHooks = {}): AsyncGenerator<Uint8Array, void, undefined> {
  const it = raw[Symbol.asyncIterator]();
  const next = async () => {
    const r = await it.next();
    if (!r.done) hooks.onRaw?.(r.value.length);
    return r;
  };
  // The magic number may come split over two reads of a pipe.
  const first: Uint8Array[] = [];
  let have = 0;
  while (have < 2) {
    const r = await next();
    if (r.done) break;
    first.push(r.value);
    have += r.value.length;
  }
  async function* all(): AsyncGenerator<Uint8Array> {
    try {
      yield* first;
      for (let r = await next(); !r.done; r = await next()) yield r.value;
    } finally {
      await it.return?.();
    }
  }
  if (!isGzip(concat(first, 2))) {
    yield* all();
    return;
  }
  hooks.onGzip?.();
  const gunzip = createGunzip({ chunkSize: INFLATE_CHUNK });
  pipeline(Readable.from(all(), { objectMode: false }), gunzip, () => {});
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
  } catch (err) {
    throw err instanceof FormatError || !isZlibError(err) ? err : gzipError(err as NodeJS.ErrnoException);
  } finally {
    gunzip.destroy();
  }
}

function isZlibError(err: unknown): boolean {
  return /^Z_/.test(String((err as { code?: unknown } | null)?.code));
}

/**
 * Reads a whole input into memory, within its format's limit: the first
 * HEAD_BYTES (inflated) go to `admit`, which refuses what is no format the
 * command reads or picks the limit; past the limit — inflated or raw, or a
 * file whose size says so — reading stops with a FormatError naming the
 * input. Memory at a refusal is the limit at most, whatever the input.
 */
export async function readWhole(input: RawInput, admit: Admit): Promise<Uint8Array> {
  const sink = new ByteSink();
  let limit: SizeLimit | undefined;
  let gzip = false;
  let raw = 0;
  const most = (): SizeLimit => limit ?? { bytes: MAX_LIMIT_BYTES, what: 'any input' };
  const admitHead = () => {
    limit = admit(sink.head(HEAD_BYTES));
    if (input.size !== undefined && input.size > limit.bytes) throw tooLarge(limit, false, input.size);
    if (input.size !== undefined && !gzip) sink.reserve(input.size);
  };
  const hooks: InflateHooks = {
    onGzip: () => (gzip = true),
    // Raw bytes count too: a gzip stream can run on while inflating to nothing.
    onRaw: (n) => {
      raw += n;
      if (raw > most().bytes) throw tooLarge(most(), false);
    },
  };
  try {
    for await (const chunk of inflating(input.chunks, hooks)) {
      sink.add(chunk);
      if (limit === undefined && sink.length >= HEAD_BYTES) admitHead();
      if (sink.length > most().bytes) throw tooLarge(most(), gzip);
    }
    // Said here: the decoders see no gzip, only the nothing it held.
    if (gzip && sink.length === 0) throw new FormatError('empty file (after gzip)');
    if (limit === undefined) admitHead();
    return sink.bytes();
  } catch (err) {
    throw err instanceof FormatError ? err.withSource(input.name) : err;
  } finally {
    input.close();
  }
}

/**
 * Chunks gathered into one array: one copy at the end, or none when the
 * size is known in advance (a plain regular file), so a file costs its size
 * in memory, not twice that.
 */
export class ByteSink {
  private parts: Uint8Array[] = [];
  private buf: Uint8Array | null = null;
  length = 0;

  add(chunk: Uint8Array): void {
    if (this.buf && this.length + chunk.length <= this.buf.length) this.buf.set(chunk, this.length);
    else {
      if (this.buf) this.parts = [this.buf.subarray(0, this.length)];
      this.buf = null;
      this.parts.push(chunk);
    }
    this.length += chunk.length;
  }

  /** Makes room for `total` bytes in one piece (a file that then grows falls back to pieces). */
  reserve(total: number): void {
    if (this.buf || total < this.length) return;
    const sofar = this.bytes();
    this.buf = new Uint8Array(total);
    this.buf.set(sofar);
    this.parts = [];
  }

  /** The first `n` bytes (fewer when there are fewer). */
  head(n: number): Uint8Array {
    const want = Math.min(n, this.length);
    if (this.buf) return this.buf.subarray(0, want);
    const first = this.parts[0];
    return first && first.length >= want ? first.subarray(0, want) : concat(this.parts, want);
  }

  bytes(): Uint8Array {
    if (this.buf) return this.length === this.buf.length ? this.buf : this.buf.subarray(0, this.length);
    return this.parts.length === 1 ? this.parts[0]! : concat(this.parts, this.length);
  }
}

/** The first `n` bytes of `parts` in one array. */
function concat(parts: readonly Uint8Array[], n: number): Uint8Array {
  const out = new Uint8Array(Math.min(n, parts.reduce((s, p) => s + p.length, 0)));
  let at = 0;
  for (const p of parts) {
    if (at >= out.length) break;
    const take = p.subarray(0, out.length - at);
    out.set(take, at);
    at += take.length;
  }
  return out;
}
