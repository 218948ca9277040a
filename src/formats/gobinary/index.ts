import { FormatError } from '../errors.js';
import { fileAccess, type RandomAccess } from '../random-access.js';
import { ElfFile, PF_X, PT_LOAD } from './elf.js';
import { InlineTree, type Frame } from './inline.js';
import { findModuleData, type ModuleData } from './moduledata.js';
import { LineTable, type PclntabVersion } from './pclntab.js';

export { sniffElf } from './elf.js';
export { readElfSymbols } from './elf-symbols.js';
export type { Frame } from './inline.js';
export type { ModuleData } from './moduledata.js';
export type { PclntabVersion } from './pclntab.js';

/**
 * A Go executable's own symbol table, read from its ELF sections: what pprof
 * prints for an address when given the binary (`symbol`), and the inlined
 * frames the runtime would print there (`frames`). Only the headers, the
 * pclntab and, for the inline tree, the sections holding the moduledata and
 * gofunc are read, not the whole file. Shared by the profile symboliser and
 * future binary-size analyses.
 */
export class GoBinary {
  readonly table: LineTable;
  /** The Go build ID (`go tool buildid`), or "" when the binary has none. */
  readonly goBuildId: string;
  /** The GNU build ID (hex), as pprof records it in proto mappings, or "". */
  readonly gnuBuildId: string;
  private readonly pclntabAddr: number;
  /** Found on first use: symbolising needs neither, and the search reads the data sections. */
  private module: { data: ModuleData | undefined; inline: InlineTree | undefined } | undefined;

  private constructor(
    private readonly elf: ElfFile,
    private readonly file: RandomAccess,
    /** Names the binary in errors. */
    private readonly source: string | undefined,
  ) {
    const pcln = elf.section('.gopclntab') ?? elf.section('.data.rel.ro.gopclntab');
    if (!pcln) throw new FormatError('no .gopclntab section: not a Go executable, or its symbols were removed');
    // cmd/internal/objfile hands debug/gosym the text section's address as the text start.
    const text = elf.section('.text');
    this.table = new LineTable(elf.read(pcln), text?.addr);
    this.pclntabAddr = pcln.addr;
    const goId = elf.notes('Go', 4)[0];
    this.goBuildId = goId ? new TextDecoder('utf-8').decode(goId) : '';
    const gnuId = elf.notes('GNU', 3)[0];
    this.gnuBuildId = gnuId ? Array.from(gnuId, (b) => b.toString(16).padStart(2, '0')).join('') : '';
  }

  /** Reads the binary at `access`; a FormatError (naming `source`) when it is not a Go ELF executable this can read. */
  static open(access: RandomAccess, source?: string): GoBinary {
    try {
      return new GoBinary(new ElfFile(access), access, source);
    } catch (err) {
      access.close();
      if (err instanceof FormatError && source !== undefined) throw err.withSource(source);
      throw err;
    }
  }

  /** Opens a binary on disk (reading only what it needs); close() when done. */
  static openFile(path: string): GoBinary {
    let access: RandomAccess;
    try {
      access = fileAccess(path);
    } catch (err) {
      throw new FormatError(`cannot read: ${(err as Error).message}`, path);
    }
    return GoBinary.open(access, path);
  }

  get pclntabVersion(): PclntabVersion {
    return this.table.version;
  }

  /** The runtime's moduledata (Go 1.20+ tables, not PIE), for layouts and the inline tree. */
  get moduleData(): ModuleData | undefined {
    return this.layout().data;
  }

  /** Whether `frames` can expand inlined calls (Go 1.20+ tables whose moduledata was found). */
  get hasInlineTree(): boolean {
    return this.layout().inline !== undefined;
  }

  private layout(): { data: ModuleData | undefined; inline: InlineTree | undefined } {
    this.module ??= this.attributed(() => {
      const data = findModuleData(this.elf, this.table, this.pclntabAddr);
      return { data, inline: data ? new InlineTree(this.elf, this.table, data.gofunc) : undefined };
    });
    return this.module;
  }

  /**
   * What pprof prints for `pc` given this binary (debug/gosym PCToLine, as
   * cmd/pprof calls it): the physical function containing it and the
   * innermost source position there. Undefined outside every function.
   */
  symbol(pc: number): Frame | undefined {
    return this.attributed(() => {
      const i = this.table.funcIndex(pc);
      if (i < 0) return undefined;
      return { func: this.table.funcName(i), file: this.table.fileAt(i, pc), line: this.table.lineAt(i, pc) };
    });
  }

  /**
   * symbol() for many PCs at once (the same answers): grouped by function, so
   * each function's tables are read once.
   */
  symbols(pcs: readonly number[]): (Frame | undefined)[] {
    return this.attributed(() => {
      const t = this.table;
      const out = new Array<Frame | undefined>(pcs.length).fill(undefined);
      const order = pcs.map((_, k) => k).sort((a, b) => pcs[a]! - pcs[b]!);
      for (let k = 0; k < order.length; ) {
        const i = t.funcIndex(pcs[order[k]!]!);
        let end = k + 1;
        if (i >= 0) while (end < order.length && pcs[order[end]!]! < t.entry(i + 1)) end++;
        if (i < 0) {
          k = end;
          continue;
        }
        const group = order.slice(k, end);
        const func = t.funcName(i);
        const positions = t.positions(i, group.map((g) => pcs[g]!));
        group.forEach((g, n) => (out[g] = { func, ...positions[n]! }));
        k = end;
      }
      return out;
    });
  }

  /** The logical frames at `pc`, innermost first and the physical function last; [] outside every function. */
  frames(pc: number): Frame[] {
    return this.attributed(() => {
      const i = this.table.funcIndex(pc);
      if (i < 0) return [];
      const inline = this.layout().inline;
      if (!inline) return [this.symbol(pc)!];
      return inline.frames(i, pc);
    });
  }

  /** Tables are read lazily, so a damaged one shows in a lookup: its error names the binary too. */
  private attributed<T>(lookup: () => T): T {
    try {
      return lookup();
    } catch (err) {
      if (err instanceof FormatError && this.source !== undefined) throw err.withSource(this.source);
      throw err;
    }
  }

  /**
   * The address the executable segment is mapped at, page-aligned down, which
   * pprof subtracts from a mapping's start to relocate its addresses
   * (cmd/internal/objfile elf.go loadAddress).
   */
  loadAddress(): number | undefined {
    const seg = this.elf.segments.find((p) => p.type === PT_LOAD && (p.flags & PF_X) !== 0);
    if (!seg) return undefined;
    return seg.align > 0 ? seg.vaddr - (seg.vaddr % seg.align) : seg.vaddr;
  }

  close(): void {
    this.file.close();
  }
}
