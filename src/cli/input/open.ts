import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { FormatError } from '../../formats/errors.js';
import { adjustUrl, fetchUrl, isUrl, urlName, type FetchOptions } from './url.js';

/** An input as bytes arrive: from a file, a device, a pipe, stdin or a URL. */
export interface RawInput {
  /** How messages and reports name it: the path, `<stdin>`, or the URL fetched. */
  readonly name: string;
  /** The byte count when known before reading (a regular file). */
  readonly size?: number;
  readonly chunks: AsyncIterable<Uint8Array>;
  /** Stops reading (closes the file, aborts the request); safe to call twice. */
  close(): void;
}

/** What `-` means on the command line, and how it is named. */
export const STDIN = '-';
export const STDIN_NAME = '<stdin>';

/** How messages and reports name an input given as `spec`: the path, `<stdin>`, or the URL fetched. */
export function inputName(spec: string, options: FetchOptions = {}): string {
  if (spec === STDIN) return STDIN_NAME;
  return isUrl(spec) ? urlName(adjustUrl(spec, options).url) : spec;
}

/** Bytes asked of a file at a time. */
const CHUNK_BYTES = 1 << 20;

/** Inputs that are not files: stored snapshots (cli/stored-input.ts), by the argument that named them. */
const provided = new Map<string, Uint8Array>();

export function provideInput(spec: string, bytes: Uint8Array): void {
  provided.set(spec, bytes);
}

/** Opens `-` (stdin), a provided input, an http(s) URL, or a file, device or named pipe; FormatError naming it when it cannot be. */
export async function openInput(spec: string, options: FetchOptions = {}): Promise<RawInput> {
  const given = provided.get(spec);
  if (given) return bytesInput(spec, given);
  if (spec === STDIN) return fileStream(STDIN_NAME, createReadStream('', { fd: 0, autoClose: false, highWaterMark: CHUNK_BYTES }));
  if (isUrl(spec)) return fetchUrl(spec, options);
  let size: number | undefined;
  try {
    const st = await stat(spec);
    if (st.isDirectory()) throw new FormatError('is a directory, not a file', spec);
    if (st.isFile()) size = st.size;
  } catch (err) {
    throw fileError(err, spec);
  }
  return fileStream(spec, createReadStream(spec, { highWaterMark: CHUNK_BYTES }), size);
}

function bytesInput(name: string, bytes: Uint8Array): RawInput {
  async function* chunks(): AsyncGenerator<Uint8Array> {
    yield bytes;
  }
  return { name, size: bytes.length, chunks: chunks(), close: () => undefined };
}

function fileStream(name: string, stream: ReturnType<typeof createReadStream>, size?: number): RawInput {
  async function* chunks(): AsyncGenerator<Uint8Array> {
    try {
      for await (const chunk of stream) yield chunk as Buffer;
    } catch (err) {
      throw fileError(err, name);
    } finally {
      stream.destroy();
    }
  }
  return { name, ...(size !== undefined ? { size } : {}), chunks: chunks(), close: () => stream.destroy() };
}

/** A failure to open or read a file, as the one line every command prints. */
export function fileError(err: unknown, name: string): FormatError {
  if (err instanceof FormatError) return err;
  const e = err as NodeJS.ErrnoException;
  return new FormatError(e.code === 'ENOENT' ? 'no such file' : `cannot read: ${e.message}`, name);
}
