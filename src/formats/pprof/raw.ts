import { GrowableBigUint64, GrowableFloat64, GrowableInt32 } from '../../model/growable.js';
import type { Mapping } from '../../model/profile.js';

/** Largest up-front reservation (elements); bigger inputs grow from there. */
const RESERVE_LIMIT = 1 << 27;

/** A ValueType as read: string-table indexes. */
export interface RawValueType {
  type: number;
  unit: number;
}

/**
 * profile.proto as read off the wire, before anything is resolved: strings
 * are string-table indexes and references are the producer's IDs. The
 * decoder fills it; `resolveProfile` turns it into the model.
 */
export class RawProfile {
  readonly sampleTypes: RawValueType[] = [];
  periodType: RawValueType | undefined;
  period = 0;
  timeNanos = 0n;
  durationNanos = 0n;
  dropFrames = 0;
  keepFrames = 0;
  defaultSampleType = 0;
  docUrl = 0;
  readonly comments: number[] = [];
  readonly strings: string[] = [];
  readonly mappings: (Mapping & { fileX: number; buildIdX: number })[] = [];
  /** Integers whose magnitude passed 2^53 − 1, sample values included (counted by the wire reader). */
  inexact = 0;
  /** The sample values among them, exactly, by their index in `values`. */
  readonly wide = new Map<number, bigint>();

  readonly fnId = new GrowableFloat64();
  readonly fnName = new GrowableInt32();
  readonly fnSystemName = new GrowableInt32();
  readonly fnFilename = new GrowableInt32();
  readonly fnStartLine = new GrowableFloat64();

  readonly locId = new GrowableFloat64();
  readonly locMappingId = new GrowableFloat64();
  readonly locAddress = new GrowableBigUint64();
  readonly locFolded = new GrowableInt32();
  readonly locLineStart = new GrowableInt32();
  readonly locLineCount = new GrowableInt32();

  /** Function IDs, resolved later. */
  readonly lineFnId = new GrowableFloat64();
  readonly lineNumber = new GrowableFloat64();
  readonly lineColumn = new GrowableFloat64();

  readonly sampleLocStart = new GrowableInt32();
  readonly sampleLocCount = new GrowableInt32();
  /**
   * Location IDs (rewritten in place to indexes when resolved) and sample
   * values: the two big tables. Each varint takes at least a byte, so the
   * input's length bounds both; reserving that much costs address space only
   * (untouched pages are never resident) and saves every regrowth copy.
   */
  readonly stackIds: GrowableInt32;
  readonly values: GrowableFloat64;
  readonly sampleValueCount = new GrowableInt32();
  readonly sampleLabelStart = new GrowableInt32();
  readonly sampleLabelCount = new GrowableInt32();

  readonly labelKey = new GrowableInt32();
  readonly labelStr = new GrowableInt32();
  readonly labelNum = new GrowableFloat64();
  readonly labelNumUnit = new GrowableInt32();

  constructor(inputBytes: number) {
    const bound = Math.min(inputBytes + 16, RESERVE_LIMIT);
    this.stackIds = new GrowableInt32(bound);
    this.values = new GrowableFloat64(bound);
  }
}
