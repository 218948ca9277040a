import type { SectionKind } from '../../model/binary.js';
import { FormatError } from '../errors.js';
import { readExactly, type RandomAccess } from '../random-access.js';
import { Bytes } from './bytes.js';
import { ContainerFile, fixedName, sizedSymbols, type ContainerSection, type ContainerSymbol, type ExecutableContainer } from './container.js';

/**
 * A 64-bit little-endian Mach-O executable (darwin/amd64 and darwin/arm64,
 * all Go builds for macOS since Go 1.15): segments and their sections from
 * LC_SEGMENT_64, the nlist_64 symbol table of LC_SYMTAB, and what else
 * __LINKEDIT holds (indirect symbols, the code signature) as pseudo sections
 * so every byte has a name. Layouts from Apple's <mach-o/loader.h> and
 * <mach-o/nlist.h>, as Go's debug/macho reads them.
 */

const MH_MAGIC_64 = 0xfeedfacf;
const LC_SEGMENT_64 = 0x19;
const LC_SYMTAB = 0x2;
const LC_DYSYMTAB = 0xb;
const LC_CODE_SIGNATURE = 0x1d;
const HEADER = 32;
const SECTION = 80;
const NLIST = 16;
/** Section types whose content is zero-filled at load, with no file bytes (S_ZEROFILL, S_GB_ZEROFILL, S_THREAD_LOCAL_ZEROFILL). */
const ZEROFILL = new Set([0x1, 0xc, 0x12]);
const S_ATTR_PURE_INSTRUCTIONS = 0x80000000;
const N_STAB = 0xe0;
const N_TYPE = 0x0e;
const N_SECT = 0x0e;
const N_UNDF = 0;
/** The code signature's page size and hash size (SHA-256), as cmd/internal/codesign writes it. */
const PAGE = 4096;
const HASH = 32;

interface Layout {
  segments: { name: string; offset: number }[];
  symtab: { symoff: number; nsyms: number; stroff: number; strsize: number } | undefined;
  indirect: { offset: number; bytes: number } | undefined;
  signature: { offset: number; bytes: number } | undefined;
  /** The undefined (imported) symbols, which -s keeps, and their names' bytes with NULs. */
  imports: { count: number; nameBytes: number };
}

function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

function pages(bytes: number): number {
  return Math.ceil(bytes / PAGE);
}

export class MachoFile extends ContainerFile implements ExecutableContainer {
  readonly format = 'macho';
  readonly littleEndian = true;
  readonly symbols: ContainerSymbol[] | undefined;
  readonly dataSections = ['__DATA,__go_module', '__DATA,__noptrdata', '__DATA,__data'];
  private readonly layout: Layout = { segments: [], symtab: undefined, indirect: undefined, signature: undefined, imports: { count: 0, nameBytes: 0 } };

  constructor(file: RandomAccess) {
    super(file);
    if (file.size < HEADER) throw new FormatError('too short for a Mach-O header', undefined, 0);
    const h = new Bytes(readExactly(file, 0, HEADER), true);
    const magic = h.u32(0, 'magic');
    if (magic !== MH_MAGIC_64) throw new FormatError('a 32-bit, big-endian or universal (fat) Mach-O file: only 64-bit little-endian executables (darwin/amd64, darwin/arm64) are read', undefined, 0);
    const ncmds = h.u32(16, 'ncmds');
    const sizeofcmds = h.u32(20, 'sizeofcmds');
    const cmds = new Bytes(readExactly(file, HEADER, sizeofcmds), true, HEADER);
    const layout = this.layout;
    for (let i = 0, at = 0; i < ncmds; i++) {
      const cmd = cmds.u32(at, 'load command');
      const size = cmds.u32(at + 4, 'load command size');
      if (size < 8 || at + size > cmds.length) throw cmds.error(`load command ${i} of ${size} bytes runs past the load commands`, at);
      if (cmd === LC_SEGMENT_64) this.segment(cmds, at);
      else if (cmd === LC_SYMTAB) {
        const symtab = (layout.symtab = { symoff: cmds.u32(at + 8, 'symoff'), nsyms: cmds.u32(at + 12, 'nsyms'), stroff: cmds.u32(at + 16, 'stroff'), strsize: cmds.u32(at + 20, 'strsize') });
        this.pseudo('(symbol table)', 'symbols', symtab.symoff, symtab.nsyms * NLIST);
        this.pseudo('(symbol names)', 'symbols', symtab.stroff, symtab.strsize);
      } else if (cmd === LC_DYSYMTAB) {
        layout.indirect = { offset: cmds.u32(at + 56, 'indirectsymoff'), bytes: cmds.u32(at + 60, 'nindirectsyms') * 4 };
        this.pseudo('(indirect symbol table)', 'other', layout.indirect.offset, layout.indirect.bytes);
      } else if (cmd === LC_CODE_SIGNATURE) {
        layout.signature = { offset: cmds.u32(at + 8, 'dataoff'), bytes: cmds.u32(at + 12, 'datasize') };
        this.pseudo('(code signature)', 'other', layout.signature.offset, layout.signature.bytes);
      }
      at += size;
    }
    this.symbols = layout.symtab ? this.readSymbols(layout.symtab) : undefined;
  }

  /**
   * The file's size linked with -ldflags="-s -w", or why it is not
   * estimated. cmd/link (macho.go) then writes no __DWARF segment, so
   * __LINKEDIT starts where __DWARF did; in it the dyld information before the
   * symbol table is unchanged, the symbol table keeps only the undefined
   * (imported) symbols, the indirect table is unchanged, the string table is
   * " \0" and the imports' names, padded to end at a multiple of 16 in the
   * file, and the ad-hoc code
   * signature (arm64) grows with the file: a fixed part plus one SHA-256 hash
   * per 4 KiB page signed (cmd/internal/codesign). Checked against real -s -w
   * rebuilds by Go 1.23 and 1.26; a layout other than that one is not
   * estimated.
   */
  strippedSize(): number | string {
    const { segments, symtab, indirect, signature, imports } = this.layout;
    const linkedit = segments.find((s) => s.name === '__LINKEDIT');
    const dwarf = segments.find((s) => s.name === '__DWARF');
    if (!linkedit || !symtab || !indirect) return 'not estimated: no __LINKEDIT, symbol table or indirect symbol table';
    const symEnd = symtab.symoff + symtab.nsyms * NLIST;
    const strEnd = symtab.stroff + symtab.strsize;
    const ordered = symtab.symoff >= linkedit.offset && indirect.offset === symEnd && symtab.stroff === indirect.offset + indirect.bytes;
    const ends = signature ? signature.offset === align(strEnd, 16) && signature.offset + signature.bytes === this.file.size : strEnd === this.file.size;
    if (!ordered || !ends) return 'not estimated: __LINKEDIT is not laid out as Go\'s linker lays it out (symbols, indirect symbols, names, code signature)';
    const start = (dwarf ?? linkedit).offset + (symtab.symoff - linkedit.offset);
    const codeEnd = align(start + imports.count * NLIST + indirect.bytes + 2 + imports.nameBytes, 16);
    if (!signature) return codeEnd;
    const fixed = signature.bytes - pages(signature.offset) * HASH;
    return codeEnd + fixed + pages(codeEnd) * HASH;
  }

  private segment(cmds: Bytes, at: number): void {
    const segname = fixedName(cmds.slice(at + 8, 16, 'segment name'));
    this.layout.segments.push({ name: segname, offset: cmds.u64(at + 40, 'segment fileoff') });
    const nsects = cmds.u32(at + 64, 'nsects');
    for (let k = 0; k < nsects; k++) {
      const s = at + 72 + k * SECTION;
      const name = `${segname},${fixedName(cmds.slice(s, 16, 'section name'))}`;
      const addr = cmds.u64(s + 32, 'section addr');
      const size = cmds.u64(s + 40, 'section size');
      const offset = cmds.u32(s + 48, 'section offset');
      const flags = cmds.u32(s + 64, 'section flags');
      const zerofill = ZEROFILL.has(flags & 0xff);
      const kind = kindOf(segname, name, flags, zerofill);
      const section = { name, kind, offset, fileBytes: zerofill ? 0 : size, addr, memBytes: segname === '__DWARF' ? 0 : size, size: zerofill ? 0 : size };
      this.sections.push(section);
    }
  }

  private pseudo(name: string, kind: SectionKind, offset: number, bytes: number): void {
    if (bytes > 0) this.sections.push({ name, kind, offset, fileBytes: bytes, addr: 0, memBytes: 0, size: 0 });
  }

  /** The defined (N_SECT) symbols that are not debugger stabs; undefined when there are none (-s leaves only imports). */
  private readSymbols(t: { symoff: number; nsyms: number; stroff: number; strsize: number }): ContainerSymbol[] | undefined {
    const b = new Bytes(readExactly(this.file, t.symoff, t.nsyms * NLIST), true, t.symoff);
    const names = new Bytes(readExactly(this.file, t.stroff, t.strsize), true, t.stroff);
    const bySect = this.sections.filter((s) => s.name.includes(','));
    const raw: { name: string; addr: number; section: ContainerSection }[] = [];
    for (let at = 0; at < b.length; at += NLIST) {
      const type = b.u8(at + 4, 'n_type');
      const sect = b.u8(at + 5, 'n_sect');
      if (!(type & N_STAB) && (type & N_TYPE) === N_UNDF) {
        this.layout.imports.count++;
        this.layout.imports.nameBytes += names.cString(b.u32(at, 'n_strx'), 'symbol name').length + 1;
      }
      if (type & N_STAB || (type & N_TYPE) !== N_SECT || sect === 0) continue;
      const section = bySect[sect - 1];
      if (!section || section.kind === 'code' || section.kind === 'bss' || section.kind === 'debug') continue;
      // cmd/link's macho.go writes every Go symbol with the C prefix "_"; the names Go uses are without it.
      const name = names.cString(b.u32(at, 'n_strx'), 'symbol name');
      raw.push({ name: name.startsWith('_') ? name.slice(1) : name, addr: b.looseWord(at + 8, 8, 'n_value'), section });
    }
    return raw.length > 0 ? sizedSymbols(raw) : undefined;
  }
}

function kindOf(segname: string, name: string, flags: number, zerofill: boolean): SectionKind {
  if (segname === '__DWARF') return 'debug';
  if (name.endsWith(',__gopclntab')) return 'pclntab';
  if (zerofill) return 'bss';
  if (flags & S_ATTR_PURE_INSTRUCTIONS) return 'code';
  return segname === '__DATA' ? 'data' : 'rodata';
}
