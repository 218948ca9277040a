/**
 * JS and CSS bundles with their source maps: the decoded map (segments as
 * typed arrays, one entry per mapping, never an object per segment) and a
 * bundle as read from disk. The analysis (analyze/bundle) turns these into
 * bytes per original file and per npm package.
 */

/**
 * A decoded source map (ECMA-426, version 3; index maps flattened). Only
 * what attribution needs is kept per segment: where it starts in the
 * generated file and which original source it belongs to.
 */
export interface SourceMap {
  /** Original sources, `sourceRoot` applied, as the map spells them (not resolved on disk). */
  sources: string[];
  /**
   * Source `i`'s content when the map embeds it (`sourcesContent`), else
   * null. Read on demand: the contents are most of a map's bytes and most
   * analyses never look at them.
   */
  content: (index: number) => string | null;
  /**
   * Segments of generated line `l` are `lineStarts[l] … lineStarts[l + 1] - 1`
   * (length: lines + 1); within a line they are sorted by column.
   */
  lineStarts: Uint32Array;
  /** Generated column of each segment, in UTF-16 code units (the spec's unit, not bytes). */
  columns: Uint32Array;
  /** Index into `sources`, or -1 for a segment that maps to no source (generated code). */
  sourceIndex: Int32Array;
  /** What was wrong but could be read around (bad characters, out-of-range indexes, unsorted segments). */
  warnings: string[];
}

/** One bundle (a generated JS or CSS file) and the map that goes with it, if one was found and read. */
export interface Bundle {
  /** The file as named by the user (or relative to the directory given). */
  file: string;
  code: Uint8Array;
  map: SourceMap | null;
  /** Where the map came from: a file path, `inline` (a data: URL), or null when there is none. */
  mapSource: string | null;
  /** Problems finding or reading the map; the bytes it could not explain are counted as unmapped. */
  warnings: string[];
}

/**
 * The index of the last entry of `sorted` (ascending) that is at most
 * `value`, or 0 when none is: the segment, span or line a position falls in.
 * Equal entries (empty lines, empty spans) resolve to the last of them.
 */
export function lastAtMost(sorted: ArrayLike<number>, value: number, length = sorted.length): number {
  let lo = 0;
  let hi = length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (sorted[mid]! <= value) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
