import { FormatError } from '../../formats/errors.js';
import type { BinaryImage, BinarySection } from '../../model/binary.js';
import { binaryFindings } from './findings.js';
import { moduleOf, ownerOf } from './owners.js';
import { trimpathSavings } from './trimpath.js';
import type { BinaryAnalysis, BinaryFunctionSize, BinaryPackage } from './types.js';

export type * from './types.js';
export { diffBinaries } from './diff.js';
export { strippableBytes } from './findings.js';

/**
 * Where the bytes of a Go executable go: every byte of the file charged once,
 * to a package (its functions' code and table entries, its data symbols) or
 * to a named part (headers, DWARF, type descriptors, string literals, what is
 * left of a section no symbol covers), so packages and parts add up to the
 * file's size.
 */
export function analyzeBinary(image: BinaryImage, file: string): BinaryAnalysis {
  const ledger = new Ledger(image, file);
  ledger.chargeFunctions();
  ledger.chargeSymbols();
  ledger.chargeSections();
  const packages = ledger.packageList();
  const parts = Array.from(ledger.parts, ([name, bytes]) => ({ name, bytes })).filter((p) => p.bytes !== 0).sort((a, b) => b.bytes - a.bytes);
  const analysis: BinaryAnalysis = {
    file,
    format: image.format,
    bytes: image.fileBytes,
    goVersion: image.buildInfo?.goVersion ?? '',
    sections: image.sections.map((s) => ({ name: s.name, kind: s.kind, bytes: s.fileBytes, memBytes: s.memBytes })),
    packages,
    parts,
    functions: ledger.functions.sort((a, b) => b.code + b.pclntab - (a.code + a.pclntab)),
    strippedBytes: image.strippedBytes,
    ...(image.strippedUnknown !== undefined ? { strippedUnknown: image.strippedUnknown } : {}),
    hasSymbols: image.symbols !== undefined,
    trimpathSavings: trimpathSavings(image.fileNames, image.buildInfo),
    buildInfo: image.buildInfo,
    findings: [],
  };
  analysis.findings = binaryFindings(analysis, ledger.largestSymbols);
  return analysis;
}

/** What lies between the sections: the headers, and padding to the file alignment. */
const HEADERS: Record<BinaryImage['format'], string> = {
  elf: 'ELF headers and alignment padding',
  macho: 'Mach-O headers, load commands and padding',
  pe: 'PE headers and alignment padding',
};

/** The running charges: per package, per part, and per section what has been charged in it. */
class Ledger {
  readonly packages = new Map<string, BinaryPackage>();
  readonly parts = new Map<string, number>();
  readonly functions: BinaryFunctionSize[] = [];
  /** Data symbols of a package, largest first (for the large-table finding). */
  readonly largestSymbols: { name: string; package: string; bytes: number }[] = [];
  private readonly charged = new Map<string, number>();
  private readonly modules: string[];
  private readonly mainModule: string;

  constructor(
    private readonly image: BinaryImage,
    private readonly file: string,
  ) {
    const info = image.buildInfo;
    this.mainModule = info?.main?.path ?? '';
    this.modules = info ? info.deps.map((d) => d.path).concat(info.main ? [info.main.path] : []) : [];
  }

  chargeFunctions(): void {
    const { homes } = this.image;
    for (const f of this.image.functions) {
      const pclntab = f.nameBytes + f.record + f.pcTables + f.funcdata;
      const owner = ownerOf(f.name);
      if ('package' in owner) {
        const p = this.pkg(owner.package);
        p.code += f.code;
        p.pclntab += pclntab;
        p.functions++;
        this.functions.push({ name: f.name, package: owner.package, code: f.code, pclntab });
      } else this.part(owner.part, f.code + pclntab);
      this.part('code alignment padding', f.padding);
      this.note(homes.code, f.code + f.padding);
      this.note(homes.pclntab, f.nameBytes + f.record + f.pcTables);
      if (homes.funcdata) this.note(homes.funcdata, f.funcdata);
    }
    const shared = this.image.pclntabShared;
    this.part('pclntab: header and function table', shared.header);
    this.part('pclntab: source file names', shared.fileNames);
    this.part('pclntab: compilation-unit file indexes', shared.cutab);
    this.part('pclntab: names of inlined functions', shared.inlinedNames);
    this.part('pclntab: find-function table and other', shared.other);
    this.note(homes.pclntab, shared.header + shared.fileNames + shared.cutab + shared.inlinedNames + shared.other);
  }

  chargeSymbols(): void {
    for (const s of this.image.symbols ?? []) {
      const owner = ownerOf(s.name);
      if ('package' in owner) {
        this.pkg(owner.package).data += s.bytes;
        this.largestSymbols.push({ name: s.name, package: owner.package, bytes: s.bytes });
      } else this.part(owner.part, s.bytes);
      this.note(s.section, s.bytes);
    }
    this.largestSymbols.sort((a, b) => b.bytes - a.bytes).splice(20);
  }

  /** What no function or symbol covered: per section, then the bytes between sections (headers, alignment). */
  chargeSections(): void {
    let inSections = 0;
    for (const s of this.image.sections) {
      inSections += s.fileBytes;
      const left = s.fileBytes - (this.charged.get(s.name) ?? 0);
      // Only a damaged file's tables (a section header or moduledata pointing elsewhere) claim more than a section holds.
      if (left < 0) throw new FormatError(`the tables claim ${-left} bytes more than section ${s.name} holds`, this.file, s.offset);
      this.part(this.partOf(s), left);
    }
    this.part(HEADERS[this.image.format], this.image.fileBytes - inSections);
  }

  private partOf(s: BinarySection): string {
    if (s.kind === 'debug') return 'DWARF debug info';
    if (s.kind === 'symbols') return 'symbol table';
    if (s.name === '.shstrtab') return 'section names';
    if (s.name.startsWith('.note')) return 'build IDs';
    // Mach-O's pseudo sections for what __LINKEDIT holds: '(code signature)'.
    if (s.name.startsWith('(')) return s.name.slice(1, -1);
    if (s.kind === 'code') return `${s.name}: code outside Go functions`;
    return this.image.symbols ? `${s.name}: not covered by symbols` : `${s.name}: no symbol table to attribute it`;
  }

  packageList(): BinaryPackage[] {
    const list = Array.from(this.packages.values());
    for (const p of list) p.bytes = p.code + p.pclntab + p.data;
    return list.sort((a, b) => b.bytes - a.bytes || (a.name < b.name ? -1 : 1));
  }

  private pkg(name: string): BinaryPackage {
    let p = this.packages.get(name);
    if (!p) this.packages.set(name, (p = { name, module: moduleOf(name, this.modules, this.mainModule), bytes: 0, code: 0, pclntab: 0, data: 0, functions: 0 }));
    return p;
  }

  private part(name: string, bytes: number): void {
    if (bytes !== 0) this.parts.set(name, (this.parts.get(name) ?? 0) + bytes);
  }

  private note(section: string, bytes: number): void {
    this.charged.set(section, (this.charged.get(section) ?? 0) + bytes);
  }
}
