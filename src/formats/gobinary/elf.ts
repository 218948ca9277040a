import { FormatError } from '../errors.js';
import { readExactly, type RandomAccess } from '../random-access.js';
import { Bytes } from './bytes.js';

/**
 * The parts of an ELF executable a symboliser needs: section and program
 * headers, section contents by name or by virtual address, and the build-ID
 * notes. Layouts from the ELF specification (the System V gABI, "Object
 * Files"), as Go's debug/elf reads them; 32- and 64-bit, either byte order.
 */

export interface ElfSection {
  name: string;
  type: number;
  flags: number;
  addr: number;
  offset: number;
  size: number;
  /** sh_link: for a symbol table, the index of the section holding its names. */
  link: number;
}

export interface ElfSegment {
  type: number;
  flags: number;
  offset: number;
  vaddr: number;
  filesz: number;
  align: number;
}

const SHT_NOBITS = 8;
const SHT_NOTE = 7;
const SHF_COMPRESSED = 0x800;
export const PT_LOAD = 1;
export const PF_X = 1;

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];

export function sniffElf(head: Uint8Array): boolean {
  return ELF_MAGIC.every((b, i) => head[i] === b);
}

export class ElfFile {
  readonly sections: ElfSection[];
  readonly segments: ElfSegment[];
  readonly is64: boolean;
  readonly littleEndian: boolean;
  readonly machine: number;
  /** Where the section header table starts in the file, and the bytes of one entry. */
  readonly sectionHeaders: { offset: number; entrySize: number };
  private readonly cache = new Map<ElfSection, Bytes>();

  constructor(private readonly file: RandomAccess) {
    // The magic first: a short file of another kind is "not an ELF file", not a damaged one.
    if (file.size >= ELF_MAGIC.length && !sniffElf(readExactly(file, 0, ELF_MAGIC.length))) {
      throw new FormatError('not an ELF file (only ELF executables are read for symbols)', undefined, 0);
    }
    if (file.size < 52) throw new FormatError('too short for an ELF header', undefined, 0);
    const ident = readExactly(file, 0, 16);
    if (ident[4] !== 1 && ident[4] !== 2) throw new FormatError(`unknown ELF class ${ident[4]}`, undefined, 4);
    if (ident[5] !== 1 && ident[5] !== 2) throw new FormatError(`unknown ELF data encoding ${ident[5]}`, undefined, 5);
    this.is64 = ident[4] === 2;
    this.littleEndian = ident[5] === 1;
    const h = new Bytes(readExactly(file, 0, this.is64 ? 64 : 52), this.littleEndian);
    this.machine = h.u16(18, 'e_machine');
    const w = this.is64 ? 8 : 4;
    const phoff = h.word(this.is64 ? 32 : 28, w, 'e_phoff');
    const shoff = h.word(this.is64 ? 40 : 32, w, 'e_shoff');
    const at = this.is64 ? 54 : 42;
    const phentsize = h.u16(at, 'e_phentsize');
    const phnum = h.u16(at + 2, 'e_phnum');
    const shentsize = h.u16(at + 4, 'e_shentsize');
    let shnum = h.u16(at + 6, 'e_shnum');
    let shstrndx = h.u16(at + 8, 'e_shstrndx');
    this.sectionHeaders = { offset: shoff, entrySize: shentsize };
    this.segments = this.table(phoff, phnum, phentsize, this.is64 ? 56 : 32, 'program header').map((b) => this.segment(b));
    if (shoff !== 0 && (shnum === 0 || shstrndx === 0xffff)) {
      // Extended numbering: the real counts live in section 0 (gABI "Sections").
      const s0 = this.table(shoff, 1, shentsize, this.is64 ? 64 : 40, 'section header')[0]!;
      if (shnum === 0) shnum = s0.word(this.is64 ? 32 : 20, w, 'section count');
      if (shstrndx === 0xffff) shstrndx = s0.u32(this.is64 ? 40 : 24, 'section name table index');
    }
    const raw = shoff === 0 ? [] : this.table(shoff, shnum, shentsize, this.is64 ? 64 : 40, 'section header');
    const headers = raw.map((b) => this.sectionHeader(b));
    const names = shstrndx < headers.length ? this.contents(headers[shstrndx]!) : undefined;
    this.sections = headers.map((s) => ({ ...s, name: names && s.nameOff < names.length ? names.cString(s.nameOff, 'section name') : '' }));
  }

  section(name: string): ElfSection | undefined {
    return this.sections.find((s) => s.name === name);
  }

  /** A section's bytes (read once, then cached). */
  read(s: ElfSection): Bytes {
    let b = this.cache.get(s);
    if (!b) {
      b = this.contents(s);
      this.cache.set(s, b);
    }
    return b;
  }

  /** The allocated section holding virtual address `addr`, with the offset of `addr` in it. */
  sectionAt(addr: number): { section: ElfSection; at: number } | undefined {
    for (const s of this.sections) {
      if (s.addr !== 0 && s.type !== SHT_NOBITS && addr >= s.addr && addr < s.addr + s.size) return { section: s, at: addr - s.addr };
    }
    return undefined;
  }

  /** The descriptions of every note named `owner` with type `type`, from the note sections. */
  notes(owner: string, type: number): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (const s of this.sections) {
      if (s.type !== SHT_NOTE) continue;
      const b = this.read(s);
      for (let at = 0; at + 12 <= b.length; ) {
        const namesz = b.u32(at, 'note name size');
        const descsz = b.u32(at + 4, 'note description size');
        const ntype = b.u32(at + 8, 'note type');
        const nameAt = at + 12;
        const descAt = nameAt + align4(namesz);
        const name = namesz > 0 ? b.slice(nameAt, namesz, 'note name') : new Uint8Array(0);
        const desc = b.slice(descAt, descsz, 'note description');
        if (ntype === type && noteName(name) === owner) out.push(desc);
        at = descAt + align4(descsz);
      }
    }
    return out;
  }

  private table(offset: number, count: number, entsize: number, minSize: number, what: string): Bytes[] {
    if (count === 0) return [];
    if (entsize < minSize) throw new FormatError(`${what} entries of ${entsize} bytes are too small (${minSize} expected)`, undefined, offset);
    const all = readExactly(this.file, offset, count * entsize);
    const out: Bytes[] = [];
    for (let i = 0; i < count; i++) out.push(new Bytes(all.subarray(i * entsize, (i + 1) * entsize), this.littleEndian, offset + i * entsize));
    return out;
  }

  private segment(b: Bytes): ElfSegment {
    if (this.is64) {
      return { type: b.u32(0, 'p_type'), flags: b.u32(4, 'p_flags'), offset: b.u64(8, 'p_offset'), vaddr: b.u64(16, 'p_vaddr'), filesz: b.u64(32, 'p_filesz'), align: b.u64(48, 'p_align') };
    }
    return { type: b.u32(0, 'p_type'), offset: b.u32(4, 'p_offset'), vaddr: b.u32(8, 'p_vaddr'), filesz: b.u32(16, 'p_filesz'), flags: b.u32(24, 'p_flags'), align: b.u32(28, 'p_align') };
  }

  private sectionHeader(b: Bytes): Omit<ElfSection, 'name'> & { nameOff: number } {
    const w = this.is64 ? 8 : 4;
    return {
      nameOff: b.u32(0, 'sh_name'),
      type: b.u32(4, 'sh_type'),
      flags: b.word(8, w, 'sh_flags'),
      addr: b.word(this.is64 ? 16 : 12, w, 'sh_addr'),
      offset: b.word(this.is64 ? 24 : 16, w, 'sh_offset'),
      size: b.word(this.is64 ? 32 : 20, w, 'sh_size'),
      link: b.u32(this.is64 ? 40 : 24, 'sh_link'),
    };
  }

  private contents(s: Omit<ElfSection, 'name'>): Bytes {
    if (s.type === SHT_NOBITS) return new Bytes(new Uint8Array(0), this.littleEndian, s.offset);
    if (s.flags & SHF_COMPRESSED) throw new FormatError('a compressed section is not supported here', undefined, s.offset);
    return new Bytes(readExactly(this.file, s.offset, s.size), this.littleEndian, s.offset);
  }
}

function align4(n: number): number {
  return Math.ceil(n / 4) * 4;
}

function noteName(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return LATIN1.decode(bytes.subarray(0, end < 0 ? bytes.length : end));
}

const LATIN1 = new TextDecoder('latin1');
