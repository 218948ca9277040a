/**
 * The pprof-shaped profile model every format decodes into.
 *
 * Tables are struct-of-arrays over typed arrays, and every string is an index
 * into `strings`, so a 400k-sample, 18-deep heap profile costs a few tens of
 * megabytes rather than millions of objects. References between tables are
 * dense 0-based indexes (not proto IDs); -1 means "none". The profile is
 * treated as immutable once built: reports copy what they change.
 */

export interface ValueType {
  /** e.g. "inuse_space", "alloc_objects", "contentions". */
  type: string;
  /** e.g. "bytes", "count", "nanoseconds". */
  unit: string;
}

export interface Mapping {
  /** The ID it had in the source profile. */
  id: number;
  start: bigint;
  limit: bigint;
  offset: bigint;
  file: string;
  buildId: string;
  hasFunctions: boolean;
  hasFilenames: boolean;
  hasLineNumbers: boolean;
  hasInlineFrames: boolean;
}

export interface FunctionTable {
  count: number;
  /** Source ID (proto `Function.id`). */
  id: Float64Array;
  /** String indexes. */
  name: Int32Array;
  systemName: Int32Array;
  filename: Int32Array;
  startLine: Float64Array;
}

export interface LocationTable {
  count: number;
  id: Float64Array;
  /** Index into `mappings`, or -1. */
  mapping: Int32Array;
  address: BigUint64Array;
  isFolded: Uint8Array;
  /** This location's lines are `lines[lineStart .. lineStart+lineCount)`, callee first, caller last. */
  lineStart: Int32Array;
  lineCount: Int32Array;
}

export interface LineTable {
  count: number;
  /** Index into the function table, or -1 when the line names no function. */
  function: Int32Array;
  line: Float64Array;
  column: Float64Array;
}

export interface SampleTable {
  count: number;
  /** The sample's stack is `stacks[locStart .. locStart+locCount)`, leaf first; entries index the location table. */
  locStart: Int32Array;
  locCount: Int32Array;
  /** `values[i * sampleTypes.length + t]` is sample i's value of type t (signed). */
  values: Float64Array;
  /**
   * Every value exactly, as int64, when some value's magnitude passes 2^53 − 1
   * (`values` then holds the nearest double: 2^63 − 1 reads as 2^63); absent
   * otherwise, as for every profile a program can write. Read through `exactValue`.
   */
  exact?: BigInt64Array;
  /** The sample's labels are `labels[labelStart .. labelStart+labelCount)`. */
  labelStart: Int32Array;
  labelCount: Int32Array;
}

export interface LabelTable {
  count: number;
  /** String indexes. `str` is 0 ("") for numeric labels. */
  key: Int32Array;
  str: Int32Array;
  num: Float64Array;
  numUnit: Int32Array;
}

/** Fields of the `# runtime.MemStats` footer or expvar `memstats`, keyed by the runtime's names. */
export type MemStats = Record<string, number | bigint | boolean | number[] | bigint[]>;

export interface Profile {
  sampleTypes: ValueType[];
  /** Name of the sample type pprof shows by default, or "" (then the last type). */
  defaultSampleType: string;
  periodType: ValueType | undefined;
  period: number;
  /** Wall-clock time of collection; nanoseconds since the epoch exceed 2^53, so bigint. */
  timeNanos: bigint;
  durationNanos: bigint;
  comments: string[];
  dropFrames: string;
  keepFrames: string;
  docUrl: string;
  strings: string[];
  mappings: Mapping[];
  functions: FunctionTable;
  locations: LocationTable;
  lines: LineTable;
  samples: SampleTable;
  /** Location indexes of every sample's stack, leaf first. */
  stacks: Int32Array;
  labels: LabelTable;
  /** How many sample values pass 2^53 − 1 in magnitude: `samples.values` holds them rounded, `samples.exact` exactly. */
  inexactValues: number;
  /**
   * How many integers of the input were read rounded to the nearest double:
   * integers other than sample values (period, numeric labels, line numbers,
   * IDs) past 2^53 − 1, and sample values past it in text profiles, which are
   * parsed into doubles. Export refuses such a profile rather than write
   * different numbers.
   */
  roundedIntegers: number;
  /** Legacy heap text carries a MemStats footer; kept as data. */
  memStats?: MemStats;
  /**
   * Set by the legacy mutex/block text decoder: which profile the header
   * named, and the mutex `sampling period` it multiplied the values by (as
   * pprof does; 1 for block text, which prints none).
   */
  contentionText?: { kind: 'mutex' | 'block'; samplingPeriod: number };
}

/** Sample i's value for sample type t. */
export function sampleValue(p: Profile, i: number, t: number): number {
  return p.samples.values[i * p.sampleTypes.length + t]!;
}

/** The largest magnitude below which every integer has an exact double (2^53 − 1). */
export const MAX_EXACT = Number.MAX_SAFE_INTEGER;

/** The exact int64 at `index` of `p.samples.values`. */
export function exactValue(p: Profile, index: number): bigint {
  const exact = p.samples.exact;
  return exact ? exact[index]! : BigInt(p.samples.values[index]!);
}

/** The function name of a line, or "" when it has none. */
export function lineFunctionName(p: Profile, line: number): string {
  const f = p.lines.function[line]!;
  return f < 0 ? '' : p.strings[p.functions.name[f]!]!;
}
