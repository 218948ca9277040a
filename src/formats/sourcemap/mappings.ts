/**
 * The `mappings` string of a source map (ECMA-426 §"Mappings"): generated
 * lines separated by `;`, segments by `,`, each segment 1, 4 or 5 base64 VLQ
 * fields — generated column (relative to the previous segment of the line),
 * then source index, original line, original column and name index
 * (relative to the previous segment anywhere). Decoded in one pass over the
 * map's bytes (never made into a string) into typed arrays: a 16 MB map has
 * hundreds of thousands of segments, and an object per segment is what makes
 * other tools slow and big.
 *
 * Nothing here throws: a character outside base64, a number that does not
 * end, a source index out of range or a negative column is counted and the
 * segment dropped or clamped, and the caller gets a warning per kind.
 */

/** Base64 digit values by byte; -1 for a byte that is not a digit. */
const DIGIT = new Int8Array(256).fill(-1);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.split('').forEach((c, i) => (DIGIT[c.charCodeAt(0)] = i));

const COMMA = 44;
const SEMICOLON = 59;

export interface DecodedMappings {
  lineStarts: Uint32Array;
  columns: Uint32Array;
  sourceIndex: Int32Array;
  warnings: string[];
}

interface Problems {
  badSegments: number;
  badSources: number;
  negativeColumns: number;
  unsortedLines: number;
}

/** Decodes the mappings in `bytes[from, to)` (the JSON string's content, without quotes) for a map with `sourceCount` sources. */
export function decodeMappings(input: Uint8Array, from: number, to: number, sourceCount: number): DecodedMappings {
  // A plain Uint8Array view: given Buffers and Uint8Arrays alike, V8 would see two shapes here.
  const bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  // Exact counts first (one cheap pass), so the arrays are allocated once at their final size.
  let lines = 1;
  let segments = 0;
  let inSegment = false;
  for (let i = from; i < to; i++) {
    const b = bytes[i]!;
    if (b === SEMICOLON || b === COMMA) {
      if (b === SEMICOLON) lines++;
      inSegment = false;
    } else if (!inSegment) {
      inSegment = true;
      segments++;
    }
  }
  const lineStarts = new Uint32Array(lines + 1);
  const columns = new Uint32Array(segments);
  const sourceIndex = new Int32Array(segments);
  const problems: Problems = { badSegments: 0, badSources: 0, negativeColumns: 0, unsortedLines: 0 };

  let source = 0;
  let count = 0;
  let line = 0;
  let column = 0;
  let sorted = true;
  let i = from;
  while (i <= to) {
    const c = i < to ? bytes[i]! : SEMICOLON;
    if (c === SEMICOLON) {
      if (!sorted) sortLine(columns, sourceIndex, lineStarts[line]!, count, problems);
      lineStarts[++line] = count;
      column = 0;
      sorted = true;
      i++;
      continue;
    }
    if (c === COMMA) {
      i++;
      continue;
    }
    // One segment: up to five VLQ numbers, up to the next separator. Only the
    // first two matter here (original line, column and name are relative too,
    // but attribution never reads them).
    let k = 0;
    let f0 = 0;
    let f1 = 0;
    let ok = true;
    while (i < to) {
      const ch = bytes[i]!;
      if (ch === COMMA || ch === SEMICOLON) break;
      let value = 0;
      let shift = 0;
      let d = 32;
      while (d & 32) {
        d = i < to ? DIGIT[bytes[i]!]! : -1;
        if (d < 0 || shift > 30) {
          ok = false;
          break;
        }
        value |= (d & 31) << shift;
        shift += 5;
        i++;
      }
      if (!ok) break;
      const signed = value & 1 ? -(value >>> 1) : value >>> 1;
      if (k === 0) f0 = signed;
      else if (k === 1) f1 = signed;
      k++;
    }
    if (!ok || k === 2 || k === 3 || k > 5) {
      problems.badSegments++;
      while (i < to && bytes[i] !== COMMA && bytes[i] !== SEMICOLON) i++;
      continue;
    }
    column += f0;
    let src = -1;
    if (k >= 4) {
      source += f1;
      if (source >= 0 && source < sourceCount) src = source;
      else problems.badSources++;
    }
    let at = column;
    if (at < 0) {
      problems.negativeColumns++;
      at = 0;
    }
    if (count > lineStarts[line]! && at < columns[count - 1]!) sorted = false;
    columns[count] = at;
    sourceIndex[count] = src;
    count++;
  }
  return {
    lineStarts,
    columns: count === segments ? columns : columns.slice(0, count),
    sourceIndex: count === segments ? sourceIndex : sourceIndex.slice(0, count),
    warnings: describe(problems),
  };
}

/** Segments of one line out of column order (the spec allows it; attribution needs them sorted). */
function sortLine(columns: Uint32Array, sources: Int32Array, from: number, to: number, problems: Problems): void {
  problems.unsortedLines++;
  const order = Array.from({ length: to - from }, (_, j) => from + j).sort((a, b) => columns[a]! - columns[b]! || a - b);
  const cols = order.map((j) => columns[j]!);
  const srcs = order.map((j) => sources[j]!);
  for (let j = 0; j < order.length; j++) {
    columns[from + j] = cols[j]!;
    sources[from + j] = srcs[j]!;
  }
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function describe(p: Problems): string[] {
  const out: string[] = [];
  if (p.badSegments) out.push(`${plural(p.badSegments, 'malformed segment')} in mappings skipped`);
  if (p.badSources) out.push(`${plural(p.badSources, 'segment')} name a source index the map does not have (counted as unmapped)`);
  if (p.negativeColumns) out.push(`${plural(p.negativeColumns, 'segment')} with a negative column (read as column 0)`);
  if (p.unsortedLines) out.push(`${plural(p.unsortedLines, 'line')} with segments out of column order (sorted)`);
  return out;
}
