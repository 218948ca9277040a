import { Bytes } from './bytes.js';

/**
 * Go's PC/line table (pclntab), the runtime's own symbol table: every
 * function's entry, name, and per-PC tables of file, line and more. Learned
 * from Go's runtime/symtab.go (pcHeader, _func, pcvalue) and debug/gosym's
 * pclntab.go (which pprof uses, so lookups here follow its rules); the design
 * note is golang.org/s/go12symtab.
 *
 * Layout since Go 1.16: a header (magic, pad, PC quantum, pointer size, then
 * pointer-sized counts and offsets) followed by the function-name table, the
 * compilation-unit file index (cutab), the file-name table, the pc-value
 * tables (pctab) and the function table (pairs of entry, _func offset, then
 * the end PC), each _func followed by its pcdata and funcdata offsets.
 */

export type PclntabVersion = '1.16' | '1.18' | '1.20';

const MAGICS: Record<number, PclntabVersion> = { 0xfffffffa: '1.16', 0xfffffff0: '1.18', 0xfffffff1: '1.20' };
const GO12_MAGIC = 0xfffffffb;

/** Field numbers of _func after the entry (each 4 bytes; runtime/runtime2.go). */
const FIELD = { nameOff: 1, pcfile: 5, pcln: 6, npcdata: 7, cuOffset: 8 } as const;

export class LineTable {
  readonly version: PclntabVersion;
  readonly quantum: number;
  readonly ptrSize: number;
  readonly funcCount: number;
  /** The address the 1.18+ tables' entry offsets count from (debug/gosym takes it from the text section). */
  readonly textStart: number;
  /** Offset of the function-name table inside the pclntab (the runtime's moduledata points there). */
  readonly funcnameOffset: number;
  /** Where each table starts in the pclntab; the linker writes them in this order. */
  readonly tableOffsets: { funcnametab: number; cutab: number; filetab: number; pctab: number; functab: number };
  private readonly funcnametab: Bytes;
  private readonly cutab: Bytes;
  private readonly filetab: Bytes;
  private readonly pctab: Bytes;
  private readonly funcdata: Bytes;
  private readonly functabFieldSize: number;
  private readonly names = new Map<number, string>();
  private readonly files = new Map<number, string>();

  /**
   * `data` is the whole pclntab; `textStart` the text section's address
   * (Go 1.26 no longer stores it in the header; earlier 1.18+ headers do,
   * unrelocated, which is why debug/gosym does not read it either).
   */
  constructor(
    data: Bytes,
    textStart: number | undefined,
  ) {
    if (data.length < 16) throw data.error('the pclntab is too short for its header', 0);
    const le = data.u32(0, 'pclntab magic');
    const be = new Bytes(data.data, !data.littleEndian).u32(0, 'pclntab magic');
    const version = MAGICS[le];
    if (version === undefined) {
      if (le === GO12_MAGIC || be === GO12_MAGIC) throw data.error('a Go 1.2-1.15 pclntab is not supported (binaries of Go 1.16 and later are)', 0);
      if (MAGICS[be] !== undefined) throw data.error('the pclntab is in the other byte order than its ELF file', 0);
      throw data.error(`not a Go pclntab (magic 0x${le.toString(16)})`, 0);
    }
    this.version = version;
    this.quantum = data.u8(6, 'PC quantum');
    this.ptrSize = data.u8(7, 'pointer size');
    if (data.u8(4, 'pad') !== 0 || data.u8(5, 'pad') !== 0 || ![1, 2, 4].includes(this.quantum) || ![4, 8].includes(this.ptrSize)) {
      throw data.error('malformed pclntab header', 4);
    }
    const word = (i: number, what: string) => data.word(8 + i * this.ptrSize, this.ptrSize, what);
    const part = (off: number, what: string): Bytes => {
      if (off > data.length) throw data.error(`the ${what} starts past the end of the pclntab`, 8);
      return new Bytes(data.data.subarray(off), data.littleEndian, data.fileOffset + off);
    };
    this.funcCount = word(0, 'function count');
    // Go 1.18 added textStart as the header's third word; the offsets follow it.
    const k = version === '1.16' ? 2 : 3;
    this.funcnameOffset = word(k, 'function-name table offset');
    const at = { funcnametab: this.funcnameOffset, cutab: word(k + 1, 'cutab offset'), filetab: word(k + 2, 'file table offset'), pctab: word(k + 3, 'pc table offset'), functab: word(k + 4, 'function table offset') };
    this.tableOffsets = at;
    this.funcnametab = part(at.funcnametab, 'function-name table');
    this.cutab = part(at.cutab, 'cutab');
    this.filetab = part(at.filetab, 'file table');
    this.pctab = part(at.pctab, 'pc-value tables');
    this.funcdata = part(at.functab, 'function table');
    this.functabFieldSize = version === '1.16' ? this.ptrSize : 4;
    const functabBytes = (this.funcCount * 2 + 1) * this.functabFieldSize;
    if (functabBytes > this.funcdata.length) throw data.error(`${this.funcCount} functions do not fit in the function table`, 8);
    const headerText = version === '1.16' ? 0 : word(2, 'text start');
    this.textStart = version === '1.16' ? 0 : (textStart ?? headerText);
  }

  /** Entry PC of function i (i = funcCount gives the end of the last function). */
  entry(i: number): number {
    return this.entries()[i]!;
  }

  /** The function whose [entry, next entry) holds `pc`, or -1 (debug/gosym findFunc). */
  funcIndex(pc: number): number {
    const e = this.entries();
    const n = this.funcCount;
    if (n === 0 || pc < e[0]! || pc >= e[n]!) return -1;
    let lo = 0;
    let hi = n;
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (e[mid]! <= pc) lo = mid;
      else hi = mid;
    }
    return lo;
  }

  private entryPCs: Float64Array | undefined;

  /** Every function's entry and the end PC, read once: lookups binary-search them. */
  private entries(): Float64Array {
    if (!this.entryPCs) {
      const e = new Float64Array(this.funcCount + 1);
      const base = this.version === '1.16' ? 0 : this.textStart;
      for (let i = 0; i <= this.funcCount; i++) e[i] = this.funcdata.word(2 * i * this.functabFieldSize, this.functabFieldSize, 'function entry') + base;
      this.entryPCs = e;
    }
    return this.entryPCs;
  }

  funcName(i: number): string {
    return this.nameAt(this.field(i, FIELD.nameOff));
  }

  /** The name at an offset of the function-name table (inline-tree entries name callees this way). */
  nameAt(off: number): string {
    return cachedString(this.names, this.funcnametab, off, 'function name');
  }

  /** The source file at `pc` in function i, or "" (debug/gosym go12PCToFile). */
  fileAt(i: number, pc: number): string {
    return this.fileName(i, this.pcValue(this.field(i, FIELD.pcfile), i, pc));
  }

  /** The name of file number `fno` of function i's compilation unit, or "" when there is none. */
  private fileName(i: number, fno: number): string {
    if (fno < 0) return '';
    const at = (this.field(i, FIELD.cuOffset) + fno) * 4;
    const off = this.cutab.u32(at, 'file index');
    return off === 0xffffffff ? '' : cachedString(this.files, this.filetab, off, 'file name');
  }

  /** The source line at `pc` in function i, or -1 (debug/gosym go12PCToLine). */
  lineAt(i: number, pc: number): number {
    return this.pcValue(this.field(i, FIELD.pcln), i, pc);
  }

  /**
   * File and line at each of `pcs` (ascending, all in function i), reading
   * each of the function's two tables once: symbolising many addresses of one
   * function costs one pass, not one per address.
   */
  positions(i: number, pcs: readonly number[]): { file: string; line: number }[] {
    const entry = this.entry(i);
    const rels = pcs.map((pc) => pc - entry);
    const files = pcValues(this.pctab, this.field(i, FIELD.pcfile), this.quantum, rels);
    const lines = pcValues(this.pctab, this.field(i, FIELD.pcln), this.quantum, rels);
    return rels.map((_, k) => ({ file: this.fileName(i, files[k]!), line: lines[k]! }));
  }

  /** Where function i's _func record starts in the function table. */
  funcRecord(i: number): number {
    return this.funcdata.word((2 * i + 1) * this.functabFieldSize, this.functabFieldSize, 'function offset');
  }

  /** Field n (1-based, after the entry) of function i's _func. */
  field(i: number, n: number): number {
    const entrySize = this.version === '1.16' ? this.ptrSize : 4;
    return this.funcdata.u32(this.funcRecord(i) + entrySize + (n - 1) * 4, '_func field');
  }

  /**
   * The offset in the pc-value tables of function i's pcdata table `table`
   * (PCDATA_*), or 0 when it has none. The pcdata offsets follow the fixed
   * part of _func, whose last byte is nfuncdata (runtime/symtab.go pcdatastart).
   */
  pcdataOffset(i: number, table: number): number {
    if (table >= this.field(i, FIELD.npcdata)) return 0;
    return this.funcdata.u32(this.funcRecord(i) + this.funcFixedSize() + table * 4, 'pcdata offset');
  }

  /**
   * Function i's funcdata `index` (FUNCDATA_*) as an offset from the
   * runtime's gofunc base, or undefined when it has none (Go 1.18+, where
   * funcdata are 4-byte offsets after the pcdata; runtime/symtab.go funcdata).
   */
  funcdataOffset(i: number, index: number): number | undefined {
    if (this.version === '1.16') return undefined;
    const rec = this.funcRecord(i);
    const fixed = this.funcFixedSize();
    if (index >= this.funcdata.u8(rec + fixed - 1, 'nfuncdata')) return undefined;
    const npcdata = this.field(i, FIELD.npcdata);
    const off = this.funcdata.u32(rec + fixed + (npcdata + index) * 4, 'funcdata offset');
    return off === 0xffffffff ? undefined : off;
  }

  /** Bytes of function i's _func record: the fixed part, then its pcdata and funcdata offsets. */
  recordBytes(i: number): number {
    const fixed = this.funcFixedSize();
    const nfuncdata = this.funcdata.u8(this.funcRecord(i) + fixed - 1, 'nfuncdata');
    return fixed + this.field(i, FIELD.npcdata) * 4 + nfuncdata * (this.version === '1.16' ? this.ptrSize : 4);
  }

  /** Bytes of _func before its pcdata: the entry, nine 4-byte fields (ten since Go 1.20's startLine), then funcID, flag, pad, nfuncdata. */
  private funcFixedSize(): number {
    const entrySize = this.version === '1.16' ? this.ptrSize : 4;
    return entrySize + (this.version === '1.20' ? 40 : 36);
  }

  /** The value table `off` of function i gives at `pc` (-1 when none); off 0 means no table. */
  pcValue(off: number, i: number, pc: number): number {
    return pcValues(this.pctab, off, this.quantum, [pc - this.entry(i)])[0]!;
  }
}

/** The NUL-terminated string at `off` of a table, read once. */
function cachedString(cache: Map<number, string>, table: Bytes, off: number, what: string): string {
  let s = cache.get(off);
  if (s === undefined) {
    s = table.cString(off, what);
    cache.set(off, s);
  }
  return s;
}

/**
 * The values a pc-value table gives at offsets `rels` from its function's
 * entry (ascending), in one pass (debug/gosym pcvalue for each): pairs of
 * (value delta, pc delta) as zig-zag and plain uvarints, ended by a zero value
 * delta after the first pair; the value at a pc is the one whose range
 * [previous pc, pc) holds it, -1 past the end. Offset 0 means no table.
 */
export function pcValues(pctab: Bytes, off: number, quantum: number, rels: readonly number[]): Int32Array {
  const out = new Int32Array(rels.length).fill(-1);
  if (off === 0) return out;
  const r = new Uvarints(pctab, off);
  let pc = 0;
  let value = -1;
  let k = 0;
  while (k < rels.length && rels[k]! < 0) k++;
  while (k < rels.length) {
    const uv = r.next();
    // debug/gosym's `first` is "still at the entry", as pprof reads it.
    if (uv === 0 && pc !== 0) break;
    // Go multiplies in uint32, so a huge delta wraps there as it does here.
    pc += (r.next() * quantum) >>> 0;
    value = (value + (uv & 1 ? ~(uv >>> 1) : uv >>> 1)) | 0;
    while (k < rels.length && rels[k]! < pc) out[k++] = value;
  }
  return out;
}

/** Reads uint32 varints as Go's readvarint does (bits past 32 are lost, as there). */
class Uvarints {
  private readonly data: Uint8Array;

  constructor(
    private readonly bytes: Bytes,
    private pos: number,
  ) {
    this.data = bytes.data;
  }

  next(): number {
    const data = this.data;
    let v = 0;
    for (let shift = 0; ; shift += 7) {
      if (this.pos >= data.length) throw this.bytes.error('a pc-value table runs past the end of the tables', this.pos);
      const b = data[this.pos++]!;
      if (shift < 32) v = (v | ((b & 0x7f) << shift)) >>> 0;
      if ((b & 0x80) === 0) return v;
    }
  }
}
