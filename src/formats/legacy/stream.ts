import type { Profile } from '../../model/profile.js';
import type { ProfileStream } from '../registry.js';
import { LineSplitter, type LineSink } from './lines.js';

/** A legacy text decoder fed one line at a time. */
export interface LineDecoder {
  line: LineSink;
  /** The text is complete: the profile. */
  finish(): Profile;
}

/**
 * Decodes legacy text as it is read: chunks are split into lines and handed
 * to the decoder, so neither the file nor a string of it is ever held whole.
 */
export class TextProfileStream implements ProfileStream {
  private readonly splitter: LineSplitter;

  constructor(private readonly decoder: LineDecoder) {
    this.splitter = new LineSplitter((buf, start, end, lineNo, terminated) => decoder.line(buf, start, end, lineNo, terminated));
  }

  push(chunk: Uint8Array): void {
    this.splitter.push(chunk);
  }

  finish(): Profile {
    this.splitter.end();
    return this.decoder.finish();
  }
}

/** Decodes a whole text in memory through the same path. */
export function decodeLines(decoder: LineDecoder, bytes: Uint8Array): Profile {
  const s = new TextProfileStream(decoder);
  s.push(bytes);
  return s.finish();
}
