import { statSync } from 'node:fs';
import { fileHead } from '../../formats/random-access.js';
import { FormatError } from '../../formats/errors.js';
import type { Admit } from '../../formats/limits.js';
import { isGzip } from '../../formats/gzip.js';
import { fileSource, type ByteSource } from '../../formats/trace/source.js';
import { positiveInteger, UsageError, type ParsedValues } from '../args.js';
import { fileError, inputName, openInput, STDIN } from './open.js';
import { readWhole } from './read.js';
import { streamedSource } from './stream-source.js';
import { isUrl, type FetchOptions } from './url.js';

export { STDIN, STDIN_NAME } from './open.js';
export { isUrl } from './url.js';

/** The help lines every reading command shows. */
export const INPUT_HELP = `Inputs:       a file, - for stdin, or an http(s):// URL (fetched as go tool pprof does)
              --seconds N  with a URL: sets ?seconds=N (how long a profile or trace records)
              --timeout N  with a URL: wait at most N seconds (default 1.5 x seconds, or 60)`;

/** An input read whole, with the name messages and reports give it. */
export interface ReadInput {
  name: string;
  bytes: Uint8Array;
}

/**
 * Where a command's inputs come from: files (devices and named pipes
 * too), `-` for stdin, http(s) URLs. Each is read as a stream within its
 * format's limit (formats/limits.ts), gzip inflated as it comes.
 */
export class Inputs {
  private stdinTaken = false;

  constructor(readonly options: FetchOptions = {}) {}

  /**
   * The inputs of a command from its flags (--seconds, --timeout); `specs`,
   * every input it will read, is checked first: stdin can be read once, and
   * saying so before reading it beats saying so after.
   */
  static fromFlags(values: ParsedValues, specs: readonly (string | undefined)[] = []): Inputs {
    if (specs.filter((s) => s === STDIN).length > 1) throw stdinTwice();
    const options: FetchOptions = {};
    if (values['seconds'] !== undefined) options.seconds = positiveInteger(values, 'seconds', 0);
    if (values['timeout'] !== undefined) options.timeoutSeconds = positiveInteger(values, 'timeout', 0);
    return new Inputs(options);
  }

  /** How messages and reports name the input: the path, `<stdin>`, or the URL fetched. */
  name(spec: string): string {
    return inputName(spec, this.options);
  }

  /** Reads a whole input; `admit` picks its size limit from its head, or refuses it (FormatError naming it). */
  async read(spec: string, admit: Admit): Promise<ReadInput> {
    this.claim(spec);
    const raw = await openInput(spec, this.options);
    return { name: raw.name, bytes: await readWhole(raw, admit) };
  }

  /** Reads a whole input and decodes it: `decode(bytes, name)`, e.g. decodeProfile. */
  async decode<T>(spec: string, admit: Admit, decode: (bytes: Uint8Array, name: string) => T): Promise<T> {
    const { name, bytes } = await this.read(spec, admit);
    return decode(bytes, name);
  }

  /**
   * An execution trace as the decoder reads it, synchronously and in pieces:
   * a plain regular file directly; a pipe, stdin, a URL or gzip through a
   * reader thread that inflates as it goes. No size limit: memory is a few
   * chunks whatever the length.
   */
  streamed(spec: string): { name: string; source: ByteSource } {
    this.claim(spec);
    if (this.inPlace(spec)) return { name: spec, source: fileSource(spec) };
    return { name: this.name(spec), source: streamedSource(spec, this.options) };
  }

  /**
   * True when the input can be read in place, at any offset: a regular file
   * that is not gzip (not stdin, a pipe or a URL). Throws the usual one-line
   * errors for a missing file or a directory.
   */
  inPlace(spec: string): boolean {
    return spec !== STDIN && !isUrl(spec) && isPlainFile(spec);
  }

  private claim(spec: string): void {
    if (spec !== STDIN) return;
    if (this.stdinTaken) throw stdinTwice();
    this.stdinTaken = true;
  }
}

function stdinTwice(): UsageError {
  return new UsageError('- (stdin) can be read only once');
}

/** A regular file that is not gzip; throws the usual one-line errors for a missing file or a directory. */
function isPlainFile(path: string): boolean {
  try {
    // stat, not open: opening a named pipe here would take bytes the reader thread must see.
    const st = statSync(path);
    if (st.isDirectory()) throw new FormatError('is a directory, not a file', path);
    if (!st.isFile()) return false;
    return !isGzip(fileHead(path, 2));
  } catch (err) {
    throw fileError(err, path);
  }
}
