import { FormatError } from '../errors.js';
import { GrowableBigUint64, GrowableFloat64, GrowableInt32 } from '../../model/growable.js';
import type { Mapping, Profile, ValueType } from '../../model/profile.js';
import { WireReader, WireType } from './wire.js';

/**
 * Decodes an uncompressed profile.proto message
 * (github.com/google/pprof/proto/profile.proto) straight into the typed-array
 * model. Every field of the schema is read, including `Line.column` and
 * `doc_url`. IDs are resolved to dense indexes once the whole message is read,
 * because Go writes locations interleaved with samples and the string table last.
 */
export function decodeProfileProto(buf: Uint8Array): Profile {
  if (buf.length === 0) throw new FormatError('empty profile');
  const d = new ProtoDecoder(buf);
  d.readProfile();
  return d.finish();
}

/** Largest up-front reservation (elements); bigger inputs grow from there. */
const RESERVE_LIMIT = 1 << 27;

interface RawValueType {
  type: number;
  unit: number;
}

class ProtoDecoder {
  private readonly r: WireReader;
  private readonly sampleTypes: RawValueType[] = [];
  private periodType: RawValueType | undefined;
  private period = 0;
  private timeNanos = 0n;
  private durationNanos = 0n;
  private dropFrames = 0;
  private keepFrames = 0;
  private defaultSampleType = 0;
  private docUrl = 0;
  private readonly comments: number[] = [];
  private readonly strings: string[] = [];
  private readonly mappings: (Mapping & { fileX: number; buildIdX: number })[] = [];

  private readonly fnId = new GrowableFloat64();
  private readonly fnName = new GrowableInt32();
  private readonly fnSystemName = new GrowableInt32();
  private readonly fnFilename = new GrowableInt32();
  private readonly fnStartLine = new GrowableFloat64();

  private readonly locId = new GrowableFloat64();
  private readonly locMappingId = new GrowableFloat64();
  private readonly locAddress = new GrowableBigUint64();
  private readonly locFolded = new GrowableInt32();
  private readonly locLineStart = new GrowableInt32();
  private readonly locLineCount = new GrowableInt32();

  /** Function IDs until resolved. */
  private readonly lineFnId = new GrowableFloat64();
  private readonly lineNumber = new GrowableFloat64();
  private readonly lineColumn = new GrowableFloat64();

  private readonly sampleLocStart = new GrowableInt32();
  private readonly sampleLocCount = new GrowableInt32();
  /**
   * Location IDs until resolved (then rewritten in place to indexes), and
   * sample values: the two big tables. Each varint takes at least a byte, so
   * the input's length bounds both; reserving that much costs address space
   * only (untouched pages are never resident) and saves every regrowth copy.
   */
  private readonly stackIds: GrowableInt32;
  private readonly values: GrowableFloat64;
  private readonly sampleValueCount = new GrowableInt32();
  private readonly sampleLabelStart = new GrowableInt32();
  private readonly sampleLabelCount = new GrowableInt32();

  private readonly labelKey = new GrowableInt32();
  private readonly labelStr = new GrowableInt32();
  private readonly labelNum = new GrowableFloat64();
  private readonly labelNumUnit = new GrowableInt32();

  constructor(buf: Uint8Array) {
    this.r = new WireReader(buf);
    const bound = Math.min(buf.length + 16, RESERVE_LIMIT);
    this.stackIds = new GrowableInt32(bound);
    this.values = new GrowableFloat64(bound);
  }

  readProfile(): void {
    const r = this.r;
    while (!r.done()) {
      const [field, wire] = r.tag();
      switch (field) {
        case 1:
          this.sampleTypes.push(this.readValueType(wire));
          break;
        case 2:
          this.readSample(wire);
          break;
        case 3:
          this.readMapping(wire);
          break;
        case 4:
          this.readLocation(wire);
          break;
        case 5:
          this.readFunction(wire);
          break;
        case 6:
          this.strings.push(this.readString(wire));
          break;
        case 7:
          this.dropFrames = this.scalar(wire, field);
          break;
        case 8:
          this.keepFrames = this.scalar(wire, field);
          break;
        case 9:
          this.expect(wire, WireType.Varint, field);
          this.timeNanos = r.int64Big();
          break;
        case 10:
          this.expect(wire, WireType.Varint, field);
          this.durationNanos = r.int64Big();
          break;
        case 11:
          this.periodType = this.readValueType(wire);
          break;
        case 12:
          this.expect(wire, WireType.Varint, field);
          this.period = r.int64();
          break;
        case 13:
          r.repeated(wire, () => r.int64(), (v) => this.comments.push(v));
          break;
        case 14:
          this.defaultSampleType = this.scalar(wire, field);
          break;
        case 15:
          this.docUrl = this.scalar(wire, field);
          break;
        default:
          r.skip(wire);
      }
    }
  }

  private expect(wire: WireType, want: WireType, field: number): void {
    if (wire !== want) this.r.fail(`field ${field} has wire type ${wire}, expected ${want}`);
  }

  private scalar(wire: WireType, field: number): number {
    this.expect(wire, WireType.Varint, field);
    return this.r.int64();
  }

  /** Runs `body` over the sub-message at the cursor, with the reader bounded to it. */
  private message(wire: WireType, what: string, body: (r: WireReader) => void): void {
    if (wire !== WireType.Len) this.r.fail(`${what} is not a length-delimited message`);
    const [start, end] = this.r.lengthDelimited();
    const sub = new WireReader(this.r.buf, start, end);
    try {
      body(sub);
    } finally {
      this.r.inexact += sub.inexact;
    }
  }

  private readString(wire: WireType): string {
    if (wire !== WireType.Len) this.r.fail('string_table entry is not length-delimited');
    const [start, end] = this.r.lengthDelimited();
    return decodeUtf8(this.r.buf, start, end);
  }

  private readValueType(wire: WireType): RawValueType {
    const vt: RawValueType = { type: 0, unit: 0 };
    this.message(wire, 'ValueType', (r) => {
      while (!r.done()) {
        const [f, w] = r.tag();
        if (f === 1 && w === WireType.Varint) vt.type = r.int64();
        else if (f === 2 && w === WireType.Varint) vt.unit = r.int64();
        else r.skip(w);
      }
    });
    return vt;
  }

  private readSample(wire: WireType): void {
    const locStart = this.stackIds.length;
    const valueStart = this.values.length;
    const labelStart = this.labelKey.length;
    if (wire !== WireType.Len) this.r.fail('Sample is not a length-delimited message');
    // The hot path of big profiles: read in place, without a sub-reader or closures.
    const r = this.r;
    const [start, end] = r.lengthDelimited();
    const saved = r.end;
    r.pos = start;
    r.end = end;
    while (r.pos < end) {
      const key = r.tagKey();
      const f = key >>> 3;
      const w = (key & 7) as WireType;
      if (f === 1) this.readLocationIds(r, w);
      else if (f === 2) this.readPacked(r, w, true, this.values);
      else if (f === 3) this.readLabel(r, w);
      else r.skip(w);
    }
    r.end = saved;
    r.pos = end;
    this.sampleLocStart.push(locStart);
    this.sampleLocCount.push(this.stackIds.length - locStart);
    this.sampleValueCount.push(this.values.length - valueStart);
    this.sampleLabelStart.push(labelStart);
    this.sampleLabelCount.push(this.labelKey.length - labelStart);
  }

  /** Sample location IDs, packed or not, kept as int32 (Go numbers locations 1..N). */
  private readLocationIds(r: WireReader, wire: WireType): void {
    const out = this.stackIds;
    if (wire === WireType.Varint) {
      out.push(checkedLocationId(r, r.uint()));
      return;
    }
    if (wire !== WireType.Len) r.fail(`packed field has wire type ${wire}`);
    const [start, end] = r.lengthDelimited();
    r.pos = start;
    // Every ID takes at least one byte, so the payload length bounds the count.
    out.reserve(end - start);
    const buf = r.buf;
    const data = out.data;
    let n = out.length;
    let pos = start;
    while (pos < end) {
      // IDs of up to two bytes (below 16384) inline; the general reader for the rest.
      const b0 = buf[pos]!;
      if (b0 < 0x80) {
        data[n++] = b0;
        pos++;
        continue;
      }
      const b1 = buf[pos + 1]!;
      if (b1 < 0x80 && pos + 1 < end) {
        data[n++] = (b0 & 0x7f) | (b1 << 7);
        pos += 2;
        continue;
      }
      r.pos = pos;
      data[n++] = checkedLocationId(r, r.uint());
      pos = r.pos;
    }
    out.length = n;
    r.pos = pos;
    if (r.pos !== end) r.fail('packed field runs past its declared length', start);
  }

  /** The hot loop of the decoder: packed location IDs and values, read without per-element closures. */
  private readPacked(r: WireReader, wire: WireType, signed: boolean, out: GrowableFloat64): void {
    if (wire === WireType.Varint) {
      out.push(signed ? r.int64() : r.uint());
      return;
    }
    if (wire !== WireType.Len) r.fail(`packed field has wire type ${wire}`);
    const [start, end] = r.lengthDelimited();
    r.pos = start;
    if (signed) while (r.pos < end) out.push(r.int64());
    else while (r.pos < end) out.push(r.uint());
    if (r.pos !== end) r.fail('packed field runs past its declared length', start);
  }

  private readLabel(r: WireReader, wire: WireType): void {
    let key = 0;
    let str = 0;
    let num = 0;
    let numUnit = 0;
    if (wire !== WireType.Len) r.fail('Label is not a length-delimited message');
    // Every sample of a heap profile has a label: read it in place, as samples are.
    const [start, end] = r.lengthDelimited();
    const saved = r.end;
    r.pos = start;
    r.end = end;
    while (r.pos < end) {
      const tag = r.tagKey();
      const w = (tag & 7) as WireType;
      if (w !== WireType.Varint) {
        r.skip(w);
        continue;
      }
      const f = tag >>> 3;
      if (f === 1) key = r.int64();
      else if (f === 2) str = r.int64();
      else if (f === 3) num = r.int64();
      else if (f === 4) numUnit = r.int64();
      else r.skip(w);
    }
    r.end = saved;
    this.labelKey.push(stringIndex(r, key));
    this.labelStr.push(stringIndex(r, str));
    this.labelNum.push(num);
    this.labelNumUnit.push(stringIndex(r, numUnit));
  }

  private readMapping(wire: WireType): void {
    const m = {
      id: 0,
      start: 0n,
      limit: 0n,
      offset: 0n,
      file: '',
      buildId: '',
      fileX: 0,
      buildIdX: 0,
      hasFunctions: false,
      hasFilenames: false,
      hasLineNumbers: false,
      hasInlineFrames: false,
    };
    this.message(wire, 'Mapping', (r) => {
      while (!r.done()) {
        const [f, w] = r.tag();
        if (w !== WireType.Varint) {
          r.skip(w);
          continue;
        }
        switch (f) {
          case 1: m.id = r.uint(); break;
          case 2: m.start = r.uint64Big(); break;
          case 3: m.limit = r.uint64Big(); break;
          case 4: m.offset = r.uint64Big(); break;
          case 5: m.fileX = r.int64(); break;
          case 6: m.buildIdX = r.int64(); break;
          case 7: m.hasFunctions = r.bool(); break;
          case 8: m.hasFilenames = r.bool(); break;
          case 9: m.hasLineNumbers = r.bool(); break;
          case 10: m.hasInlineFrames = r.bool(); break;
          default: r.skip(w);
        }
      }
    });
    this.mappings.push(m);
  }

  private readLocation(wire: WireType): void {
    let id = 0;
    let mappingId = 0;
    let address = 0n;
    let folded = 0;
    const lineStart = this.lineFnId.length;
    this.message(wire, 'Location', (r) => {
      while (!r.done()) {
        const [f, w] = r.tag();
        if (f === 4) {
          this.readLine(r, w);
          continue;
        }
        if (w !== WireType.Varint) {
          r.skip(w);
          continue;
        }
        if (f === 1) id = r.uint();
        else if (f === 2) mappingId = r.uint();
        else if (f === 3) address = r.uint64Big();
        else if (f === 5) folded = r.bool() ? 1 : 0;
        else r.skip(w);
      }
    });
    this.locId.push(id);
    this.locMappingId.push(mappingId);
    this.locAddress.push(address);
    this.locFolded.push(folded);
    this.locLineStart.push(lineStart);
    this.locLineCount.push(this.lineFnId.length - lineStart);
  }

  private readLine(r: WireReader, wire: WireType): void {
    let fn = 0;
    let line = 0;
    let column = 0;
    if (wire !== WireType.Len) r.fail('Line is not a length-delimited message');
    const [start, end] = r.lengthDelimited();
    const sub = new WireReader(r.buf, start, end);
    while (!sub.done()) {
      const [f, w] = sub.tag();
      if (w !== WireType.Varint) sub.skip(w);
      else if (f === 1) fn = sub.uint();
      else if (f === 2) line = sub.int64();
      else if (f === 3) column = sub.int64();
      else sub.skip(w);
    }
    this.lineFnId.push(fn);
    this.lineNumber.push(line);
    this.lineColumn.push(column);
  }

  private readFunction(wire: WireType): void {
    let id = 0;
    let name = 0;
    let systemName = 0;
    let filename = 0;
    let startLine = 0;
    this.message(wire, 'Function', (r) => {
      while (!r.done()) {
        const [f, w] = r.tag();
        if (w !== WireType.Varint) r.skip(w);
        else if (f === 1) id = r.uint();
        else if (f === 2) name = r.int64();
        else if (f === 3) systemName = r.int64();
        else if (f === 4) filename = r.int64();
        else if (f === 5) startLine = r.int64();
        else r.skip(w);
      }
    });
    this.fnId.push(id);
    this.fnName.push(stringIndex(this.r, name));
    this.fnSystemName.push(stringIndex(this.r, systemName));
    this.fnFilename.push(stringIndex(this.r, filename));
    this.fnStartLine.push(startLine);
  }

  /** Resolves string indexes and IDs, and checks what pprof's CheckValid checks. */
  finish(): Profile {
    const strings = this.strings;
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

    const sampleTypes = this.sampleTypes.map(vt);
    const mappings: Mapping[] = this.mappings.map((m) => {
      const { fileX, buildIdX, ...rest } = m;
      return { ...rest, file: str(fileX, 'mapping file'), buildId: str(buildIdX, 'mapping build id') };
    });

    const functions = {
      count: this.fnId.length,
      id: this.fnId.finish(),
      name: this.fnName.finish(),
      systemName: this.fnSystemName.finish(),
      filename: this.fnFilename.finish(),
      startLine: this.fnStartLine.finish(),
    };
    checkStrings(functions.name, 'function name');
    checkStrings(functions.systemName, 'function system name');
    checkStrings(functions.filename, 'function file name');

    const fnIndex = indexById(functions.id, 'function');
    const lineCount = this.lineFnId.length;
    const lineFunction = new Int32Array(lineCount);
    for (let i = 0; i < lineCount; i++) {
      const id = this.lineFnId.data[i]!;
      if (id === 0) {
        lineFunction[i] = -1;
        continue;
      }
      const f = fnIndex(id);
      if (f < 0) throw new FormatError(`a location line refers to function ${id}, which does not exist`);
      lineFunction[i] = f;
    }

    const mappingIndex = indexById(Float64Array.from(mappings, (m) => m.id), 'mapping');
    const locCount = this.locId.length;
    const locMapping = new Int32Array(locCount);
    for (let i = 0; i < locCount; i++) {
      const id = this.locMappingId.data[i]!;
      if (id === 0) {
        locMapping[i] = -1;
        continue;
      }
      const m = mappingIndex(id);
      if (m < 0) throw new FormatError(`location ${this.locId.data[i]} refers to mapping ${id}, which does not exist`);
      locMapping[i] = m;
    }
    const locations = {
      count: locCount,
      id: this.locId.finish(),
      mapping: locMapping,
      address: this.locAddress.finish(),
      isFolded: Uint8Array.from(this.locFolded.finish()),
      lineStart: this.locLineStart.finish(),
      lineCount: this.locLineCount.finish(),
    };

    const locIndex = indexById(locations.id, 'location');
    const stackLen = this.stackIds.length;
    const ids = this.stackIds.data;
    const dense = locIndex.dense;
    for (let i = 0; i < stackLen; i++) {
      const id = ids[i]!;
      const l = dense ? (id < dense.length ? dense[id]! : -1) : locIndex(id);
      if (l < 0) throw new FormatError(`a sample refers to location ${id}, which does not exist`);
      ids[i] = l;
    }
    const stacks = this.stackIds.view();

    const sampleCount = this.sampleLocStart.length;
    const nTypes = sampleTypes.length;
    for (let i = 0; i < sampleCount; i++) {
      const n = this.sampleValueCount.data[i]!;
      if (n !== nTypes) {
        throw new FormatError(`sample ${i} has ${n} values but the profile has ${nTypes} sample types`);
      }
    }

    const labels = {
      count: this.labelKey.length,
      key: this.labelKey.finish(),
      str: this.labelStr.finish(),
      num: this.labelNum.finish(),
      numUnit: this.labelNumUnit.finish(),
    };
    checkStrings(labels.key, 'label key');
    checkStrings(labels.str, 'label value');
    checkStrings(labels.numUnit, 'label unit');

    return {
      sampleTypes,
      defaultSampleType: str(this.defaultSampleType, 'default_sample_type'),
      periodType: this.periodType ? vt(this.periodType) : undefined,
      period: this.period,
      timeNanos: this.timeNanos,
      durationNanos: this.durationNanos,
      comments: this.comments.map((c) => str(c, 'comment')),
      dropFrames: str(this.dropFrames, 'drop_frames'),
      keepFrames: str(this.keepFrames, 'keep_frames'),
      docUrl: str(this.docUrl, 'doc_url'),
      strings,
      mappings,
      functions,
      locations,
      lines: {
        count: lineCount,
        function: lineFunction,
        line: this.lineNumber.finish(),
        column: this.lineColumn.finish(),
      },
      samples: {
        count: sampleCount,
        locStart: this.sampleLocStart.finish(),
        locCount: this.sampleLocCount.finish(),
        values: this.values.view(),
        labelStart: this.sampleLabelStart.finish(),
        labelCount: this.sampleLabelCount.finish(),
      },
      stacks,
      labels,
      inexactValues: this.r.inexact,
    };
  }
}

/** String indexes are stored as int32; anything outside that range cannot name a string. */
function stringIndex(r: WireReader, i: number): number {
  if (i < 0 || i > 0x7fffffff) r.fail(`string index ${i} is out of range`);
  return i;
}

function checkedLocationId(r: WireReader, id: number): number {
  if (id > 0x7fffffff) r.fail(`location id ${id} is too large (footprint reads IDs below 2^31)`);
  return id;
}

/**
 * Builds an ID → index lookup. Go numbers IDs 1..N, so a dense array is the
 * common case; sparse IDs fall back to a Map. Duplicate IDs are malformed.
 */
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

const utf8 = new TextDecoder('utf-8');

/** Strings in profiles are short and mostly ASCII; decode those without TextDecoder's call overhead. */
function decodeUtf8(buf: Uint8Array, start: number, end: number): string {
  if (end - start < 64) {
    let ascii = true;
    for (let i = start; i < end; i++) {
      if (buf[i]! >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) return String.fromCharCode.apply(null, buf.subarray(start, end) as unknown as number[]);
  }
  return utf8.decode(buf.subarray(start, end));
}
