import { FormatError } from '../errors.js';
import type { Mapping, Profile, SampleTable, ValueType } from '../../model/profile.js';
import type { RawProfile, RawValueType } from './raw.js';

/**
 * Turns a RawProfile into the model: string indexes are checked, producer IDs
 * become dense indexes, and what pprof's CheckValid checks is checked. Done
 * once the whole message is read, because Go writes locations interleaved
 * with samples and the string table last.
 */
export function resolveProfile(raw: RawProfile): Profile {
  const strings = raw.strings;
  const hasStringTable = strings.length > 0;
  if (!hasStringTable) strings.push('');
  if (strings[0] !== '') throw new FormatError('string_table[0] must be the empty string');
  const str = (i: number, what: string): string => {
    const s = strings[i];
    if (s === undefined || !Number.isInteger(i)) {
      // Go writes the string table last, so this is what a cut-off profile looks like.
      const table = hasStringTable ? `the string table has ${strings.length} entries` : 'the profile has no string table (is the file truncated?)';
      throw new FormatError(`${what} refers to string ${i}, but ${table}`);
    }
    return s;
  };
  const checkStrings = (arr: Int32Array, what: string): void => {
    for (let i = 0; i < arr.length; i++) {
      const v = arr[i]!;
      if (v < 0 || v >= strings.length) str(v, what);
    }
  };
  const vt = (v: RawValueType): ValueType => ({ type: str(v.type, 'sample type'), unit: str(v.unit, 'sample unit') });

  const sampleTypes = raw.sampleTypes.map(vt);
  const mappings: Mapping[] = raw.mappings.map((m) => {
    const { fileX, buildIdX, ...rest } = m;
    return { ...rest, file: str(fileX, 'mapping file'), buildId: str(buildIdX, 'mapping build id') };
  });

  const functions = {
    count: raw.fnId.length,
    id: raw.fnId.finish(),
    name: raw.fnName.finish(),
    systemName: raw.fnSystemName.finish(),
    filename: raw.fnFilename.finish(),
    startLine: raw.fnStartLine.finish(),
  };
  checkStrings(functions.name, 'function name');
  checkStrings(functions.systemName, 'function system name');
  checkStrings(functions.filename, 'function file name');

  const lineCount = raw.lineFnId.length;
  const lineFunction = resolveIds(raw.lineFnId.data, lineCount, indexById(functions.id, 'function'), true, (id) =>
    `a location line refers to function ${id}, which does not exist`,
  );

  const locCount = raw.locId.length;
  const mappingIndex = indexById(Float64Array.from(mappings, (m) => m.id), 'mapping');
  const locMapping = resolveIds(raw.locMappingId.data, locCount, mappingIndex, true, (id, i) =>
    `location ${raw.locId.data[i]} refers to mapping ${id}, which does not exist`,
  );
  const locations = {
    count: locCount,
    id: raw.locId.finish(),
    mapping: locMapping,
    address: raw.locAddress.finish(),
    isFolded: Uint8Array.from(raw.locFolded.finish()),
    lineStart: raw.locLineStart.finish(),
    lineCount: raw.locLineCount.finish(),
  };

  // The biggest table: IDs are rewritten to indexes in place.
  const stackLen = raw.stackIds.length;
  resolveIds(raw.stackIds.data, stackLen, indexById(locations.id, 'location'), false, (id) =>
    `a sample refers to location ${id}, which does not exist`,
    raw.stackIds.data,
  );
  const stacks = raw.stackIds.view();

  const sampleCount = raw.sampleLocStart.length;
  const nTypes = sampleTypes.length;
  for (let i = 0; i < sampleCount; i++) {
    const n = raw.sampleValueCount.data[i]!;
    if (n !== nTypes) {
      throw new FormatError(`sample ${i} has ${n} values but the profile has ${nTypes} sample types`);
    }
  }

  const labels = {
    count: raw.labelKey.length,
    key: raw.labelKey.finish(),
    str: raw.labelStr.finish(),
    num: raw.labelNum.finish(),
    numUnit: raw.labelNumUnit.finish(),
  };
  checkStrings(labels.key, 'label key');
  checkStrings(labels.str, 'label value');
  checkStrings(labels.numUnit, 'label unit');

  return {
    sampleTypes,
    defaultSampleType: str(raw.defaultSampleType, 'default_sample_type'),
    periodType: raw.periodType ? vt(raw.periodType) : undefined,
    period: raw.period,
    timeNanos: raw.timeNanos,
    durationNanos: raw.durationNanos,
    comments: raw.comments.map((c) => str(c, 'comment')),
    dropFrames: str(raw.dropFrames, 'drop_frames'),
    keepFrames: str(raw.keepFrames, 'keep_frames'),
    docUrl: str(raw.docUrl, 'doc_url'),
    strings,
    mappings,
    functions,
    locations,
    lines: {
      count: lineCount,
      function: lineFunction,
      line: raw.lineNumber.finish(),
      column: raw.lineColumn.finish(),
    },
    samples: {
      count: sampleCount,
      locStart: raw.sampleLocStart.finish(),
      locCount: raw.sampleLocCount.finish(),
      ...exactValues(raw.values.view(), raw.wide),
      labelStart: raw.sampleLabelStart.finish(),
      labelCount: raw.sampleLabelCount.finish(),
    },
    stacks,
    labels,
    inexactValues: raw.wide.size,
    roundedIntegers: raw.inexact - raw.wide.size,
  };
}

/** The sample values, and when some passed 2^53 every value exactly (SampleTable.exact). */
function exactValues(values: Float64Array, wide: ReadonlyMap<number, bigint>): Pick<SampleTable, 'values' | 'exact'> {
  if (wide.size === 0) return { values };
  const exact = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) exact[i] = wide.get(i) ?? BigInt(values[i]!);
  return { values, exact };
}

/**
 * Builds an ID → index lookup. Go numbers IDs 1..N, so a dense array is the
 * common case; sparse IDs fall back to a Map. Duplicate IDs are malformed.
 */
/**
 * Maps `count` producer IDs to indexes through `index`, into `out` (a new
 * array unless given, which may be the input itself). With `zeroIsNone`, ID 0
 * means "no reference" and becomes -1; an unknown ID is malformed.
 */
function resolveIds(
  ids: ArrayLike<number>,
  count: number,
  index: IdIndex,
  zeroIsNone: boolean,
  missing: (id: number, i: number) => string,
  out: Int32Array = new Int32Array(count),
): Int32Array {
  const dense = index.dense;
  for (let i = 0; i < count; i++) {
    const id = ids[i]!;
    if (id === 0 && zeroIsNone) {
      out[i] = -1;
      continue;
    }
    const at = dense ? (id < dense.length ? dense[id]! : -1) : index(id);
    if (at < 0) throw new FormatError(missing(id, i));
    out[i] = at;
  }
  return out;
}

type IdIndex = ((id: number) => number) & { dense?: Int32Array };

function indexById(ids: Float64Array, what: string): IdIndex {
  let max = 0;
  for (let i = 0; i < ids.length; i++) if (ids[i]! > max) max = ids[i]!;
  if (max <= ids.length * 4 + 1024) {
    const dense = new Int32Array(max + 1).fill(-1);
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (id === 0) throw new FormatError(`${what} has ID 0`);
      if (dense[id] !== -1) throw new FormatError(`${what} ID ${id} appears twice`);
      dense[id] = i;
    }
    const lookup: IdIndex = (id) => (id <= max ? dense[id]! : -1);
    lookup.dense = dense;
    return lookup;
  }
  const map = new Map<number, number>();
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (id === 0) throw new FormatError(`${what} has ID 0`);
    if (map.has(id)) throw new FormatError(`${what} ID ${id} appears twice`);
    map.set(id, i);
  }
  return (id) => map.get(id) ?? -1;
}

