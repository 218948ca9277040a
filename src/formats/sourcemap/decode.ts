import { lastAtMost, type SourceMap } from '../../model/bundle.js';
import { FormatError } from '../errors.js';
import { JsonScanner } from './json-scan.js';
import { decodeMappings } from './mappings.js';

/**
 * Source map files (ECMA-426, version 3): a regular map, or an index map
 * whose `sections` each carry a map placed at a line and column of the
 * generated file — flattened here into one segment table, so attribution
 * never needs to know which it was.
 */

/** Maps served to browsers may start with `)]}'` to defeat XSSI; the spec says to skip that line. */
const XSSI = /^\)\]\}'[^\n]*\n/;

/** A JSON object with a version and mappings or sections: the cheap look before a full decode. */
export function sniffSourceMap(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1 << 20)).toString('latin1');
  return head.replace(XSSI, '').trimStart().startsWith('{') && /"(mappings|sections)"\s*:/.test(head) && /"version"\s*:/.test(head);
}

/**
 * Reads bytes `[start, end)` of the map again, for `content()`: given when
 * the map is a file, so the map's bytes (mostly `sourcesContent`, 17 MB for
 * a 4 MB bundle) need not be kept once the segments are decoded.
 */
export type ReadAgain = (start: number, end: number) => Uint8Array;

/**
 * Decodes a source map from its bytes. Throws a FormatError when they are
 * not a source map at all (not JSON, no mappings); problems inside an
 * otherwise readable map are `warnings`, and the segments they touch are
 * dropped. Without `readAgain`, the bytes are kept (not copied) for `content()`.
 */
export function decodeSourceMap(input: string | Uint8Array, source: string, readAgain?: ReadAgain): SourceMap {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const scan = new JsonScanner(bytes, source);
  const xssi = XSSI.exec(Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 256)).toString('latin1'));
  if (xssi) scan.pos = Buffer.byteLength(xssi[0]);
  const map = readMap(scan, source, 0, readAgain ? fileText(readAgain) : scanText(scan));
  if (scan.peek() !== -1) scan.fail('text after the end of the JSON object');
  return map;
}

/** Where a JSON string's content is in the map's bytes. */
type StringRange = ReturnType<JsonScanner['stringRange']>;

/** The text of a byte range of the map: from the scanner's bytes, or read again from the file. */
type TextOf = (start: number, end: number) => string;

// Each closure is made in a function of its own: V8 gives the closures of one scope one shared
// context, so a reader made next to anything that uses the scanner would keep the map's bytes alive.
function scanText(scan: JsonScanner): TextOf {
  return (start, end) => scan.text(start, end);
}

function fileText(readAgain: ReadAgain): TextOf {
  return (start, end) => Buffer.from(readAgain(start, end)).toString('utf8');
}

function contentOf(contents: readonly (StringRange | null)[], textOf: TextOf): (index: number) => string | null {
  return (i) => {
    const r = contents[i];
    if (!r) return null;
    const raw = textOf(r.start, r.end);
    return r.escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
  };
}

function readMap(scan: JsonScanner, source: string, depth: number, textOf: TextOf): SourceMap {
  if (scan.peek() !== 123) scan.fail('not a JSON object');
  let version: unknown;
  let root = '';
  let sources: string[] = [];
  let contents: (StringRange | null)[] = [];
  let mappings: StringRange | null = null;
  let sections: Placed[] | null = null;
  const sectionWarnings: string[] = [];
  scan.object((key) => {
    if (key === 'version') version = scan.parseValue();
    else if (key === 'sourceRoot') {
      const v = scan.parseValue();
      root = typeof v === 'string' ? v : '';
    } else if (key === 'sources') sources = stringList(scan.parseValue());
    else if (key === 'sourcesContent' && scan.peek() === 91) contents = contentRanges(scan);
    else if (key === 'mappings' && scan.peek() === 34) mappings = scan.stringRange();
    else if (key === 'sections' && scan.peek() === 91) {
      if (depth > 0) scan.fail('an index map inside an index map (the spec forbids nesting)');
      sections = readSections(scan, source, sectionWarnings, textOf);
    } else scan.skipValue();
  });
  if (version !== undefined && version !== 3) throw new FormatError(`source map version ${JSON.stringify(version)} (only 3 is defined)`, source);
  if (sections) return flattenSections(sections, sectionWarnings);
  const m = mappings as StringRange | null;
  if (!m) throw new FormatError('not a source map: no "mappings" string and no "sections"', source);
  // Mappings are base64 and separators; an escape there (\u002c for a comma) is legal JSON nobody writes.
  const decoded = m.escaped ? decodeEscapedMappings(scan, m, sources.length) : decodeMappings(scan.bytes, m.start, m.end, sources.length);
  return {
    sources: sources.map((s) => withRoot(root, s)),
    content: contentOf(contents, textOf),
    lineStarts: decoded.lineStarts,
    columns: decoded.columns,
    sourceIndex: decoded.sourceIndex,
    warnings: decoded.warnings,
  };
}

function decodeEscapedMappings(scan: JsonScanner, m: { start: number; end: number }, sourceCount: number) {
  const text = JSON.parse(`"${scan.text(m.start, m.end)}"`) as string;
  const bytes = Buffer.from(text, 'latin1');
  return decodeMappings(bytes, 0, bytes.length, sourceCount);
}

/** Where each `sourcesContent` string is (null entries stay null). */
function contentRanges(scan: JsonScanner): (StringRange | null)[] {
  const out: (StringRange | null)[] = [];
  scan.array(() => {
    if (scan.peek() === 34) out.push(scan.stringRange());
    else {
      scan.skipValue();
      out.push(null);
    }
  });
  return out;
}

/** `sources` entries may be null (a source the tool chose not to name); they keep their index. */
function stringList(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.map((s, i) => (typeof s === 'string' ? s : `<source ${i}>`));
}

function withRoot(root: string, source: string): string {
  if (root === '' || /^[a-z][a-z0-9+.-]*:/i.test(source) || source.startsWith('/')) return source;
  return root.endsWith('/') ? root + source : `${root}/${source}`;
}

function readSections(scan: JsonScanner, source: string, warnings: string[], textOf: TextOf): Placed[] {
  const placed: Placed[] = [];
  scan.array((i) => {
    let offset: unknown;
    let map: SourceMap | null = null;
    let url: unknown;
    scan.object((key) => {
      if (key === 'offset') offset = scan.parseValue();
      else if (key === 'map' && scan.peek() === 123) map = readMap(scan, source, 1, textOf);
      else if (key === 'url') url = scan.parseValue();
      else scan.skipValue();
    });
    const o = offset as { line?: unknown; column?: unknown } | undefined;
    const line = o?.line;
    const column = o?.column;
    const m = map as SourceMap | null;
    if (typeof line !== 'number' || typeof column !== 'number' || line < 0 || column < 0) warnings.push(`section ${i} has no valid offset (skipped)`);
    else if (!m) warnings.push(`section ${i} refers to ${typeof url === 'string' ? url : 'no map'} by url (not supported; its bytes are unmapped)`);
    else {
      for (const w of m.warnings) warnings.push(`section ${i}: ${w}`);
      placed.push({ line, column, map: m });
    }
  });
  return placed;
}

interface Placed {
  line: number;
  column: number;
  map: SourceMap;
}

/**
 * An index map's sections, in order, each shifted to its offset. A section
 * runs until the next one starts: segments of an earlier section at or past
 * that point are dropped (the spec requires sections not to overlap).
 * Sources shared between sections (by name) become one source. Two passes
 * (count, then fill typed arrays of the final size): a map of many large
 * sections never holds a JavaScript number per segment.
 */
function flattenSections(placed: Placed[], warnings: string[]): SourceMap {
  placed.sort((a, b) => a.line - b.line || a.column - b.column);
  const kept = placed.map((p, i) => keptSegments(p, placed[i + 1]));
  let total = 0;
  for (const n of kept) total += n;
  const lastLine = placed.reduce((m, p, i) => (kept[i]! > 0 ? Math.max(m, p.line + lastAtMost(p.map.lineStarts, kept[i]! - 1, p.map.lineStarts.length - 1)) : m), -1);
  const lineStarts = new Uint32Array(lastLine + 2);
  const columns = new Uint32Array(total);
  const owners = new Int32Array(total);

  const sources: string[] = [];
  const contentOf: { map: SourceMap; index: number }[] = [];
  const byName = new Map<string, number>();
  let at = 0;
  placed.forEach((p, i) => {
    const remap = p.map.sources.map((name, j) => {
      let k = byName.get(name);
      if (k === undefined) {
        k = sources.length;
        byName.set(name, k);
        sources.push(name);
        contentOf.push({ map: p.map, index: j });
      }
      return k;
    });
    const { lineStarts: starts, columns: cols, sourceIndex } = p.map;
    const n = kept[i]!;
    for (let l = 0; l + 1 < starts.length && starts[l]! < n; l++) {
      const end = Math.min(starts[l + 1]!, n);
      lineStarts[p.line + l + 1] += end - starts[l]!;
      for (let s = starts[l]!; s < end; s++) {
        columns[at] = l === 0 ? p.column + cols[s]! : cols[s]!;
        owners[at] = sourceIndex[s]! < 0 ? -1 : remap[sourceIndex[s]!]!;
        at++;
      }
    }
  });
  for (let l = 0; l + 1 < lineStarts.length; l++) lineStarts[l + 1] += lineStarts[l]!;
  const content = (i: number) => (contentOf[i] ? contentOf[i]!.map.content(contentOf[i]!.index) : null);
  return { sources, content, lineStarts, columns, sourceIndex: owners, warnings };
}

/** How many of a section's segments (a prefix: they are in order) come before the next section starts. */
function keptSegments(p: Placed, next: Placed | undefined): number {
  const { lineStarts, columns } = p.map;
  const all = lineStarts[lineStarts.length - 1]!;
  if (!next) return all;
  for (let l = 0; l + 1 < lineStarts.length; l++) {
    const line = p.line + l;
    if (line > next.line) return lineStarts[l]!;
    for (let s = lineStarts[l]!; s < lineStarts[l + 1]!; s++) {
      const column = l === 0 ? p.column + columns[s]! : columns[s]!;
      if (line === next.line && column >= next.column) return s;
    }
  }
  return all;
}
