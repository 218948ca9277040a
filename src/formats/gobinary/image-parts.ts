import type { BinaryImage, BinarySymbol } from '../../model/binary.js';
import type { ModuleData } from './moduledata.js';

/**
 * What the ELF, Mach-O and PE image readers share once each has found its
 * sections and symbols: where the funcdata lie, the data symbols clipped so
 * none overlaps another, the pclntab's file names, and what of the pclntab
 * the functions did not take.
 */

/** A section as these helpers need it: `size` bytes of content at `addr`. */
export interface SpanSection {
  name: string;
  addr: number;
  size: number;
}

export interface SpanSymbol<S extends SpanSection> {
  name: string;
  addr: number;
  size: number;
  section: S | undefined;
}

/**
 * Where the funcdata lie: from the moduledata's gofunc to the end of the
 * `go:func.*` symbol, or without a symbol table to the next table the
 * linker writes after it (findfunctab in Go 1.26, gcdata before) or the end
 * of the section.
 */
export function funcdataRegion<S extends SpanSection>(
  sectionAt: (addr: number) => { section: S } | undefined,
  md: Pick<ModuleData, 'gofunc' | 'findfunctab' | 'gcdata'>,
  syms: readonly SpanSymbol<S>[] | undefined,
): { section: S; start: number; end: number } | undefined {
  const where = sectionAt(md.gofunc);
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

function nextSymbolAddress<S extends SpanSection>(syms: readonly SpanSymbol<S>[], after: SpanSymbol<S>, limit: number): number {
  let next = limit;
  for (const s of syms) if (s.section === after.section && s.addr > after.addr && s.addr < next) next = s.addr;
  return next;
}

/**
 * The data symbols (the caller leaves out functions, which are measured from
 * the pclntab, and what holds no file bytes), clipped so none overlaps the
 * one before it, with zero-sized block markers stretched to the next symbol.
 * The funcdata block is left out when it was charged to functions.
 */
export function dataSymbols<S extends SpanSection>(syms: readonly SpanSymbol<S>[], funcdata: { start: number; end: number } | undefined): BinarySymbol[] {
  const bySection = new Map<S, SpanSymbol<S>[]>();
  for (const s of syms) {
    if (!s.section) continue;
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
function nextAddress<S extends SpanSection>(list: readonly SpanSymbol<S>[], k: number, end: number): number {
  for (let j = k + 1; j < list.length; j++) if (list[j]!.addr > list[k]!.addr) return list[j]!.addr;
  return end;
}

export function fileNames(data: Uint8Array, start: number, end: number): string[] {
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
 * The pclntab bytes charged to functions and to the shared tables, plus, with
 * `symbolsIn`, the symbols of that section (ELF's .gopclntab carries some).
 */
export function pclntabCharged(image: BinaryImage, funcdataInside: boolean, symbolsIn: string | undefined): number {
  const s = image.pclntabShared;
  let sum = s.header + s.cutab + s.fileNames + s.inlinedNames;
  for (const f of image.functions) sum += f.nameBytes + f.record + f.pcTables + (funcdataInside ? f.funcdata : 0);
  if (symbolsIn !== undefined) for (const sym of image.symbols ?? []) if (sym.section === symbolsIn) sum += sym.bytes;
  return sum;
}

const UTF8 = new TextDecoder('utf-8');
