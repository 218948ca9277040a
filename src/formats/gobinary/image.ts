import { FormatError } from '../errors.js';
import type { BinaryImage, BinarySection, BinarySymbol, SectionKind } from '../../model/binary.js';
import { fileAccess, readExactly, type RandomAccess } from '../random-access.js';
import { readBuildInfo } from './buildinfo.js';
import { ElfFile, type ElfSection } from './elf.js';
import { elfSymbols, STT_FUNC, type ElfSymbol } from './elf-symbols.js';
import { findModuleData } from './moduledata.js';
import { LineTable } from './pclntab.js';
import { measureFuncdata, measurePclntab } from './pclntab-sizes.js';

/**
 * A Go ELF executable as the binary-size analysis sees it: its sections, the
 * functions' bytes (from the pclntab, so stripped binaries are read too), the
 * symbol table's data symbols when there is one, the build info, and what
 * the file would weigh linked with -s -w. Reads the headers and the tables,
 * never the DWARF.
 */

const SHT_NOBITS = 8;
const SHF_WRITE = 1;
const SHF_ALLOC = 2;
const SHF_EXECINSTR = 4;

export function readBinaryImage(access: RandomAccess, source?: string): BinaryImage {
  try {
    const other = access.size >= 4 ? otherExecutable(readExactly(access, 0, 4)) : undefined;
    if (other) throw new FormatError(`a ${other} executable: footprint binary reads Linux (ELF) executables only, for now`, undefined, 0);
    return readElfImage(new ElfFile(access), access.size);
  } catch (err) {
    if (err instanceof FormatError && source !== undefined) throw err.withSource(source);
    throw err;
  }
}

/** Reads the binary at `path` (only the parts it needs) and closes it. */
export function readBinaryImageFile(path: string): BinaryImage {
  let access: RandomAccess;
  try {
    access = fileAccess(path);
  } catch (err) {
    throw new FormatError(`cannot read: ${(err as Error).message}`, path);
  }
  try {
    return readBinaryImage(access, path);
  } finally {
    access.close();
  }
}

/** Mach-O (either byte order, 32 or 64 bits, fat) and PE ("MZ") by their first bytes. */
function otherExecutable(head: Uint8Array): string | undefined {
  const magic = ((head[0]! << 24) | (head[1]! << 16) | (head[2]! << 8) | head[3]!) >>> 0;
  if ([0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe].includes(magic)) return 'Mach-O';
  if (head[0] === 0x4d && head[1] === 0x5a) return 'PE (Windows)';
  return undefined;
}

function readElfImage(elf: ElfFile, fileBytes: number): BinaryImage {
  const pcln = elf.section('.gopclntab') ?? elf.section('.data.rel.ro.gopclntab');
  if (!pcln) throw new FormatError('no .gopclntab section: not a Go executable (or one this reader cannot find its tables in)');
  const text = elf.section('.text');
  const pclntab = elf.read(pcln);
  const table = new LineTable(pclntab, text?.addr);
  const measured = measurePclntab(table, pclntab);
  const functions = measured.functions;
  const elfSyms = elfSymbols(elf);
  const md = findModuleData(elf, table, pcln.addr);
  const funcdata = md ? funcdataRegion(elf, md, elfSyms) : undefined;
  if (funcdata) measureFuncdata(table, functions, funcdata.end - funcdata.start);
  const buildinfo = elf.section('.go.buildinfo');
  const sections = elf.sections.filter((s) => s.type !== 0 && s.name !== '').map(sectionOf);
  const image: BinaryImage = {
    format: 'elf',
    fileBytes,
    ptrSize: table.ptrSize,
    pclntabVersion: table.version,
    sections,
    functions,
    symbols: elfSyms ? dataSymbols(elfSyms, text, funcdata) : undefined,
    pclntabShared: { ...measured.shared, other: 0 },
    homes: { code: text?.name ?? '.text', pclntab: pcln.name, funcdata: funcdata?.section.name },
    fileNames: fileNames(pclntab.data, table.tableOffsets.filetab, table.tableOffsets.pctab),
    buildInfo: buildinfo ? readBuildInfo(elf.read(buildinfo)) : undefined,
    strippedBytes: strippedSize(elf, sections, fileBytes),
  };
  image.pclntabShared.other = pcln.size - pclntabCharged(image);
  return image;
}

function pclntabCharged(image: BinaryImage): number {
  const s = image.pclntabShared;
  let sum = s.header + s.cutab + s.fileNames + s.inlinedNames;
  const funcdataHere = image.homes.funcdata === image.homes.pclntab;
  for (const f of image.functions) sum += f.nameBytes + f.record + f.pcTables + (funcdataHere ? f.funcdata : 0);
  for (const sym of image.symbols ?? []) if (sym.section === image.homes.pclntab) sum += sym.bytes;
  return sum;
}

function sectionOf(s: ElfSection): BinarySection {
  const fileBytes = s.type === SHT_NOBITS ? 0 : s.size;
  return { name: s.name, kind: kindOf(s), offset: s.offset, fileBytes, addr: s.addr, memBytes: s.flags & SHF_ALLOC ? s.size : 0 };
}

function kindOf(s: ElfSection): SectionKind {
  if (s.name === '.gopclntab' || s.name === '.data.rel.ro.gopclntab') return 'pclntab';
  if (s.type === SHT_NOBITS) return 'bss';
  if (s.flags & SHF_ALLOC) return s.flags & SHF_EXECINSTR ? 'code' : s.flags & SHF_WRITE ? 'data' : 'rodata';
  if (/^\.(z?debug_|gdb_)/.test(s.name)) return 'debug';
  if (s.name === '.symtab' || s.name === '.strtab') return 'symbols';
  return 'other';
}

/**
 * Where the funcdata lie: from the moduledata's gofunc to the end of the
 * `go:func.*` symbol, or without a symbol table to the next table the
 * linker writes after it (findfunctab in Go 1.26, gcdata before) or the end
 * of the section.
 */
function funcdataRegion(elf: ElfFile, md: { gofunc: number; findfunctab: number; gcdata: number }, syms: ElfSymbol[] | undefined) {
  const where = elf.sectionAt(md.gofunc);
  if (!where) return undefined;
  const section = where.section;
  const sectionEnd = section.addr + section.size;
  const marker = syms?.find((s) => s.name === 'go:func.*' && s.addr === md.gofunc);
  let end = sectionEnd;
  if (marker && marker.size > 0) end = marker.addr + marker.size;
  else if (marker) end = nextSymbolAddress(syms!, marker, sectionEnd);
  else for (const next of [md.findfunctab, md.gcdata]) if (next > md.gofunc && next < end) end = next;
  return { section, start: md.gofunc, end };
}

function nextSymbolAddress(syms: ElfSymbol[], after: ElfSymbol, limit: number): number {
  let next = limit;
  for (const s of syms) if (s.section === after.section && s.addr > after.addr && s.addr < next) next = s.addr;
  return next;
}

/**
 * The symbols outside the code section (functions are measured from the
 * pclntab), clipped so none overlaps the one before it, with zero-sized
 * block markers stretched to the next symbol. The funcdata block is left out
 * when it was charged to functions.
 */
function dataSymbols(syms: ElfSymbol[], text: ElfSection | undefined, funcdata: { start: number; end: number } | undefined): BinarySymbol[] {
  const bySection = new Map<ElfSection, ElfSymbol[]>();
  for (const s of syms) {
    if (!s.section || s.section === text || s.type === STT_FUNC || s.section.type === SHT_NOBITS || !(s.section.flags & SHF_ALLOC)) continue;
    let list = bySection.get(s.section);
    if (!list) bySection.set(s.section, (list = []));
    list.push(s);
  }
  const out: BinarySymbol[] = [];
  for (const [section, list] of bySection) {
    list.sort((a, b) => a.addr - b.addr || b.size - a.size);
    const end = section.addr + section.size;
    let covered = section.addr;
    for (let k = 0; k < list.length; k++) {
      const s = list[k]!;
      const stretch = s.size === 0 && isBlockMarker(s.name);
      const last = stretch ? nextAddress(list, k, end) : s.addr + s.size;
      const bytes = Math.min(last, end) - Math.max(s.addr, covered);
      if (bytes <= 0) continue;
      covered = Math.min(last, end);
      if (funcdata && s.addr >= funcdata.start && s.addr < funcdata.end) continue;
      out.push({ name: s.name, section: section.name, bytes });
    }
  }
  return out;
}

/**
 * The linker writes some content as one block with only a zero-sized symbol
 * at its start: every type descriptor after `type:*`, every string literal
 * after `go:string.*`, closures' descriptors after `go:funcdesc`, the
 * pointer masks after `runtime.gcbits.*` (and `go:func.*` before Go 1.26).
 */
function isBlockMarker(name: string): boolean {
  return name.endsWith('*') || name === 'go:funcdesc';
}

/** The address of the first symbol after list[k] that starts past it (list sorted by address), or `end`. */
function nextAddress(list: ElfSymbol[], k: number, end: number): number {
  for (let j = k + 1; j < list.length; j++) if (list[j]!.addr > list[k]!.addr) return list[j]!.addr;
  return end;
}

function fileNames(data: Uint8Array, start: number, end: number): string[] {
  const out: string[] = [];
  for (let at = start; at < end; ) {
    let stop = data.indexOf(0, at);
    if (stop < 0 || stop > end) stop = end;
    if (stop > at) out.push(UTF8.decode(data.subarray(at, stop)));
    at = stop + 1;
  }
  return out;
}

/**
 * The file's size linked with -ldflags="-s -w": Go's linker then writes no
 * DWARF and no symbol table, leaves the loaded sections where they were and
 * puts the section-name table, less the dropped sections' names, where the
 * first dropped section began (cmd/link's elf.go; checked against real -s -w
 * rebuilds by Go 1.23 and 1.26). The section headers follow it when the file
 * keeps them at its end.
 */
function strippedSize(elf: ElfFile, sections: BinarySection[], fileBytes: number): number {
  const dropped = sections.filter((s) => s.kind === 'debug' || s.kind === 'symbols');
  if (dropped.length === 0) return fileBytes;
  let cut = fileBytes;
  for (const s of elf.sections) if (!(s.flags & SHF_ALLOC) && s.type !== 0 && s.offset < cut) cut = s.offset;
  let names = elf.section('.shstrtab')?.size ?? 0;
  for (const s of dropped) names -= byteLength(s.name) + 1;
  let size = cut + Math.max(0, names);
  const headers = elf.sectionHeaders;
  const kept = elf.sections.length - dropped.length;
  if (headers.offset >= cut) size = align(size, 8) + kept * headers.entrySize;
  return size;
}

function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

function byteLength(s: string): number {
  return new TextEncoder().encode(s).length;
}

const UTF8 = new TextDecoder('utf-8');
