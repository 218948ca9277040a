import type { BuildInfo, SectionKind } from '../../model/binary.js';
import type { Finding } from '../finding.js';

/** One package's bytes in the file. */
export interface BinaryPackage {
  name: string;
  /** The module it comes from: a module path, `std` for the standard library, or "" when unknown. */
  module: string;
  /** code + pclntab + data. */
  bytes: number;
  /** Machine code of its functions. */
  code: number;
  /** Its functions' names, records, pc-value tables and funcdata in the runtime's tables. */
  pclntab: number;
  /** Its data and read-only data symbols (0 without a symbol table). */
  data: number;
  functions: number;
}

/** Bytes no package owns, by what they are (headers, DWARF, type descriptors, strings, ...). */
export interface BinaryPart {
  name: string;
  bytes: number;
}

export interface BinaryFunctionSize {
  name: string;
  package: string;
  /** Machine code. */
  code: number;
  /** Its share of the runtime's tables (name, record, pc-value tables, funcdata). */
  pclntab: number;
}

export interface BinaryAnalysis {
  file: string;
  format: 'elf' | 'macho' | 'pe';
  /** The file's size: packages' bytes plus parts' bytes add up to it. */
  bytes: number;
  goVersion: string;
  sections: { name: string; kind: SectionKind; bytes: number; memBytes: number }[];
  packages: BinaryPackage[];
  parts: BinaryPart[];
  /** Every function, largest code first. */
  functions: BinaryFunctionSize[];
  /** The size of the same build linked with -ldflags="-s -w"; null where it is not estimated (Mach-O, PE). */
  strippedBytes: number | null;
  /** Why strippedBytes is null. */
  strippedUnknown?: string;
  /** Whether the symbol table was there to attribute data symbols to packages. */
  hasSymbols: boolean;
  /** pclntab file-name bytes a -trimpath build would not have (0 when already trimmed). */
  trimpathSavings: number;
  buildInfo: BuildInfo | undefined;
  findings: Finding[];
}

export interface BinaryChange {
  name: string;
  base: number;
  next: number;
  delta: number;
  status: 'appeared' | 'vanished' | 'grew' | 'shrank';
}

export interface BinaryDiff {
  base: { file: string; bytes: number; goVersion: string };
  next: { file: string; bytes: number; goVersion: string };
  delta: number;
  sections: BinaryChange[];
  packages: BinaryChange[];
  /** Functions whose code + pclntab share changed, largest change first. */
  functions: BinaryChange[];
}
