import { FormatError } from '../errors.js';
import type { GrowableFloat64 } from '../../model/growable.js';
import { MAX_EXACT, type Profile } from '../../model/profile.js';
import { RawProfile, type RawValueType } from './raw.js';
import { resolveProfile } from './resolve.js';
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
  return resolveProfile(d.t);
}

class ProtoDecoder {
  private readonly r: WireReader;
  readonly t: RawProfile;

  constructor(buf: Uint8Array) {
    this.r = new WireReader(buf);
    this.t = new RawProfile(buf.length);
  }

  readProfile(): void {
    this.readFields();
    this.t.inexact = this.r.inexact;
  }

  private readFields(): void {
    const r = this.r;
    while (!r.done()) {
      const [field, wire] = r.tag();
      switch (field) {
        case 1:
          this.t.sampleTypes.push(this.readValueType(wire));
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
          this.t.strings.push(this.readString(wire));
          break;
        case 7:
          this.t.dropFrames = this.scalar(wire, field);
          break;
        case 8:
          this.t.keepFrames = this.scalar(wire, field);
          break;
        case 9:
          this.expect(wire, WireType.Varint, field);
          this.t.timeNanos = r.int64Big();
          break;
        case 10:
          this.expect(wire, WireType.Varint, field);
          this.t.durationNanos = r.int64Big();
          break;
        case 11:
          this.t.periodType = this.readValueType(wire);
          break;
        case 12:
          this.expect(wire, WireType.Varint, field);
          this.t.period = r.int64();
          break;
        case 13:
          r.repeated(wire, () => r.int64(), (v) => this.t.comments.push(v));
          break;
        case 14:
          this.t.defaultSampleType = this.scalar(wire, field);
          break;
        case 15:
          this.t.docUrl = this.scalar(wire, field);
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
    const locStart = this.t.stackIds.length;
    const valueStart = this.t.values.length;
    const labelStart = this.t.labelKey.length;
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
      else if (f === 2) this.readValues(r, w);
      else if (f === 3) this.readLabel(r, w);
      else r.skip(w);
    }
    r.end = saved;
    r.pos = end;
    this.t.sampleLocStart.push(locStart);
    this.t.sampleLocCount.push(this.t.stackIds.length - locStart);
    this.t.sampleValueCount.push(this.t.values.length - valueStart);
    this.t.sampleLabelStart.push(labelStart);
    this.t.sampleLabelCount.push(this.t.labelKey.length - labelStart);
  }

  /** Sample location IDs, packed or not, kept as int32 (Go numbers locations 1..N). */
  private readLocationIds(r: WireReader, wire: WireType): void {
    const out = this.t.stackIds;
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

  /**
   * Sample values (int64). The few past 2^53 in magnitude, which a double
   * holds only rounded, are read again as bigints and kept exactly; the
   * common path pays one comparison per sample.
   */
  private readValues(r: WireReader, wire: WireType): void {
    const out = this.t.values;
    const first = out.length;
    const at = r.pos;
    const inexact = r.inexact;
    this.readPacked(r, wire, true, out);
    if (r.inexact === inexact) return;
    const again = new WireReader(r.buf, at, r.pos);
    let i = first;
    again.repeated(wire, () => again.int64Big(), (v) => {
      if (v > MAX_EXACT_BIG || v < -MAX_EXACT_BIG) {
        this.t.wide.set(i, v);
        // The double nearest the value, rounded once as Go's float64(v) rounds it.
        out.data[i] = Number(v);
      }
      i++;
    });
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
    // pprof drops a label with neither a string nor a number nor a unit as it decodes (profile/encode.go);
    // a numeric label of 0 stays only where a parser sets it (legacy heap text's `bytes`).
    if (str === 0 && num === 0 && numUnit === 0) return;
    this.t.labelKey.push(stringIndex(r, key));
    this.t.labelStr.push(stringIndex(r, str));
    this.t.labelNum.push(num);
    this.t.labelNumUnit.push(stringIndex(r, numUnit));
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
    this.t.mappings.push(m);
  }

  private readLocation(wire: WireType): void {
    let id = 0;
    let mappingId = 0;
    let address = 0n;
    let folded = 0;
    const lineStart = this.t.lineFnId.length;
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
    this.t.locId.push(id);
    this.t.locMappingId.push(mappingId);
    this.t.locAddress.push(address);
    this.t.locFolded.push(folded);
    this.t.locLineStart.push(lineStart);
    this.t.locLineCount.push(this.t.lineFnId.length - lineStart);
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
    this.t.lineFnId.push(fn);
    this.t.lineNumber.push(line);
    this.t.lineColumn.push(column);
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
    this.t.fnId.push(id);
    this.t.fnName.push(stringIndex(this.r, name));
    this.t.fnSystemName.push(stringIndex(this.r, systemName));
    this.t.fnFilename.push(stringIndex(this.r, filename));
    this.t.fnStartLine.push(startLine);
  }
}

const MAX_EXACT_BIG = BigInt(MAX_EXACT);

/** String indexes are stored as int32; anything outside that range cannot name a string. */
function stringIndex(r: WireReader, i: number): number {
  if (i < 0 || i > 0x7fffffff) r.fail(`string index ${i} is out of range`);
  return i;
}

function checkedLocationId(r: WireReader, id: number): number {
  if (id > 0x7fffffff) r.fail(`location id ${id} is too large (footprint reads IDs below 2^31)`);
  return id;
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
