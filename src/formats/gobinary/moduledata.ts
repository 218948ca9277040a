import type { Bytes } from './bytes.js';
import type { LineTable } from './pclntab.js';

/**
 * The runtime's first moduledata (runtime/symtab.go), which the linker fills
 * with the module's layout: where its text, data and type sections start and
 * end, and gofunc, the base that funcdata offsets count from. Found by its
 * first two words, the pclntab's address and its function-name table's, in
 * the sections the linker puts it in (.go.module since Go 1.26). Read for Go
 * 1.20+ tables, whose moduledata layout is the one below; undefined for older
 * ones and for PIE binaries (their moduledata is filled by relocations at load
 * time, so its words are zero in the file).
 */
export interface ModuleData {
  /** Address of the moduledata itself. */
  address: number;
  text: number;
  etext: number;
  types: number;
  etypes: number;
  rodata: number;
  gofunc: number;
  /** The find-function table, which follows the funcdata in Go 1.26's .gopclntab. */
  findfunctab: number;
  /** The data section's pointer bitmap, which follows the funcdata in Go 1.20-1.25's .rodata. */
  gcdata: number;
  /** The end of the pclntable, the last table the pclntab header points at (start + length of the slice). */
  pclntabEnd: number;
  /** The text range the find-function table covers. */
  minpc: number;
  maxpc: number;
}

/** Pointer-sized words from moduledata's start (the same from Go 1.20 to 1.26). */
const WORDS = { pclntable: 13, findfunctab: 19, minpc: 20, maxpc: 21, text: 22, etext: 23, gcdata: 35, types: 37, etypes: 38, rodata: 39, gofunc: 40 } as const;
const ELF_SECTIONS = ['.go.module', '.noptrdata', '.data.rel.ro', '.data'];

/** The sections of an executable (ELF, Mach-O or PE) as the search needs them. */
export interface SectionSource<S extends { addr: number }> {
  section(name: string): S | undefined;
  read(s: S): Bytes;
  sectionAt(addr: number): unknown;
}

/** `names`: the sections the linker may put the moduledata in, most likely first. */
export function findModuleData<S extends { addr: number }>(elf: SectionSource<S>, table: LineTable, pclntabAddr: number, names: readonly string[] = ELF_SECTIONS): ModuleData | undefined {
  if (table.version !== '1.20') return undefined;
  const w = table.ptrSize;
  for (const name of names) {
    const s = elf.section(name);
    if (!s) continue;
    const b = elf.read(s);
    for (let at = 0; at + (WORDS.gofunc + 1) * w <= b.length; at += w) {
      if (b.looseWord(at, w, 'moduledata') !== pclntabAddr) continue;
      if (b.looseWord(at + w, w, 'moduledata') !== pclntabAddr + table.funcnameOffset) continue;
      const word = (i: number) => b.looseWord(at + i * w, w, 'moduledata');
      const md = { address: s.addr + at, text: word(WORDS.text), etext: word(WORDS.etext), types: word(WORDS.types), etypes: word(WORDS.etypes), rodata: word(WORDS.rodata), gofunc: word(WORDS.gofunc), findfunctab: word(WORDS.findfunctab), gcdata: word(WORDS.gcdata), pclntabEnd: word(WORDS.pclntable) + word(WORDS.pclntable + 1), minpc: word(WORDS.minpc), maxpc: word(WORDS.maxpc) };
      if (elf.sectionAt(md.gofunc)) return md;
    }
  }
  return undefined;
}
