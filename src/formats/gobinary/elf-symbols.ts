import { SYMBOL_KIND, type SymbolTable } from '../../model/symbols.js';
import { FormatError } from '../errors.js';
import type { RandomAccess } from '../random-access.js';
import { ElfFile, type ElfSection } from './elf.js';

/**
 * The ELF symbol table (.symtab with the string table its sh_link names), as
 * the Go linker writes it unless -s: each symbol with its section and size
 * (gABI "Symbol Table"; Go's debug/elf Symbols reads the same entries).
 */

export interface ElfSymbol {
  name: string;
  addr: number;
  size: number;
  /** The section it is defined in (undefined for absolute and undefined symbols). */
  section: ElfSection | undefined;
  /** STT_*: 1 object, 2 function. */
  type: number;
}

const STT_OBJECT = 1;
export const STT_FUNC = 2;
const SHT_SYMTAB = 2;

/** Every symbol of the .symtab, or undefined when the binary has none. */
export function elfSymbols(elf: ElfFile): ElfSymbol[] | undefined {
  const symtab = elf.sections.find((s) => s.type === SHT_SYMTAB);
  if (!symtab) return undefined;
  const strtab = elf.sections[symtab.link];
  if (!strtab) throw new FormatError(`the symbol table links to section ${symtab.link}, which does not exist`, undefined, elf.sectionHeaders.offset);
  const b = elf.read(symtab);
  const names = elf.read(strtab);
  const entry = elf.is64 ? 24 : 16;
  const out: ElfSymbol[] = [];
  // Entry 0 is the reserved null symbol.
  for (let at = entry; at + entry <= b.length; at += entry) {
    const nameOff = b.u32(at, 'st_name');
    const info = b.u8(at + (elf.is64 ? 4 : 12), 'st_info');
    const shndx = b.u16(at + (elf.is64 ? 6 : 14), 'st_shndx');
    const addr = elf.is64 ? b.looseWord(at + 8, 8, 'st_value') : b.u32(at + 4, 'st_value');
    const size = elf.is64 ? b.looseWord(at + 16, 8, 'st_size') : b.u32(at + 8, 'st_size');
    const section = shndx > 0 && shndx < elf.sections.length ? elf.sections[shndx] : undefined;
    out.push({ name: names.cString(nameOff, 'symbol name'), addr, size, section, type: info & 0xf });
  }
  return out;
}

/**
 * The symbol table of the ELF executable at `input`, sorted by address, for
 * naming addresses (a heap dump's globals, where its goroutines started).
 * Reads the headers, the section names and the symbol and string tables
 * only; empty when the binary was stripped.
 */
export function readElfSymbols(input: RandomAccess): SymbolTable {
  const symbols = elfSymbols(new ElfFile(input)) ?? [];
  // Stable: symbols at one address keep the table's order.
  const sorted = [...symbols].sort((a, b) => a.addr - b.addr);
  return {
    count: sorted.length,
    address: Float64Array.from(sorted, (s) => s.addr),
    size: Float64Array.from(sorted, (s) => s.size),
    kind: Uint8Array.from(sorted, (s) => kindOf(s.type)),
    names: sorted.map((s) => s.name),
  };
}

function kindOf(type: number): number {
  return type === STT_FUNC ? SYMBOL_KIND.function : type === STT_OBJECT ? SYMBOL_KIND.object : SYMBOL_KIND.other;
}
