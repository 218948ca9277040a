import { FootprintError } from '../model/errors.js';
import { printable } from '../model/printable.js';

/**
 * The two ways a decoder can fail: "not this format" is a false from
 * `sniff`, while a `FormatError` means "this format, but malformed" (or
 * unreadable). Its message names the file and where it went wrong.
 */
export class FormatError extends FootprintError {
  override name = 'FormatError';
  constructor(
    message: string,
    /** The file (or other source) the bytes came from, when known. */
    readonly source?: string,
    /** Byte offset (binary formats) where the problem was found. */
    readonly offset?: number,
    /** 1-based line number (text formats) where the problem was found. */
    readonly line?: number,
  ) {
    super(message);
  }

  /** The one line a user sees: `FILE: what was wrong (where)`, with anything quoted from the input made printable. */
  override describe(): string {
    const where =
      this.line !== undefined ? ` (line ${this.line})` : this.offset !== undefined ? ` (byte offset ${this.offset})` : '';
    return printable(`${this.source ?? '<input>'}: ${this.message}${where}`);
  }

  /** The same error, attributed to a named source. */
  withSource(source: string): FormatError {
    if (this.source !== undefined) return this;
    return new FormatError(this.message, source, this.offset, this.line);
  }
}
