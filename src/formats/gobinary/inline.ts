import { FormatError } from '../errors.js';
import { Bytes } from './bytes.js';
import type { ElfFile } from './elf.js';
import type { LineTable } from './pclntab.js';

/**
 * Go's inline tree: a function's FUNCDATA_InlTree is an array of
 * inlinedCall records (funcID, 3 pad bytes, nameOff, parentPc, startLine:
 * 16 bytes since Go 1.20) and its PCDATA_InlTreeIndex table says, per PC,
 * which record the innermost inlined call there is (-1: none). A record's
 * parentPc is an instruction in the physical function whose position is the
 * call site, where the walk continues — the runtime's inlineUnwinder
 * (runtime/symtabinl.go). Funcdata offsets count from the module's gofunc
 * (`go:func.*`), which only the runtime's moduledata records (moduledata.ts).
 */

const PCDATA_InlTreeIndex = 2;
const FUNCDATA_InlTree = 3;
const INLINED_CALL_SIZE = 16;

export interface Frame {
  func: string;
  file: string;
  line: number;
}

export class InlineTree {
  constructor(
    private readonly elf: ElfFile,
    private readonly table: LineTable,
    /** The module's gofunc address (moduledata). */
    private readonly gofunc: number,
  ) {}

  /**
   * The logical frames at `pc` in function i: innermost inlined call first,
   * the physical function last, each with the position the line table gives
   * at the PC the walk is at (the call site, for the callers).
   */
  frames(i: number, pc: number): Frame[] {
    const t = this.table;
    const tree = t.funcdataOffset(i, FUNCDATA_InlTree);
    const index = tree === undefined ? 0 : t.pcdataOffset(i, PCDATA_InlTreeIndex);
    const out: Frame[] = [];
    let at = pc;
    // Each step moves to a caller; a damaged tree could loop, real ones are a few levels deep.
    for (let depth = 0; depth < 1000; depth++) {
      const ix = index === 0 ? -1 : t.pcValue(index, i, at);
      const file = t.fileAt(i, at);
      const line = t.lineAt(i, at);
      if (ix < 0) {
        out.push({ func: t.funcName(i), file, line });
        return out;
      }
      const call = this.inlinedCall(tree! + ix * INLINED_CALL_SIZE);
      out.push({ func: t.nameAt(call.i32(4, 'inlined call name')), file, line });
      at = t.entry(i) + call.i32(8, 'inlined call parent PC');
    }
    out.push({ func: t.funcName(i), file: t.fileAt(i, pc), line: t.lineAt(i, pc) });
    return out;
  }

  private inlinedCall(off: number): Bytes {
    const addr = this.gofunc + off;
    const where = this.elf.sectionAt(addr);
    if (!where) throw new FormatError(`an inline tree entry at 0x${addr.toString(16)} is in no section`);
    const b = this.elf.read(where.section);
    return new Bytes(b.slice(where.at, INLINED_CALL_SIZE, 'inline tree entry'), b.littleEndian, b.fileOffset + where.at);
  }
}
