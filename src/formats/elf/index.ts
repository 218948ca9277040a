import { SYMBOL_KIND, type SymbolTable } from '../../model/symbols.js';
import { FormatError } from '../errors.js';
import { readRange, type RandomAccess } from '../random-access.js';

/**
 * The symbol table of an ELF executable (System V ABI, "Symbol Table"):
 * the file header gives the section headers, the SHT_SYMTAB section its
 * entries and, through its sh_link, the string table of their names. Only
 * those three ranges are read, so a 400 MB binary costs its symbol table.
 * A minimal reader for naming a heap dump's globals; Mach-O, PE and DWARF
 * are not read.
 */

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];
const SHT_SYMTAB = 2;
const STT_OBJECT = 1;
const STT_FUNC = 2;

export function sniffElf(head: Uint8Array): boolean {
  return ELF_MAGIC.every((b, i) => head[i] === b);
}

/** A word reader for one ELF file's class (32/64-bit) and byte order. */
class Fields {
  private readonly view: DataView;
  constructor(
    bytes: Uint8Array,
    private readonly little: boolean,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  u8(at: number): number {
    return this.view.getUint8(at);
  }
  u16(at: number): number {
    return this.view.getUint16(at, this.little);
  }
  u32(at: number): number {
    return this.view.getUint32(at, this.little);
  }
  /** A 64-bit field as a double: addresses and sizes of user-space binaries stay below 2^53. */
  u64(at: number): number {
    const lo = this.view.getUint32(at + (this.little ? 0 : 4), this.little);
    const hi = this.view.getUint32(at + (this.little ? 4 : 0), this.little);
    return hi * 2 ** 32 + lo;
  }
}

interface Section {
  type: number;
  offset: number;
  size: number;
  link: number;
  entrySize: number;
}

/** Reads the symbol table; a FormatError when the file is not ELF or is damaged, and an empty table when it was stripped. */
export function readElfSymbols(input: RandomAccess): SymbolTable {
  const ident = readRange(input, 0, 16);
  if (!sniffElf(ident)) throw new FormatError('not an ELF executable (only ELF symbol tables are read: Linux, BSD)');
  const is64 = ident[4] === 2;
  if (ident[4] !== 1 && !is64) throw new FormatError(`unknown ELF class ${ident[4]}`, undefined, 4);
  const little = ident[5] !== 2;
  const header = need(input, 0, is64 ? 64 : 52, 'the ELF header');
  const h = new Fields(header, little);
  const shoff = is64 ? h.u64(0x28) : h.u32(0x20);
  const shentsize = h.u16(is64 ? 0x3a : 0x2e);
  const shnum = h.u16(is64 ? 0x3c : 0x30);
  if (shnum === 0) return emptyTable();
  if (shentsize < (is64 ? 64 : 40)) throw new FormatError(`section headers of ${shentsize} bytes`, undefined, is64 ? 0x3a : 0x2e);
  const table = need(input, shoff, shnum * shentsize, 'the section headers');
  const t = new Fields(table, little);
  const sections: Section[] = [];
  for (let i = 0; i < shnum; i++) {
    const at = i * shentsize;
    sections.push(
      is64
        ? { type: t.u32(at + 4), offset: t.u64(at + 0x18), size: t.u64(at + 0x20), link: t.u32(at + 0x28), entrySize: t.u64(at + 0x38) }
        : { type: t.u32(at + 4), offset: t.u32(at + 0x10), size: t.u32(at + 0x14), link: t.u32(at + 0x18), entrySize: t.u32(at + 0x24) },
    );
  }
  const symtab = sections.find((s) => s.type === SHT_SYMTAB);
  if (!symtab) return emptyTable();
  const strtab = sections[symtab.link];
  if (!strtab) throw new FormatError(`the symbol table links to section ${symtab.link}, which does not exist`);
  return symbols(input, symtab, strtab, is64, little);
}

function symbols(input: RandomAccess, symtab: Section, strtab: Section, is64: boolean, little: boolean): SymbolTable {
  const entrySize = is64 ? 24 : 16;
  if (symtab.entrySize !== 0 && symtab.entrySize < entrySize) throw new FormatError(`symbol entries of ${symtab.entrySize} bytes`);
  const step = symtab.entrySize || entrySize;
  const raw = need(input, symtab.offset, symtab.size, 'the symbol table');
  const names = need(input, strtab.offset, strtab.size, 'the symbol names');
  const f = new Fields(raw, little);
  const decoder = new TextDecoder();
  const found: { name: string; address: number; size: number; kind: number }[] = [];
  for (let at = step; at + entrySize <= raw.length; at += step) {
    const nameAt = f.u32(at);
    const info = f.u8(at + (is64 ? 4 : 12));
    const address = is64 ? f.u64(at + 8) : f.u32(at + 4);
    const size = is64 ? f.u64(at + 16) : f.u32(at + 8);
    const type = info & 0xf;
    if (nameAt >= names.length) continue;
    let end = nameAt;
    while (end < names.length && names[end] !== 0) end++;
    const kind = type === STT_FUNC ? SYMBOL_KIND.function : type === STT_OBJECT ? SYMBOL_KIND.object : SYMBOL_KIND.other;
    found.push({ name: decoder.decode(names.subarray(nameAt, end)), address, size, kind });
  }
  found.sort((a, b) => a.address - b.address);
  return {
    count: found.length,
    address: Float64Array.from(found, (s) => s.address),
    size: Float64Array.from(found, (s) => s.size),
    kind: Uint8Array.from(found, (s) => s.kind),
    names: found.map((s) => s.name),
  };
}

function need(input: RandomAccess, position: number, length: number, what: string): Uint8Array {
  if (position + length > input.size) throw new FormatError(`${what} (${length} bytes at ${position}) runs past the end of the file`, undefined, position);
  return readRange(input, position, length);
}

function emptyTable(): SymbolTable {
  return { count: 0, address: new Float64Array(0), size: new Float64Array(0), kind: new Uint8Array(0), names: [] };
}
