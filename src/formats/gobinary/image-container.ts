import type { BinaryImage, BinarySection, BuildInfo } from '../../model/binary.js';
import { FormatError } from '../errors.js';
import { Bytes } from './bytes.js';
import { readBuildInfo } from './buildinfo.js';
import { checkLayout, type ContainerSection, type ContainerSymbol, type ExecutableContainer } from './container.js';
import { dataSymbols, fileNames, funcdataRegion, pclntabCharged } from './image-parts.js';
import { findModuleData, type ModuleData } from './moduledata.js';
import { LineTable } from './pclntab.js';
import { measureFuncdata, measurePclntab } from './pclntab-sizes.js';

/**
 * A Go Mach-O or PE executable as the binary-size analysis sees it, built the
 * way readElfImage builds an ELF one. What differs: Mach-O keeps the pclntab
 * in its own section (__gopclntab), PE inside .rdata between the symbols
 * runtime.pclntab and runtime.epclntab, so a stripped PE's is found by its
 * magic and the moduledata that points at it. Each container estimates its
 * own -s -w size.
 */

interface Region {
  section: ContainerSection;
  start: number;
  end: number;
}

export function readContainerImage(c: ExecutableContainer, fileBytes: number): BinaryImage {
  checkLayout(c.sections, fileBytes);
  const text = c.sections.find((s) => s.kind === 'code' && s.name.endsWith('text'));
  const { region, table, md } = locatePclntab(c, text?.addr);
  const pclntab = sliceOf(c, region);
  const measured = measurePclntab(table, pclntab);
  const functions = measured.functions;
  const inRegion = (addr: number) => addr >= region.start && addr < region.end;
  const syms = c.symbols?.filter((s) => !inRegion(s.addr) || s.name === 'go:func.*');
  const funcdata = md ? funcdataRegion((addr) => c.sectionAt(addr), md, syms) : undefined;
  if (funcdata) measureFuncdata(table, functions, funcdata.end - funcdata.start);
  const image: BinaryImage = {
    format: c.format,
    fileBytes,
    ptrSize: table.ptrSize,
    pclntabVersion: table.version,
    sections: c.sections.map(sectionOf),
    functions,
    symbols: syms ? dataSymbols(syms, funcdata) : undefined,
    pclntabShared: { ...measured.shared, other: 0 },
    homes: { code: text?.name ?? '', pclntab: region.section.name, funcdata: funcdata?.section.name },
    fileNames: fileNames(pclntab.data, table.tableOffsets.filetab, table.tableOffsets.pctab),
    buildInfo: buildInfoOf(c),
    strippedBytes: null,
  };
  const stripped = c.strippedSize();
  if (typeof stripped === 'number') image.strippedBytes = stripped;
  else image.strippedUnknown = stripped;
  const funcdataInside = funcdata !== undefined && inRegion(funcdata.start);
  image.pclntabShared.other = region.end - region.start - pclntabCharged(image, funcdataInside, undefined);
  if (image.pclntabShared.other < 0) throw new FormatError(`the pclntab's tables claim ${-image.pclntabShared.other} bytes more than its ${region.end - region.start}`, undefined, region.section.offset);
  return image;
}

function sectionOf(s: ContainerSection): BinarySection {
  return { name: s.name, kind: s.kind, offset: s.offset, fileBytes: s.fileBytes, addr: s.addr, memBytes: s.memBytes };
}

function sliceOf(c: ExecutableContainer, r: Region): Bytes {
  const all = c.read(r.section);
  const from = r.start - r.section.addr;
  return new Bytes(all.data.subarray(from, r.end - r.section.addr), true, all.fileOffset + from);
}

/**
 * The pclntab: Mach-O's __gopclntab section; else the span between the
 * runtime.pclntab and runtime.epclntab symbols; else (a stripped PE) a table
 * header in a read-only section whose address the moduledata holds, running
 * to the end of the last table the moduledata points into it.
 */
function locatePclntab(c: ExecutableContainer, textAddr: number | undefined): { region: Region; table: LineTable; md: ModuleData | undefined } {
  const own = c.sections.find((s) => s.kind === 'pclntab');
  const bySymbols = symbolRegion(c.symbols);
  const known = own ? { section: own, start: own.addr, end: own.addr + own.size } : bySymbols;
  if (known) {
    const table = new LineTable(sliceOf(c, known), textAddr);
    return { region: known, table, md: findModuleData(c, table, known.start, c.dataSections) };
  }
  for (const section of c.sections) {
    if (section.kind !== 'rodata') continue;
    const b = c.read(section);
    for (let at = 0; at + 64 <= b.length; at += 8) {
      if (!looksLikePclntab(b.data, at)) continue;
      const region = { section, start: section.addr + at, end: section.addr + section.size };
      let table: LineTable;
      try {
        table = new LineTable(sliceOf(c, region), textAddr);
      } catch {
        continue;
      }
      const md = findModuleData(c, table, region.start, c.dataSections);
      if (md) return { region: { ...region, end: Math.min(region.end, strippedPclntabEnd(md, table)) }, table, md };
    }
  }
  throw new FormatError('no pclntab (no __gopclntab section, no runtime.pclntab symbol, no table the moduledata points at): not a Go executable, or one built by a Go before 1.18');
}

/**
 * Where runtime.epclntab would be: after the pclntable, or, where the linker
 * writes the find-function table after it (Go 1.26: the funcdata, then
 * findfunctab), after that table: a 4-byte base per 4 KiB bucket and a byte
 * per 256-byte sub-bucket of the text from its start to the last function's
 * end (cmd/link's pcln.go findfunctab).
 */
function strippedPclntabEnd(md: ModuleData, table: LineTable): number {
  if (md.findfunctab < md.pclntabEnd) return md.pclntabEnd;
  const text = table.entry(table.funcCount) - md.minpc;
  return md.findfunctab + 4 * Math.ceil(text / 4096) + Math.ceil(text / 256);
}

function symbolRegion(syms: ContainerSymbol[] | undefined): Region | undefined {
  const start = syms?.find((s) => s.name === 'runtime.pclntab');
  const end = syms?.find((s) => s.name === 'runtime.epclntab');
  return start && end && end.addr > start.addr ? { section: start.section, start: start.addr, end: end.addr } : undefined;
}

/** The Go 1.18+ pclntab magics (runtime/symtab.go), little-endian, then two zero bytes, the instruction quantum and the pointer size. */
function looksLikePclntab(d: Uint8Array, at: number): boolean {
  const magic = d[at]! === 0xf0 || d[at]! === 0xf1;
  return magic && d[at + 1] === 0xff && d[at + 2] === 0xff && d[at + 3] === 0xff && d[at + 4] === 0 && d[at + 5] === 0 && [1, 2, 4].includes(d[at + 6]!) && d[at + 7] === 8;
}

/** __go_buildinfo in Mach-O; in PE, the start of .data (debug/buildinfo searches the data for its magic). */
function buildInfoOf(c: ExecutableContainer): BuildInfo | undefined {
  const own = c.section('__DATA,__go_buildinfo');
  if (own) return readBuildInfo(c.read(own));
  const data = c.sections.find((s) => s.kind === 'data' && s.size > 0);
  if (!data) return undefined;
  const b = c.read(data).data;
  for (let at = 0; at + 32 <= b.length; at += 16) {
    if (b[at] === 0xff && b[at + 1] === 0x20 && b[at + 2] === 0x47 && b[at + 3] === 0x6f) return readBuildInfo(new Bytes(b.subarray(at), true, data.offset + at));
  }
  return undefined;
}
