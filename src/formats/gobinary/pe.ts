import type { SectionKind } from '../../model/binary.js';
import { FormatError } from '../errors.js';
import { readExactly, type RandomAccess } from '../random-access.js';
import { Bytes } from './bytes.js';
import { ContainerFile, fixedName, sizedSymbols, type ContainerSection, type ContainerSymbol, type ExecutableContainer } from './container.js';

/**
 * A PE32+ executable (windows/amd64, windows/arm64): the COFF header, the
 * section table (long names such as `.zdebug_info` are `/N`, an offset into
 * the string table after the symbols) and the COFF symbol table Go's linker
 * writes unless -s, whose values are offsets in their section. Layouts from
 * Microsoft's "PE Format" specification, as Go's debug/pe reads them.
 */

const PE32_PLUS = 0x20b;
const SECTION = 40;
const SYMBOL = 18;
const IMAGE_SCN_CNT_CODE = 0x20;
const IMAGE_SCN_CNT_INITIALIZED_DATA = 0x40;
const IMAGE_SCN_CNT_UNINITIALIZED_DATA = 0x80;
const IMAGE_SCN_MEM_WRITE = 0x80000000;

export class PeFile extends ContainerFile implements ExecutableContainer {
  readonly format = 'pe';
  readonly littleEndian = true;
  readonly symbols: ContainerSymbol[] | undefined;
  readonly dataSections = ['.data'];
  private readonly fileAlignment: number;

  constructor(file: RandomAccess) {
    super(file);
    if (file.size < 64) throw new FormatError('too short for a PE (MZ) header', undefined, 0);
    const peAt = new Bytes(readExactly(file, 0x3c, 4), true, 0x3c).u32(0, 'e_lfanew');
    const coff = new Bytes(readExactly(file, peAt, 24), true, peAt);
    if (coff.u32(0, 'PE signature') !== 0x4550) throw coff.error('no "PE\\0\\0" signature where e_lfanew points', 0);
    const nsections = coff.u16(6, 'NumberOfSections');
    const symoff = coff.u32(12, 'PointerToSymbolTable');
    const nsyms = coff.u32(16, 'NumberOfSymbols');
    const optSize = coff.u16(20, 'SizeOfOptionalHeader');
    const opt = new Bytes(readExactly(file, peAt + 24, optSize), true, peAt + 24);
    if (opt.u16(0, 'optional header magic') !== PE32_PLUS) throw opt.error('a 32-bit (PE32) executable: only PE32+ (64-bit) ones are read', 0);
    const imageBase = opt.u64(24, 'ImageBase');
    this.fileAlignment = opt.u32(36, 'FileAlignment');
    const strings = symoff > 0 ? this.stringTable(symoff + nsyms * SYMBOL) : undefined;
    const table = new Bytes(readExactly(file, peAt + 24 + optSize, nsections * SECTION), true, peAt + 24 + optSize);
    for (let k = 0; k < nsections; k++) this.sections.push(sectionOf(table, k * SECTION, imageBase, strings));
    this.symbols = nsyms > 0 && strings ? this.readSymbols(symoff, nsyms, strings) : undefined;
  }

  /**
   * The file's size linked with -ldflags="-s -w", or why it is not
   * estimated. cmd/link (pe.go) lays the sections out one after another at
   * the file alignment; -w drops the DWARF sections and -s leaves .symtab
   * holding only the string table's 4-byte size, so the other sections keep
   * their sizes and move up. Checked against real -s -w rebuilds by Go 1.23
   * and 1.26; a file whose sections are not in that order is not estimated.
   */
  strippedSize(): number | string {
    let end = 0;
    for (const s of this.sections) {
      if (s.fileBytes === 0) continue;
      if (s.offset < end) return 'not estimated: the sections are not laid out one after another as Go\'s linker lays them out';
      end = s.offset + s.fileBytes;
    }
    if (end !== this.file.size) return 'not estimated: the file holds bytes after its last section';
    let size = this.file.size;
    for (const s of this.sections) if (s.kind === 'debug' || s.kind === 'symbols') size -= s.fileBytes;
    if (this.section('.symtab')) size += Math.ceil(4 / this.fileAlignment) * this.fileAlignment;
    return size;
  }

  /** The string table after the symbols: a 4-byte size (counting itself), then NUL-terminated names. */
  private stringTable(at: number): Bytes {
    const size = new Bytes(readExactly(this.file, at, 4), true, at).u32(0, 'string table size');
    return new Bytes(readExactly(this.file, at, Math.max(4, size)), true, at);
  }

  private readSymbols(symoff: number, nsyms: number, strings: Bytes): ContainerSymbol[] | undefined {
    const b = new Bytes(readExactly(this.file, symoff, nsyms * SYMBOL), true, symoff);
    const raw: { name: string; addr: number; section: ContainerSection }[] = [];
    for (let k = 0; k < nsyms; k++) {
      const at = k * SYMBOL;
      const number = b.u16(at + 12, 'SectionNumber');
      const aux = b.u8(at + 17, 'NumberOfAuxSymbols');
      k += aux;
      // 0 undefined, 0xffff absolute, 0xfffe debug.
      const section = number > 0 && number < 0xfffe ? this.sections[number - 1] : undefined;
      if (!section || section.kind === 'code' || section.kind === 'bss' || section.kind === 'debug' || section.kind === 'symbols') continue;
      const name = b.u32(at, 'symbol name') === 0 ? strings.cString(b.u32(at + 4, 'symbol name offset'), 'symbol name') : fixedName(b.slice(at, 8, 'symbol name'));
      raw.push({ name, addr: section.addr + b.u32(at + 8, 'Value'), section });
    }
    return raw.length > 0 ? sizedSymbols(raw) : undefined;
  }
}

function sectionOf(t: Bytes, at: number, imageBase: number, strings: Bytes | undefined): ContainerSection {
  const short = fixedName(t.slice(at, 8, 'section name'));
  const name = short.startsWith('/') && strings ? strings.cString(Number(short.slice(1)), 'section name') : short;
  const vsize = t.u32(at + 8, 'VirtualSize');
  const rva = t.u32(at + 12, 'VirtualAddress');
  const raw = t.u32(at + 16, 'SizeOfRawData');
  const offset = t.u32(at + 20, 'PointerToRawData');
  const flags = t.u32(at + 36, 'Characteristics');
  const kind = kindOf(name, flags);
  const loaded = kind !== 'debug' && kind !== 'symbols';
  return { name, kind, offset, fileBytes: raw, addr: loaded ? imageBase + rva : 0, memBytes: loaded ? vsize : 0, size: Math.min(raw, vsize) };
}

function kindOf(name: string, flags: number): SectionKind {
  if (/^\.z?debug_/.test(name)) return 'debug';
  if (name === '.symtab') return 'symbols';
  if (flags & IMAGE_SCN_CNT_CODE) return 'code';
  if (flags & IMAGE_SCN_CNT_UNINITIALIZED_DATA && !(flags & IMAGE_SCN_CNT_INITIALIZED_DATA)) return 'bss';
  return flags & IMAGE_SCN_MEM_WRITE ? 'data' : 'rodata';
}
