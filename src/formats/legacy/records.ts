import { FormatError } from '../errors.js';
import type { LabelInput, ProfileBuilder } from '../../model/builder.js';
import { firstNonBlank, textOf } from './lines.js';
import { FrameReader, LegacyLocations, type AddressKey } from './symbols.js';

export interface RecordValues {
  values: number[];
  /** The `bytes` label of a heap sample. */
  bytes?: number;
}

/**
 * Parses the record line buf[start,end) (start is its first non-blank byte)
 * and appends its `@` addresses to `addresses`; 'stop' ends the records.
 */
export type ParseRecord = (buf: Uint8Array, start: number, end: number, lineNo: number, addresses: AddressKey[]) => RecordValues | 'stop';

/** A record line as text, for parsers that match it with a regex. */
export function recordText(buf: Uint8Array, start: number, end: number): string {
  return textOf(buf, start, end).trim();
}

/**
 * The shared shape of Go's debug=1 text profiles, read a line at a time: a
 * record line ending in an `@ 0x… 0x…` address list, followed by `#`
 * comment lines (frames, labels), records separated by blank lines.
 * `parseRecord` turns a record line into a sample; the frames become symbols
 * for its addresses. After a 'stop' the remaining lines are not records.
 */
export class RecordReader {
  /**
   * When set, the frame lines of a record made only of addresses seen in
   * earlier records are skipped (most records of a big heap profile): they
   * could only name addresses already named. The one thing lost is an
   * address a first record did not print (Go hides leading runtime frames)
   * and a later one prints — it stays `runtime.<hidden>`; heap reports drop
   * leading runtime frames anyway.
   */
  skipKnownFrames = false;
  private readonly locs: LegacyLocations;
  private readonly frames = new FrameReader();
  private stopped = false;
  /** Reused for every record: its addresses, then its location indexes. */
  private readonly addresses: AddressKey[] = [];
  private readonly stack: number[] = [];
  /** The `bytes` label, reused (the builder copies it). */
  private readonly bytesLabel: [LabelInput] = [{ key: 'bytes', num: 0 }];

  constructor(
    private readonly b: ProfileBuilder,
    private readonly parseRecord: ParseRecord,
  ) {
    this.locs = new LegacyLocations(b);
  }

  line(buf: Uint8Array, start: number, end: number, lineNo: number, terminated: boolean): boolean {
    if (this.stopped) return false;
    const s = firstNonBlank(buf, start, end);
    if (s === end) {
      this.frames.endRecord();
      return false;
    }
    if (buf[s] === 35) {
      this.frames.line(buf, s, end);
      return false;
    }
    this.frames.endRecord();
    this.addresses.length = 0;
    let rec: RecordValues | 'stop';
    try {
      rec = this.parseRecord(buf, s, end, lineNo, this.addresses);
    } catch (err) {
      throw terminated ? err : truncated(err);
    }
    if (rec === 'stop') {
      this.stopped = true;
      return false;
    }
    const added = this.locs.stack(this.addresses, this.stack);
    let labels: readonly LabelInput[] = NO_LABELS;
    if (rec.bytes !== undefined) {
      this.bytesLabel[0].num = rec.bytes;
      labels = this.bytesLabel;
    }
    this.b.addSample(this.stack, rec.values, labels);
    return this.skipKnownFrames && added === 0;
  }

  /** All lines are read: symbolises the locations. */
  finish(): void {
    this.frames.endRecord();
    this.locs.symbolize(this.frames.symbols);
  }
}

const NO_LABELS: readonly LabelInput[] = [];

/** A bad last line without a newline is most likely a cut-off file: the error says so. */
function truncated(err: unknown): unknown {
  if (!(err instanceof FormatError)) return err;
  return new FormatError(`${err.message}; the file ends in the middle of this line, so it looks truncated`, err.source, err.offset, err.line);
}

/** A FormatError for a text line. */
export function lineError(message: string, lineNo: number): FormatError {
  return new FormatError(message, undefined, undefined, lineNo);
}
