import { FormatError } from '../errors.js';
import type { ProfileBuilder } from '../../model/builder.js';
import { LegacyLocations, parseFrameLine, symbolsOfRecord, type FrameLine } from './symbols.js';

/**
 * The shared shape of Go's debug=1 text profiles: a record line ending in an
 * `@ 0x… 0x…` address list, followed by `#` comment lines (frames, labels),
 * records separated by blank lines. `parseRecord` turns a record line into a
 * sample; the frames become symbols for its addresses.
 */
export function readRecords(
  lines: readonly string[],
  firstLine: number,
  b: ProfileBuilder,
  parseRecord: (line: string, lineNo: number) => { values: number[]; addresses: bigint[]; bytes?: number } | 'stop',
): LegacyLocations {
  const locs = new LegacyLocations(b);
  let frames: FrameLine[] = [];
  const flush = () => {
    if (frames.length > 0) symbolsOfRecord(frames, locs.symbols);
    frames = [];
  };
  for (let i = firstLine; i < lines.length; i++) {
    const raw = lines[i]!;
    const line = raw.trim();
    if (line === '') {
      flush();
      continue;
    }
    if (line.startsWith('#')) {
      const f = parseFrameLine(raw.startsWith('#') ? raw : line);
      if (f) frames.push(f);
      continue;
    }
    flush();
    const rec = parseRecordOrExplain(parseRecord, line, i + 1, i === lines.length - 1);
    if (rec === 'stop') break;
    const stack = locs.stack(rec.addresses);
    b.addSample(stack, rec.values, rec.bytes !== undefined ? [{ key: 'bytes', num: rec.bytes }] : []);
  }
  flush();
  locs.symbolize();
  return locs;
}

/** Runs `parseRecord`; a bad last line without a newline is most likely a cut-off file, and the error says so. */
function parseRecordOrExplain<R>(parseRecord: (line: string, lineNo: number) => R, line: string, lineNo: number, isLast: boolean): R {
  try {
    return parseRecord(line, lineNo);
  } catch (err) {
    if (!(err instanceof FormatError) || !isLast) throw err;
    throw new FormatError(`${err.message}; the file ends in the middle of this line, so it looks truncated`, err.source, err.offset, err.line);
  }
}

/** A FormatError for a text line. */
export function lineError(message: string, lineNo: number): FormatError {
  return new FormatError(message, undefined, undefined, lineNo);
}
