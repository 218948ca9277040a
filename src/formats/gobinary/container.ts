import type { BinarySection } from '../../model/binary.js';
import { FormatError } from '../errors.js';
import { readExactly, type RandomAccess } from '../random-access.js';
import { Bytes } from './bytes.js';

/**
 * What the binary-size reader needs of a Mach-O or PE executable, so one
 * image builder serves both: the sections (and, for parts of the file no
 * section header names, such as Mach-O's symbol table in __LINKEDIT, pseudo
 * sections saying what they hold), their bytes, and the defined symbols with
 * sizes. Neither format records symbol sizes; like cmd/internal/objfile's
 * macho.go and pe.go, a symbol runs to the next one. Section names are
 * unique in the file: Mach-O's carry their segment (`__DATA,__data`).
 */
export interface ContainerSection extends BinarySection {
  /** Bytes of file content at addr (a PE section's raw size is padded to the file alignment; its tail may be .bss). */
  size: number;
}

export interface ContainerSymbol {
  name: string;
  addr: number;
  /** To the next symbol of its section, or the end of the section's content. */
  size: number;
  section: ContainerSection;
}

export interface ExecutableContainer {
  readonly format: 'macho' | 'pe';
  readonly littleEndian: boolean;
  readonly sections: readonly ContainerSection[];
  section(name: string): ContainerSection | undefined;
  /** A loaded section's content bytes (read once, then cached). */
  read(s: ContainerSection): Bytes;
  sectionAt(addr: number): { section: ContainerSection; at: number } | undefined;
  /** Symbols defined in loaded sections, or undefined when the file has none (-s). */
  readonly symbols: ContainerSymbol[] | undefined;
  /** The file's size linked with -ldflags="-s -w", or the reason it is not estimated. */
  strippedSize(): number | string;
  /** The names moduledata may be in, most likely first. */
  readonly dataSections: readonly string[];
}

/**
 * The section bounds the linker defines (cmd/link's symtab.go and data.go,
 * xdefine): zero-sized in ELF, but Mach-O and PE give them no size, so one at
 * the address of real content (runtime.rodata where type:* starts) would
 * take that content's bytes.
 */
const BOUNDS = new Set(
  ['text', 'etext', 'rodata', 'erodata', 'types', 'etypes', 'itablink', 'eitablink', 'typelink', 'etypelink', 'noptrdata', 'enoptrdata', 'data', 'edata', 'bss', 'ebss', 'noptrbss', 'enoptrbss', 'covctrs', 'ecovctrs', 'end', 'pclntab', 'epclntab', 'pcheader', 'funcnametab', 'cutab', 'filetab', 'pctab', 'functab', 'symtab', 'esymtab'].map((n) => `runtime.${n}`),
);

/**
 * Sizes from the next symbol's address within each section (as go tool nm
 * infers them); at an address several symbols share, the first in the table
 * takes the size (as the first of ELF's zero-sized markers takes the block)
 * and the others are zero-sized; section bounds are always zero-sized.
 */
export function sizedSymbols(raw: { name: string; addr: number; section: ContainerSection }[]): ContainerSymbol[] {
  // Stable: symbols at one address keep the table's order, bounds after the rest.
  const sorted = [...raw].sort((a, b) => a.addr - b.addr || Number(BOUNDS.has(a.name)) - Number(BOUNDS.has(b.name)));
  const out: ContainerSymbol[] = [];
  for (let k = 0; k < sorted.length; k++) {
    const s = sorted[k]!;
    const sectionEnd = s.section.addr + s.section.size;
    let end = sectionEnd;
    for (let j = k + 1; j < sorted.length; j++) {
      if (sorted[j]!.addr === s.addr) continue;
      if (sorted[j]!.section === s.section) end = sorted[j]!.addr;
      break;
    }
    const first = k === 0 || sorted[k - 1]!.addr !== s.addr;
    out.push({ ...s, size: first && !BOUNDS.has(s.name) ? Math.max(0, Math.min(end, sectionEnd) - s.addr) : 0 });
  }
  return out;
}

/**
 * Sections holding file bytes must lie in the file without overlapping (Go's
 * linker never overlaps them): a damaged header is one clear error, not
 * bytes counted twice.
 */
export function checkLayout(sections: readonly ContainerSection[], fileSize: number): void {
  const stored = sections.filter((s) => s.fileBytes > 0).sort((a, b) => a.offset - b.offset);
  let end = 0;
  let last = '';
  for (const s of stored) {
    if (s.offset < end) throw new FormatError(`section ${s.name} at offset ${s.offset} overlaps ${last}, which ends at ${end}`, undefined, s.offset);
    end = s.offset + s.fileBytes;
    last = s.name;
    if (end > fileSize) throw new FormatError(`section ${s.name} (${s.fileBytes} bytes at offset ${s.offset}) runs past the end of the ${fileSize}-byte file`, undefined, s.offset);
  }
}

/** What the Mach-O and PE readers share: sections by name, their bytes (cached), the section at an address. */
export abstract class ContainerFile {
  readonly sections: ContainerSection[] = [];
  private readonly cache = new Map<ContainerSection, Bytes>();

  constructor(protected readonly file: RandomAccess) {}

  section(name: string): ContainerSection | undefined {
    return this.sections.find((s) => s.name === name);
  }

  read(s: ContainerSection): Bytes {
    let b = this.cache.get(s);
    if (!b) this.cache.set(s, (b = new Bytes(readExactly(this.file, s.offset, s.size), true, s.offset)));
    return b;
  }

  /** The loaded section holding `addr` (DWARF and symbol tables are not loaded). */
  sectionAt(addr: number): { section: ContainerSection; at: number } | undefined {
    for (const s of this.sections) {
      if (s.kind !== 'debug' && s.kind !== 'symbols' && s.size > 0 && addr >= s.addr && addr < s.addr + s.size) return { section: s, at: addr - s.addr };
    }
    return undefined;
  }
}

/** A fixed-width, NUL-padded name field (Mach-O segment and section names, PE short names). */
export function fixedName(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return LATIN1.decode(bytes.subarray(0, end < 0 ? bytes.length : end));
}

const LATIN1 = new TextDecoder('latin1');
