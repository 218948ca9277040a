/**
 * What a Go executable is made of, as its reader found it: the file's
 * sections, each function's machine code and its share of the runtime's
 * tables, the symbol table's data symbols (when there is one), and the
 * embedded build information. The binary analysis (analyze/binary) charges
 * these bytes to packages; every field is a byte count or a name.
 */

/** What a section holds, for the section table and the attribution. */
export type SectionKind = 'code' | 'pclntab' | 'rodata' | 'data' | 'bss' | 'debug' | 'symbols' | 'other';

export interface BinarySection {
  name: string;
  kind: SectionKind;
  /** Where its bytes start in the file. */
  offset: number;
  /** Bytes it takes in the file (0 for .bss-like sections; as stored, compressed, for DWARF). */
  fileBytes: number;
  /** Its address when loaded, 0 for sections that are not loaded. */
  addr: number;
  /** Bytes it takes in memory (a .bss takes memory but no file bytes). */
  memBytes: number;
}

/** One function of the pclntab, and the bytes it costs there and in .text. */
export interface BinaryFunction {
  name: string;
  /** Its machine code: the span its pc-value tables cover. */
  code: number;
  /** Alignment padding after its code, up to the next function. */
  padding: number;
  /** Its name in the function-name table, with the terminating NUL. */
  nameBytes: number;
  /** Its _func record with the pcdata and funcdata offsets. */
  record: number;
  /** Its pc-value tables (stack, file, line, pcdata), each table counted for the first function that uses it. */
  pcTables: number;
  /** Its funcdata (stack maps, inline tree, argument info), laid out by address; shared ones counted once. */
  funcdata: number;
}

/** A symbol of the symbol table (ELF, Mach-O or PE) that is not a function (functions come from the pclntab). */
export interface BinarySymbol {
  name: string;
  /** The section it lives in. */
  section: string;
  bytes: number;
}

/** Bytes of the pclntab that belong to no one function. */
export interface PclntabShared {
  /** Header and function table (entry/offset pairs). */
  header: number;
  /** The compilation units' file indexes. */
  cutab: number;
  /** The source file names (what -trimpath shortens). */
  fileNames: number;
  /** Names of functions that exist only inlined (the inline tree names them). */
  inlinedNames: number;
  /** The rest of the section: find-function table, gaps between tables. */
  other: number;
}

export interface BuildInfo {
  goVersion: string;
  /** The main package's import path. */
  path: string;
  main: ModuleVersion | undefined;
  deps: ModuleVersion[];
  /** `build` settings (-trimpath, CGO_ENABLED, GOARCH, vcs.*, ...). */
  settings: { key: string; value: string }[];
}

export interface ModuleVersion {
  path: string;
  version: string;
  sum: string;
  /** The module that replaced it (`=>` lines), if any. */
  replace?: ModuleVersion;
}

export interface BinaryImage {
  format: 'elf' | 'macho' | 'pe';
  fileBytes: number;
  /** Pointer size in bytes (4 or 8). */
  ptrSize: number;
  /** The pclntab layout generation ('1.16', '1.18', '1.20'). */
  pclntabVersion: string;
  sections: BinarySection[];
  functions: BinaryFunction[];
  /** Undefined when the symbol table was stripped (-s). */
  symbols: BinarySymbol[] | undefined;
  pclntabShared: PclntabShared;
  /** The sections holding the functions' code, pclntab entries and funcdata (funcdata: undefined when not attributed). */
  homes: { code: string; pclntab: string; funcdata: string | undefined };
  /** The distinct source file names of the file table. */
  fileNames: string[];
  buildInfo: BuildInfo | undefined;
  /** The file's size had it been linked with -ldflags="-s -w" (the file size when it already was); null where not estimated. */
  strippedBytes: number | null;
  /** Why strippedBytes is null. */
  strippedUnknown?: string;
}
