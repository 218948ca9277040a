/**
 * A tiny synthetic Go ELF executable for the binary reader's tests and fuzzer,
 * so they run without a Go toolchain: a Go 1.20-format pclntab with three
 * functions, one of which has an inlined call, the moduledata that locates
 * the inline tree, and a Go build-ID note. Laid out as Go's linker lays them
 * out (runtime/symtab.go, runtime/symtabinl.go); every number is chosen here,
 * so the tests know the answers.
 *
 *   main.outer                  0x401000-0x401040  main.go
 *     [0x00,0x10) line 10, [0x10,0x20) main.inner inlined: inner.go:20 (call site: main.go:10 at 0x08),
 *     [0x20,0x40) line 11
 *   main.generic[go.shape.int]  0x401040-0x401060  main.go:30
 *   main.tail                   0x401060-0x401070  main.go:40
 */

export const SYNTH = {
  textStart: 0x401000,
  end: 0x401070,
  goBuildId: 'synthetic/go-build-id',
  pclntabAddr: 0x510000,
  gofunc: 0x500000,
} as const;

/** Options that make the synthetic binary look like older or odder ones. */
export interface SynthOptions {
  /** Write the text start into the pclntab header (Go 1.18-1.25 do; 1.26 writes 0). */
  headerTextStart?: boolean;
  /** Leave out the .text section, so the header's text start is all there is. */
  noTextSection?: boolean;
}

class Writer {
  bytes: number[] = [];
  u8(v: number): this {
    this.bytes.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.u8(v).u8(v >>> 8);
  }
  u32(v: number): this {
    return this.u16(v & 0xffff).u16(v >>> 16);
  }
  u64(v: number): this {
    return this.u32(v % 2 ** 32).u32(Math.floor(v / 2 ** 32));
  }
  i32(v: number): this {
    return this.u32(v >>> 0);
  }
  str(s: string): this {
    for (const c of Buffer.from(s, 'utf8')) this.u8(c);
    return this.u8(0);
  }
  uvarint(v: number): this {
    while (v >= 0x80) {
      this.u8((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    return this.u8(v);
  }
  align(n: number): this {
    while (this.bytes.length % n) this.u8(0);
    return this;
  }
  get length(): number {
    return this.bytes.length;
  }
}

/** A pc-value table: [end offset, value] pairs from the function's entry, as the linker encodes them. */
function pcTable(w: Writer, runs: [number, number][]): number {
  const at = w.length;
  let value = -1;
  let pc = 0;
  for (const [end, v] of runs) {
    const delta = v - value;
    w.uvarint(delta < 0 ? ((-delta - 1) << 1) | 1 : delta << 1);
    w.uvarint(end - pc);
    value = v;
    pc = end;
  }
  w.u8(0);
  return at;
}

export function syntheticGoBinary(opts: SynthOptions = {}): Uint8Array {
  // ---- pclntab ----
  const names = new Writer();
  const nameOff = { outer: names.length } as Record<string, number>;
  names.str('main.outer');
  nameOff['inner'] = names.length;
  names.str('main.inner');
  nameOff['generic'] = names.length;
  names.str('main.generic[go.shape.int]');
  nameOff['tail'] = names.length;
  names.str('main.tail');
  const files = new Writer();
  const mainGo = files.length;
  files.str('main.go');
  const innerGo = files.length;
  files.str('inner.go');
  const cutab = new Writer().u32(mainGo).u32(innerGo);

  const pctab = new Writer().u8(0); // offset 0 means "no table"
  const outerFile = pcTable(pctab, [[0x10, 0], [0x20, 1], [0x40, 0]]);
  const outerLine = pcTable(pctab, [[0x10, 10], [0x20, 20], [0x40, 11]]);
  const outerInl = pcTable(pctab, [[0x10, -1], [0x20, 0], [0x40, -1]]);
  const genericFile = pcTable(pctab, [[0x20, 0]]);
  const genericLine = pcTable(pctab, [[0x20, 30]]);
  const tailLine = pcTable(pctab, [[0x10, 40]]);

  // functab (entry offset, _func offset) × 3 + end, then the _func records.
  const funcs = [
    { entry: 0x00, name: nameOff['outer']!, pcfile: outerFile, pcln: outerLine, pcdata: [0, 0, outerInl], funcdata: [0xffffffff, 0xffffffff, 0xffffffff, 0], startLine: 9 },
    { entry: 0x40, name: nameOff['generic']!, pcfile: genericFile, pcln: genericLine, pcdata: [], funcdata: [], startLine: 29 },
    { entry: 0x60, name: nameOff['tail']!, pcfile: genericFile, pcln: tailLine, pcdata: [], funcdata: [], startLine: 39 },
  ];
  const pcln = new Writer();
  const functabSize = (funcs.length * 2 + 1) * 4;
  const records = new Writer();
  const recordOffs: number[] = [];
  for (const f of funcs) {
    recordOffs.push(functabSize + records.length);
    records.u32(f.entry).i32(f.name).i32(0).u32(0).u32(0).u32(f.pcfile).u32(f.pcln).u32(f.pcdata.length).u32(0).i32(f.startLine);
    records.u8(0).u8(0).u8(0).u8(f.funcdata.length);
    for (const p of f.pcdata) records.u32(p);
    for (const d of f.funcdata) records.u32(d);
    records.align(4);
  }
  funcs.forEach((f, i) => pcln.u32(f.entry).u32(recordOffs[i]!));
  pcln.u32(SYNTH.end - SYNTH.textStart);
  for (const b of records.bytes) pcln.bytes.push(b);

  const header = new Writer().u32(0xfffffff1).u8(0).u8(0).u8(1).u8(8);
  const headerSize = 8 + 8 * 8;
  const parts = [names, cutab, files, pctab, pcln];
  const offsets: number[] = [];
  let at = headerSize;
  for (const p of parts) {
    offsets.push(at);
    at += p.length;
  }
  header.u64(funcs.length).u64(2).u64(opts.headerTextStart ? SYNTH.textStart : 0);
  for (const o of offsets) header.u64(o);
  const pclntab = [...header.bytes, ...parts.flatMap((p) => p.bytes)];

  // ---- gofunc (.rodata): the inline tree of main.outer ----
  const rodata = new Writer().u8(0).u8(0).u8(0).u8(0).i32(nameOff['inner']!).i32(0x08).i32(19);

  // ---- moduledata (.noptrdata): pcHeader, funcnametab slice, … gofunc at word 40 ----
  const noptrdata = new Writer().u64(0x12345); // something before it, as in a real section
  const words = new Array<number>(48).fill(0);
  words[0] = SYNTH.pclntabAddr;
  words[1] = SYNTH.pclntabAddr + offsets[0]!;
  words[40] = SYNTH.gofunc;
  for (const v of words) noptrdata.u64(v);

  const note = new Writer().u32(4).u32(Buffer.byteLength(SYNTH.goBuildId)).u32(4).str('Go').align(4);
  for (const c of Buffer.from(SYNTH.goBuildId)) note.u8(c);
  note.align(4);

  const sections: { name: string; type: number; flags: number; addr: number; data: number[] }[] = [
    { name: '.note.go.buildid', type: 7, flags: 2, addr: 0x400f00, data: note.bytes },
    ...(opts.noTextSection ? [] : [{ name: '.text', type: 1, flags: 6, addr: SYNTH.textStart, data: new Array<number>(SYNTH.end - SYNTH.textStart).fill(0xcc) }]),
    { name: '.rodata', type: 1, flags: 2, addr: SYNTH.gofunc, data: rodata.bytes },
    { name: '.gopclntab', type: 1, flags: 2, addr: SYNTH.pclntabAddr, data: pclntab },
    { name: '.noptrdata', type: 1, flags: 3, addr: 0x600000, data: noptrdata.bytes },
  ];
  const shstrtab = new Writer().u8(0);
  const nameAt = sections.map((s) => {
    const o = shstrtab.length;
    shstrtab.str(s.name);
    return o;
  });
  const shstrName = shstrtab.length;
  shstrtab.str('.shstrtab');

  const file = new Writer();
  const ehsize = 64;
  const phoff = ehsize;
  let dataAt = phoff + 56;
  const placed = sections.map((s) => {
    const off = dataAt;
    dataAt += s.data.length;
    return off;
  });
  const shstrOff = dataAt;
  dataAt += shstrtab.length;
  const shoff = Math.ceil(dataAt / 8) * 8;
  // ELF header
  file.u8(0x7f).u8(0x45).u8(0x4c).u8(0x46).u8(2).u8(1).u8(1).u8(0);
  for (let i = 0; i < 8; i++) file.u8(0);
  file.u16(2).u16(62).u32(1).u64(SYNTH.textStart).u64(phoff).u64(shoff).u32(0).u16(ehsize).u16(56).u16(1).u16(64).u16(sections.length + 2).u16(sections.length + 1);
  // one PT_LOAD, readable and executable
  file.u32(1).u32(5).u64(0).u64(0x400000).u64(0x400000).u64(0x1000).u64(0x1000).u64(0x1000);
  for (const s of sections) for (const b of s.data) file.bytes.push(b);
  for (const b of shstrtab.bytes) file.bytes.push(b);
  file.align(8);
  const sh = (name: number, type: number, flags: number, addr: number, offset: number, size: number) =>
    file.u32(name).u32(type).u64(flags).u64(addr).u64(offset).u64(size).u32(0).u32(0).u64(1).u64(0);
  sh(0, 0, 0, 0, 0, 0);
  sections.forEach((s, i) => sh(nameAt[i]!, s.type, s.flags, s.addr, placed[i]!, s.data.length));
  sh(shstrName, 3, 0, 0, shstrOff, shstrtab.length);
  return Uint8Array.from(file.bytes);
}
