import { FormatError } from '../errors.js';
import type { BinaryImage, BinarySection, SectionKind } from '../../model/binary.js';
import { fileAccess, readExactly, type RandomAccess } from '../random-access.js';
import { readBuildInfo } from './buildinfo.js';
import { ElfFile, type ElfSection } from './elf.js';
import { elfSymbols, STT_FUNC, type ElfSymbol } from './elf-symbols.js';
import { findModuleData } from './moduledata.js';
import { LineTable } from './pclntab.js';
import { measureFuncdata, measurePclntab } from './pclntab-sizes.js';
import { readContainerImage } from './image-container.js';
import { MachoFile } from './macho.js';
import { PeFile } from './pe.js';
import { dataSymbols, fileNames, funcdataRegion, pclntabCharged } from './image-parts.js';

/**
 * A Go executable as the binary-size analysis sees it (Mach-O and PE files go
 * to readContainerImage; ELF is read here): its sections, the
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
    if (other === 'Mach-O') return readContainerImage(new MachoFile(access), access.size);
    if (other === 'PE') return readContainerImage(new PeFile(access), access.size);
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

/** Mach-O (either byte order, 32 or 64 bits, fat: the reader refuses all but 64-bit little-endian) and PE ("MZ") by their first bytes. */
function otherExecutable(head: Uint8Array): 'Mach-O' | 'PE' | undefined {
  const magic = ((head[0]! << 24) | (head[1]! << 16) | (head[2]! << 8) | head[3]!) >>> 0;
  if ([0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe].includes(magic)) return 'Mach-O';
  if (head[0] === 0x4d && head[1] === 0x5a) return 'PE';
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
  const funcdata = md ? funcdataRegion((addr) => elf.sectionAt(addr), md, elfSyms) : undefined;
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
    symbols: elfSyms ? dataSymbols(elfDataSymbols(elfSyms, text), funcdata) : undefined,
    pclntabShared: { ...measured.shared, other: 0 },
    homes: { code: text?.name ?? '.text', pclntab: pcln.name, funcdata: funcdata?.section.name },
    fileNames: fileNames(pclntab.data, table.tableOffsets.filetab, table.tableOffsets.pctab),
    buildInfo: buildinfo ? readBuildInfo(elf.read(buildinfo)) : undefined,
    strippedBytes: strippedSize(elf, sections, fileBytes),
  };
  image.pclntabShared.other = pcln.size - pclntabCharged(image, image.homes.funcdata === image.homes.pclntab, image.homes.pclntab);
  return image;
}

/** Symbols outside the code section that hold file bytes of a loaded section (functions are measured from the pclntab). */
function elfDataSymbols(syms: ElfSymbol[], text: ElfSection | undefined): ElfSymbol[] {
  return syms.filter((s) => s.section && s.section !== text && s.type !== STT_FUNC && s.section.type !== SHT_NOBITS && s.section.flags & SHF_ALLOC);
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

