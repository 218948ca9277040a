import type { Profile, ValueType } from '../../model/profile.js';

/**
 * Encodes a Profile as an uncompressed profile.proto message
 * (github.com/google/pprof/proto/profile.proto), every field the decoder
 * reads. Locations, functions and mappings are written with IDs index+1;
 * the string table is the profile's own, with any missing header strings
 * (sample types, mapping files, comments …) appended. Values are int64:
 * negative ones go out as 10-byte two's complement varints, as Go writes
 * them; a non-integer value is truncated toward zero as Go's int64() does.
 * Sample values past 2^53 are written from `samples.exact`, unchanged.
 */
export function encodeProfileProto(p: Profile): Uint8Array {
  const w = new ProtoWriter();
  const strings = new StringTable(p.strings);
  const vt = (field: number, t: ValueType): void => {
    w.message(field, () => {
      w.int64Field(1, strings.index(t.type));
      w.int64Field(2, strings.index(t.unit));
    });
  };
  for (const t of p.sampleTypes) vt(1, t);
  writeSamples(w, p);
  p.mappings.forEach((m, i) => {
    w.message(3, () => {
      w.int64Field(1, i + 1);
      w.uint64BigField(2, m.start);
      w.uint64BigField(3, m.limit);
      w.uint64BigField(4, m.offset);
      w.int64Field(5, strings.index(m.file));
      w.int64Field(6, strings.index(m.buildId));
      w.boolField(7, m.hasFunctions);
      w.boolField(8, m.hasFilenames);
      w.boolField(9, m.hasLineNumbers);
      w.boolField(10, m.hasInlineFrames);
    });
  });
  writeLocations(w, p);
  const F = p.functions;
  for (let i = 0; i < F.count; i++) {
    w.message(5, () => {
      w.int64Field(1, i + 1);
      w.int64Field(2, F.name[i]!);
      w.int64Field(3, F.systemName[i]!);
      w.int64Field(4, F.filename[i]!);
      w.int64Field(5, F.startLine[i]!);
    });
  }
  // Everything below may add strings, so the table is written last.
  const dropFrames = strings.index(p.dropFrames);
  const keepFrames = strings.index(p.keepFrames);
  const comments = p.comments.map((c) => strings.index(c));
  const defaultSampleType = strings.index(p.defaultSampleType);
  const docUrl = strings.index(p.docUrl);
  w.int64Field(7, dropFrames);
  w.int64Field(8, keepFrames);
  w.int64BigField(9, p.timeNanos);
  w.int64BigField(10, p.durationNanos);
  if (p.periodType) vt(11, p.periodType);
  w.int64Field(12, p.period);
  if (comments.length > 0) w.packed(13, () => comments.forEach((c) => w.int64(c)));
  w.int64Field(14, defaultSampleType);
  w.int64Field(15, docUrl);
  for (const s of strings.all) w.stringField(6, s, true);
  return w.finish();
}

function writeSamples(w: ProtoWriter, p: Profile): void {
  const S = p.samples;
  const L = p.labels;
  const n = p.sampleTypes.length;
  for (let i = 0; i < S.count; i++) {
    w.message(2, () => {
      const start = S.locStart[i]!;
      const end = start + S.locCount[i]!;
      if (end > start) w.packed(1, () => {
        for (let j = start; j < end; j++) w.int64(p.stacks[j]! + 1);
      });
      const exact = S.exact;
      if (n > 0) w.packed(2, () => {
        if (exact) for (let t = 0; t < n; t++) w.int64Big(exact[i * n + t]!);
        else for (let t = 0; t < n; t++) w.int64(S.values[i * n + t]!);
      });
      const ls = S.labelStart[i]!;
      for (let j = ls, le = ls + S.labelCount[i]!; j < le; j++) {
        w.message(3, () => {
          w.int64Field(1, L.key[j]!);
          w.int64Field(2, L.str[j]!);
          w.int64Field(3, L.num[j]!);
          w.int64Field(4, L.numUnit[j]!);
        });
      }
    });
  }
}

function writeLocations(w: ProtoWriter, p: Profile): void {
  const Loc = p.locations;
  const Ln = p.lines;
  for (let i = 0; i < Loc.count; i++) {
    w.message(4, () => {
      w.int64Field(1, i + 1);
      w.int64Field(2, Loc.mapping[i]! + 1);
      w.uint64BigField(3, Loc.address[i]!);
      const start = Loc.lineStart[i]!;
      for (let j = start, end = start + Loc.lineCount[i]!; j < end; j++) {
        w.message(4, () => {
          w.int64Field(1, Ln.function[j]! + 1);
          w.int64Field(2, Ln.line[j]!);
          w.int64Field(3, Ln.column[j]!);
        });
      }
      w.boolField(5, Loc.isFolded[i] !== 0);
    });
  }
}

/** The profile's string table, extended with strings it lacks (first occurrence wins). */
class StringTable {
  readonly all: string[];
  private readonly map = new Map<string, number>();

  constructor(strings: readonly string[]) {
    this.all = strings.length > 0 ? strings.slice() : [''];
    if (this.all[0] !== '') this.all.unshift('');
    this.all.forEach((s, i) => {
      if (!this.map.has(s)) this.map.set(s, i);
    });
  }

  index(s: string): number {
    let i = this.map.get(s);
    if (i === undefined) {
      i = this.all.length;
      this.all.push(s);
      this.map.set(s, i);
    }
    return i;
  }
}

const TWO_32 = 4294967296;
const utf8 = new TextEncoder();

/**
 * An append-only protobuf writer. Nested messages reserve one length byte and
 * shift their payload when it turns out longer than 127 bytes.
 */
export class ProtoWriter {
  private buf = new Uint8Array(1 << 16);
  private pos = 0;

  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /** Unsigned varint of a non-negative integer below 2^64 given as two 32-bit halves. */
  private varint64(lo: number, hi: number): void {
    this.ensure(10);
    const buf = this.buf;
    while (hi > 0 || lo > 0x7f) {
      buf[this.pos++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    buf[this.pos++] = lo;
  }

  /** A varint of a signed int64 held in a number (two's complement when negative). */
  int64(v: number): void {
    if (v >= 0 && v < 0x80 && Number.isInteger(v)) {
      this.ensure(1);
      this.buf[this.pos++] = v;
      return;
    }
    if (!Number.isFinite(v)) throw new RangeError(`cannot encode ${v} as int64`);
    v = Math.trunc(v);
    if (v >= 0) {
      this.varint64(v % TWO_32 >>> 0, Math.floor(v / TWO_32) >>> 0);
      return;
    }
    const m = -v;
    const mlo = m % TWO_32 >>> 0;
    const mhi = Math.floor(m / TWO_32) >>> 0;
    // -m = ~m + 1, carried across the halves.
    const lo = (~mlo + 1) >>> 0;
    const hi = (~mhi + (mlo === 0 ? 1 : 0)) >>> 0;
    this.varint64(lo, hi);
  }

  /** A varint of an int64 given exactly (two's complement when negative). */
  int64Big(v: bigint): void {
    const u = BigInt.asUintN(64, v);
    this.varint64(Number(u & 0xffffffffn), Number(u >> 32n));
  }

  private tag(field: number, wire: number): void {
    this.int64(field * 8 + wire);
  }

  /** A varint field, omitted when zero (proto3 default). */
  int64Field(field: number, v: number): void {
    if (v === 0) return;
    this.tag(field, 0);
    this.int64(v);
  }

  int64BigField(field: number, v: bigint): void {
    if (v === 0n) return;
    this.tag(field, 0);
    this.int64Big(v);
  }

  uint64BigField(field: number, v: bigint): void {
    this.int64BigField(field, v);
  }

  boolField(field: number, v: boolean): void {
    if (v) this.int64Field(field, 1);
  }

  /** A string field; repeated entries (`always`) are written even when empty. */
  stringField(field: number, s: string, always = false): void {
    if (s === '' && !always) return;
    this.tag(field, 2);
    let ascii = s.length < 128;
    for (let i = 0; ascii && i < s.length; i++) if (s.charCodeAt(i) >= 0x80) ascii = false;
    if (ascii) {
      this.ensure(1 + s.length);
      this.buf[this.pos++] = s.length;
      for (let i = 0; i < s.length; i++) this.buf[this.pos++] = s.charCodeAt(i);
      return;
    }
    const bytes = utf8.encode(s);
    this.int64(bytes.length);
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** A length-delimited field whose payload `body` writes (a sub-message or a packed array). */
  message(field: number, body: () => void): void {
    this.tag(field, 2);
    this.ensure(1);
    const lenAt = this.pos++;
    const start = this.pos;
    body();
    const len = this.pos - start;
    if (len < 0x80) {
      this.buf[lenAt] = len;
      return;
    }
    let extra = 0;
    for (let l = len >>> 7; l > 0; l >>>= 7) extra++;
    this.ensure(extra);
    this.buf.copyWithin(start + extra, start, this.pos);
    this.pos = lenAt;
    this.int64(len);
    this.pos = start + extra + len;
  }

  packed(field: number, body: () => void): void {
    this.message(field, body);
  }
}
