import { GrowableBigUint64, GrowableFloat64, GrowableInt32 } from './growable.js';
import { MAX_EXACT, type Mapping, type MemStats, type Profile, type ValueType } from './profile.js';

export interface LineInput {
  /** Function index from `addFunction`, or -1. */
  fn: number;
  line: number;
  column?: number;
}

export interface LabelInput {
  key: string;
  str?: string;
  num?: number;
  numUnit?: string;
}

/** Header fields of a profile under construction. */
export interface ProfileHeader {
  sampleTypes: ValueType[];
  defaultSampleType?: string;
  periodType?: ValueType;
  period?: number;
  timeNanos?: bigint;
  durationNanos?: bigint;
  comments?: string[];
  dropFrames?: string;
  keepFrames?: string;
  docUrl?: string;
  memStats?: MemStats;
  /** Profile.roundedIntegers of the sources (a merge carries theirs over). */
  roundedIntegers?: number;
}

/**
 * Builds a Profile incrementally with interned strings. Used by the text
 * decoders and by merge; the protobuf decoder fills the tables directly.
 * IDs are assigned 1..N in insertion order, as pprof numbers them.
 */
export class ProfileBuilder {
  private readonly strings: string[] = [''];
  private readonly stringIndex = new Map<string, number>([['', 0]]);
  readonly mappings: Mapping[] = [];

  private readonly fnName = new GrowableInt32();
  private readonly fnSystemName = new GrowableInt32();
  private readonly fnFilename = new GrowableInt32();
  private readonly fnStartLine = new GrowableFloat64();

  private readonly locMapping = new GrowableInt32();
  private readonly locAddress = new GrowableBigUint64();
  private readonly locFolded = new GrowableInt32();
  private readonly locLineStart = new GrowableInt32();
  private readonly locLineCount = new GrowableInt32();

  private readonly lineFn = new GrowableInt32();
  private readonly lineNo = new GrowableFloat64();
  private readonly lineCol = new GrowableFloat64();

  private readonly sampleLocStart = new GrowableInt32();
  private readonly sampleLocCount = new GrowableInt32();
  private readonly stacks = new GrowableInt32(1 << 14);
  private readonly values = new GrowableFloat64(1 << 14);
  private readonly sampleLabelStart = new GrowableInt32();
  private readonly sampleLabelCount = new GrowableInt32();

  private readonly labelKey = new GrowableInt32();
  private readonly labelStr = new GrowableInt32();
  private readonly labelNum = new GrowableFloat64();
  private readonly labelNumUnit = new GrowableInt32();

  /**
   * Every value exactly, kept from the first sample that brings exact values
   * (a merge of profiles whose values pass 2^53) or the first sum that passes
   * 2^53; null until then, as for every profile a program writes.
   */
  private exact: bigint[] | null = null;
  /** Values past 2^53 given without `exact` (text profiles parse them into doubles): read rounded. */
  private rounded = 0;

  constructor(readonly header: ProfileHeader) {}

  intern(s: string): number {
    let i = this.stringIndex.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.stringIndex.set(s, i);
    }
    return i;
  }

  get sampleCount(): number {
    return this.sampleLocStart.length;
  }

  get locationCount(): number {
    return this.locMapping.length;
  }

  addMapping(m: Omit<Mapping, 'id'>): number {
    this.mappings.push({ ...m, id: this.mappings.length + 1 });
    return this.mappings.length - 1;
  }

  addFunction(name: string, systemName: string, filename: string, startLine: number): number {
    this.fnName.push(this.intern(name));
    this.fnSystemName.push(this.intern(systemName));
    this.fnFilename.push(this.intern(filename));
    this.fnStartLine.push(startLine);
    return this.fnName.length - 1;
  }

  addLocation(mapping: number, address: bigint, lines: readonly LineInput[], folded = false): number {
    this.locMapping.push(mapping);
    this.locAddress.push(address);
    this.locFolded.push(folded ? 1 : 0);
    this.locLineStart.push(this.lineFn.length);
    this.locLineCount.push(lines.length);
    for (const l of lines) {
      this.lineFn.push(l.fn);
      this.lineNo.push(l.line);
      this.lineCol.push(l.column ?? 0);
    }
    return this.locMapping.length - 1;
  }

  /** Replaces the lines of a location (symbolisation after the fact). */
  setLocationLines(loc: number, lines: readonly LineInput[]): void {
    this.locLineStart.data[loc] = this.lineFn.length;
    this.locLineCount.data[loc] = lines.length;
    for (const l of lines) {
      this.lineFn.push(l.fn);
      this.lineNo.push(l.line);
      this.lineCol.push(l.column ?? 0);
    }
  }

  /**
   * Adds a sample; `locations` are leaf first. `exact` gives the values as
   * int64 when the source holds them exactly (SampleTable.exact); without it,
   * values past 2^53 count as read rounded. Returns its index.
   */
  addSample(locations: ArrayLike<number>, values: ArrayLike<number>, labels: readonly LabelInput[] = [], exact?: ArrayLike<bigint>): number {
    this.sampleLocStart.push(this.stacks.length);
    this.sampleLocCount.push(locations.length);
    const stacks = this.stacks;
    stacks.reserve(locations.length);
    for (let i = 0; i < locations.length; i++) stacks.data[stacks.length++] = locations[i]!;
    if (exact === undefined) this.rounded += countInexact(values);
    if (exact !== undefined || this.exact !== null) {
      const all = this.exactValues();
      for (let i = 0; i < values.length; i++) all.push(exact !== undefined ? exact[i]! : BigInt(values[i]!));
    }
    for (let i = 0; i < values.length; i++) this.values.push(values[i]!);
    this.sampleLabelStart.push(this.labelKey.length);
    this.sampleLabelCount.push(labels.length);
    for (const l of labels) {
      this.labelKey.push(this.intern(l.key));
      this.labelStr.push(this.intern(l.str ?? ''));
      this.labelNum.push(l.num ?? 0);
      this.labelNumUnit.push(this.intern(l.numUnit ?? ''));
    }
    return this.sampleLocStart.length - 1;
  }

  /**
   * Adds to the values of an existing sample (merging equal stacks). Sums
   * are int64 as in pprof (wrapping past 2^63 − 1), kept exactly once one
   * passes 2^53 or the values come with `exact`.
   */
  addToSample(sample: number, values: ArrayLike<number>, exact?: ArrayLike<bigint>): void {
    const n = this.header.sampleTypes.length;
    const data = this.values.data;
    const at = sample * n;
    if (exact === undefined && this.exact === null) {
      let fits = true;
      for (let t = 0; t < n; t++) if (Math.abs(data[at + t]! + values[t]!) > MAX_EXACT) fits = false;
      if (fits) {
        for (let t = 0; t < n; t++) data[at + t] += values[t]!;
        return;
      }
    }
    const all = this.exactValues();
    for (let t = 0; t < n; t++) {
      const sum = BigInt.asIntN(64, all[at + t]! + (exact !== undefined ? exact[t]! : BigInt(values[t]!)));
      all[at + t] = sum;
      data[at + t] = Number(sum);
    }
  }

  /** The exact values, made from the values so far (exact below 2^53) when there were none yet. */
  private exactValues(): bigint[] {
    this.exact ??= Array.from(this.values.view(), (v) => BigInt(v));
    return this.exact;
  }

  sampleValues(sample: number): Float64Array {
    const n = this.header.sampleTypes.length;
    return this.values.data.subarray(sample * n, sample * n + n);
  }

  build(): Profile {
    const h = this.header;
    const values = this.values.finish();
    const seq = (n: number): Float64Array => Float64Array.from({ length: n }, (_, i) => i + 1);
    return {
      sampleTypes: h.sampleTypes,
      defaultSampleType: h.defaultSampleType ?? '',
      periodType: h.periodType,
      period: h.period ?? 0,
      timeNanos: h.timeNanos ?? 0n,
      durationNanos: h.durationNanos ?? 0n,
      comments: h.comments ?? [],
      dropFrames: h.dropFrames ?? '',
      keepFrames: h.keepFrames ?? '',
      docUrl: h.docUrl ?? '',
      strings: this.strings,
      mappings: this.mappings,
      functions: {
        count: this.fnName.length,
        id: seq(this.fnName.length),
        name: this.fnName.finish(),
        systemName: this.fnSystemName.finish(),
        filename: this.fnFilename.finish(),
        startLine: this.fnStartLine.finish(),
      },
      locations: {
        count: this.locMapping.length,
        id: seq(this.locMapping.length),
        mapping: this.locMapping.finish(),
        address: this.locAddress.finish(),
        isFolded: Uint8Array.from(this.locFolded.finish()),
        lineStart: this.locLineStart.finish(),
        lineCount: this.locLineCount.finish(),
      },
      lines: {
        count: this.lineFn.length,
        function: this.lineFn.finish(),
        line: this.lineNo.finish(),
        column: this.lineCol.finish(),
      },
      samples: {
        count: this.sampleLocStart.length,
        locStart: this.sampleLocStart.finish(),
        locCount: this.sampleLocCount.finish(),
        values,
        ...(this.exact !== null ? { exact: BigInt64Array.from(this.exact) } : {}),
        labelStart: this.sampleLabelStart.finish(),
        labelCount: this.sampleLabelCount.finish(),
      },
      stacks: this.stacks.finish(),
      labels: {
        count: this.labelKey.length,
        key: this.labelKey.finish(),
        str: this.labelStr.finish(),
        num: this.labelNum.finish(),
        numUnit: this.labelNumUnit.finish(),
      },
      inexactValues: countInexact(values),
      roundedIntegers: (h.roundedIntegers ?? 0) + this.rounded,
      ...(h.memStats ? { memStats: h.memStats } : {}),
    };
  }
}

/** How many values pass 2^53 − 1 in magnitude. */
export function countInexact(values: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (Math.abs(values[i]!) > MAX_EXACT) n++;
  return n;
}
