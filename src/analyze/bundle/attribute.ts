import { lastAtMost, type SourceMap } from '../../model/bundle.js';

/**
 * Every byte of a generated file, given to exactly one owner: an original
 * source (its index in the map), or UNMAPPED. A segment owns the bytes from
 * where it starts to where the next segment starts, wherever that is — on
 * the same line or a later one — so the newlines and indentation a bundler
 * writes between two statements of one module stay with that module, and
 * nothing is counted twice or lost: the spans add up to the file's size.
 * A line with no segment at all is UNMAPPED: it is what the bundler wrote
 * between modules (esbuild's `// path` headers, the legal-comment block at
 * the end), not any module's code. Blank lines are the code's around them
 * when the same source resumes after them (a blank line inside a function),
 * and UNMAPPED when another begins (the gap bundlers put between modules). Bytes before the first segment, a
 * segment without a source (generated code), and the `sourceMappingURL`
 * comment are UNMAPPED too.
 *
 * Columns are UTF-16 code units (ECMA-426) and turned into byte offsets line
 * by line; a line of ASCII needs no conversion. A column past the end of its
 * line (esbuild writes them) starts at the line's end: it owns the line
 * break and what follows up to the next segment. Segments on lines the file
 * does not have are dropped with a warning.
 */

export const UNMAPPED = -1;

/** Span `i` is `starts[i]` up to `starts[i + 1]` (the last up to the file's size); owners never repeat back to back. */
export interface Spans {
  starts: Uint32Array;
  owners: Int32Array;
  size: number;
}

export interface Attribution {
  spans: Spans;
  warnings: string[];
}

/** Attribution of `code` through `map`; `cut` is a byte range owned by no source whatever the map says (the map's reference comment). */
export function attribute(input: Uint8Array, map: SourceMap | null, cut?: { start: number; end: number }): Attribution {
  // A plain Uint8Array view: given Buffers and Uint8Arrays alike, V8 would see two shapes here.
  const code = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  const warnings: string[] = [];
  const out = new SpanWriter(map ? map.columns.length + 2 : 2);
  out.add(0, UNMAPPED);
  if (map) {
    const fileLines = lineTable(code);
    const mapLines = map.lineStarts.length - 1;
    const lines = Math.min(mapLines, fileLines.count);
    let past = 0;
    // The first of a run of blank lines without segments: whose they are is known at the next segment.
    let blankFrom = -1;
    for (let l = 0; l < fileLines.count; l++) {
      const from = l < lines ? map.lineStarts[l]! : 0;
      const to = l < lines ? map.lineStarts[l + 1]! : 0;
      const start = fileLines.starts[l]!;
      const end = fileLines.ends[l]!;
      if (from === to) {
        if (!blank(code, start, end)) {
          out.add(blankFrom >= 0 ? blankFrom : start, UNMAPPED);
          blankFrom = -1;
        } else if (blankFrom < 0) blankFrom = start;
        continue;
      }
      if (blankFrom >= 0 && map.sourceIndex[from]! !== out.lastOwner()) out.add(blankFrom, UNMAPPED);
      blankFrom = -1;
      const toByte = fileLines.ascii[l] ? null : new Utf16ToUtf8(code, start);
      for (let s = from; s < to; s++) {
        const column = map.columns[s]!;
        let at = toByte ? toByte.byteOf(column) : start + column;
        if (at > end) {
          at = end;
          past++;
        }
        out.add(at, map.sourceIndex[s]!);
      }
    }
    if (blankFrom >= 0) out.add(blankFrom, UNMAPPED);
    if (past > 0) warnings.push(`${past} segment${past === 1 ? '' : 's'} with a column past the end of its line (read as the line's end)`);
    const dropped = map.lineStarts[mapLines]! - map.lineStarts[lines]!;
    if (dropped > 0) warnings.push(`the map has segments on ${mapLines - lines} line${mapLines - lines === 1 ? '' : 's'} past the file's ${fileLines.count} (${dropped} segments ignored): is it the map of this file?`);
  }
  const spans = out.finish(code.length);
  return { spans: cut ? carve(spans, cut) : spans, warnings };
}

/** A line of spaces and tabs only (a `\r` before its `\n` too). */
function blank(code: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const b = code[i]!;
    if (b !== 32 && b !== 9 && b !== 13) return false;
  }
  return true;
}

/** Where each line of the file starts and ends (before its `\n`, and before a `\r` preceding it), and whether it is all ASCII. */
function lineTable(code: Uint8Array): { starts: Uint32Array; ends: Uint32Array; ascii: Uint8Array; count: number } {
  let count = 1;
  for (let i = 0; i < code.length; i++) if (code[i] === 10) count++;
  const starts = new Uint32Array(count);
  const ends = new Uint32Array(count);
  const ascii = new Uint8Array(count).fill(1);
  let line = 0;
  for (let i = 0; i < code.length; i++) {
    const b = code[i]!;
    if (b === 10) {
      ends[line] = i;
      starts[++line] = i + 1;
    } else if (b >= 128) ascii[line] = 0;
  }
  ends[line] = code.length;
  return { starts, ends, ascii, count };
}

/**
 * Byte offsets of increasing UTF-16 columns within one line of UTF-8: walks
 * forward from the last answer, so a line's segments cost one pass. A
 * four-byte character is two code units; a column between them lands after it.
 */
class Utf16ToUtf8 {
  private units = 0;
  private at: number;
  constructor(
    private readonly code: Uint8Array,
    lineStart: number,
  ) {
    this.at = lineStart;
  }

  byteOf(column: number): number {
    const code = this.code;
    while (this.units < column && this.at < code.length && code[this.at] !== 10) {
      const b = code[this.at]!;
      const width = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
      this.at += width;
      this.units += width === 4 ? 2 : 1;
    }
    // A column past the line's end: report one byte beyond, so the caller sees it as past the end.
    return this.units < column ? this.at + 1 : this.at;
  }
}

/** Appends spans, merging a span into the one before when they have the same owner or it starts at the same byte. */
class SpanWriter {
  private starts: Uint32Array;
  private owners: Int32Array;
  private n = 0;
  constructor(capacity: number) {
    this.starts = new Uint32Array(capacity);
    this.owners = new Int32Array(capacity);
  }

  lastOwner(): number {
    return this.n > 0 ? this.owners[this.n - 1]! : UNMAPPED;
  }

  add(start: number, owner: number): void {
    const n = this.n;
    if (n > 0 && this.starts[n - 1] === start) {
      this.owners[n - 1] = owner;
      if (n > 1 && this.owners[n - 2] === owner) this.n--;
      return;
    }
    if (n > 0 && this.owners[n - 1] === owner) return;
    if (n === this.starts.length) this.grow();
    this.starts[n] = start;
    this.owners[n] = owner;
    this.n = n + 1;
  }

  private grow(): void {
    const starts = new Uint32Array(this.starts.length * 2);
    starts.set(this.starts);
    const owners = new Int32Array(this.owners.length * 2);
    owners.set(this.owners);
    this.starts = starts;
    this.owners = owners;
  }

  finish(size: number): Spans {
    return { starts: this.starts.slice(0, this.n), owners: this.owners.slice(0, this.n), size };
  }
}

/** The spans with [cut.start, cut.end) given to UNMAPPED. */
function carve(spans: Spans, cut: { start: number; end: number }): Spans {
  const out = new SpanWriter(spans.starts.length + 2);
  const n = spans.starts.length;
  let i = 0;
  for (; i < n && spans.starts[i]! < cut.start; i++) out.add(spans.starts[i]!, spans.owners[i]!);
  // The owner in force at cut.end resumes there.
  let resume = i > 0 ? spans.owners[i - 1]! : UNMAPPED;
  for (; i < n && spans.starts[i]! < cut.end; i++) resume = spans.owners[i]!;
  out.add(cut.start, UNMAPPED);
  if (cut.end < spans.size) out.add(cut.end, resume);
  for (; i < n; i++) out.add(spans.starts[i]!, spans.owners[i]!);
  return out.finish(spans.size);
}

/** Bytes per owner: `perSource[i]` for source i, and `unmapped`. They add up to `spans.size`. */
export function bytesPerOwner(spans: Spans, sourceCount: number): { perSource: Float64Array; unmapped: number } {
  const perSource = new Float64Array(sourceCount);
  let unmapped = 0;
  const { starts, owners, size } = spans;
  for (let i = 0; i < starts.length; i++) {
    const len = (i + 1 < starts.length ? starts[i + 1]! : size) - starts[i]!;
    const o = owners[i]!;
    if (o >= 0) perSource[o]! += len;
    else unmapped += len;
  }
  return { perSource, unmapped };
}

/** The owner of the byte at `offset` (binary search over the spans). */
export function ownerAt(spans: Spans, offset: number): number {
  return spans.owners[lastAtMost(spans.starts, offset)] ?? UNMAPPED;
}
