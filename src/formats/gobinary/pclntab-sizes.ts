import type { BinaryFunction, PclntabShared } from '../../model/binary.js';
import type { Bytes } from './bytes.js';
import type { LineTable } from './pclntab.js';

/**
 * Each function's bytes in the pclntab and in .text, measured from the
 * tables themselves so that stripped binaries (no symbol table) get the same
 * answer: its code is the span its stack-pointer table covers (the linker
 * writes pc-value tables over the whole function, cmd/link's pcln.go), its
 * name is the string with its NUL, its record the _func with its pcdata and
 * funcdata offsets, its tables the varint streams they point at. The linker
 * shares identical tables between functions; a shared table is counted once,
 * for the first function that uses it.
 */

/** _func fields after the entry (runtime/runtime2.go): pcsp, pcfile, pcln, npcdata. */
const PCSP = 4;
const PCFILE = 5;
const PCLN = 6;
const NPCDATA = 7;
const NAME = 1;

export interface PclntabSizes {
  functions: BinaryFunction[];
  shared: Omit<PclntabShared, 'other'>;
}

/** `pclntab` is the whole table the LineTable reads. */
export function measurePclntab(table: LineTable, pclntab: Bytes): PclntabSizes {
  const data = pclntab.data;
  const at = table.tableOffsets;
  const counted = new Uint8Array(Math.max(0, at.functab - at.pctab));
  const functions: BinaryFunction[] = [];
  let names = 0;
  for (let i = 0; i < table.funcCount; i++) {
    const nameAt = at.funcnametab + table.field(i, NAME);
    const end = data.indexOf(0, nameAt);
    const nameBytes = end < 0 ? 0 : end - nameAt + 1;
    names += nameBytes;
    const span = table.entry(i + 1) - table.entry(i);
    const tables = { bytes: 0, code: 0 };
    addTable(tables, table.field(i, PCSP), true);
    addTable(tables, table.field(i, PCFILE), false);
    addTable(tables, table.field(i, PCLN), false);
    const npcdata = table.field(i, NPCDATA);
    for (let k = 0; k < npcdata; k++) addTable(tables, table.pcdataOffset(i, k), false);
    const code = tables.code > 0 && tables.code <= span ? tables.code : span;
    functions.push({ name: table.funcName(i), code, padding: span - code, nameBytes, record: table.recordBytes(i), pcTables: tables.bytes, funcdata: 0 });
  }
  const functabBytes = (table.funcCount * 2 + 1) * 4;
  return {
    functions,
    shared: {
      header: at.funcnametab + functabBytes,
      cutab: at.filetab - at.cutab,
      fileNames: at.pctab - at.filetab,
      inlinedNames: Math.max(0, at.cutab - at.funcnametab - names),
    },
  };

  /** Adds the table at `off` (once per table) and, for the stack table, the pc span it covers. */
  function addTable(into: { bytes: number; code: number }, off: number, measureSpan: boolean): void {
    if (off === 0 || off >= counted.length) return;
    const extent = tableExtent(data, at.pctab + off, table.quantum);
    if (measureSpan) into.code = extent.span;
    if (counted[off]) return;
    counted[off] = 1;
    into.bytes += extent.bytes;
  }
}

/**
 * The length in bytes of the pc-value table at `start` and the pc span it
 * covers: (value delta, pc delta) uvarint pairs until a zero value delta
 * after the first pair (runtime/symtab.go step).
 */
export function tableExtent(data: Uint8Array, start: number, quantum: number): { bytes: number; span: number } {
  let pos = start;
  let span = 0;
  for (let first = true; pos < data.length; first = false) {
    const valueAt = pos;
    while (pos < data.length && data[pos]! & 0x80) pos++;
    pos++;
    if (data[valueAt] === 0 && pos === valueAt + 1 && !first) return { bytes: pos - start, span };
    let delta = 0;
    for (let shift = 0; pos < data.length; shift += 7) {
      const b = data[pos++]!;
      delta += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) break;
    }
    span += delta * quantum;
  }
  return { bytes: pos - start, span };
}

/** FUNCDATA_* indexes go up to 7 (wrapinfo) in Go 1.26 (internal/abi/symtab.go). */
const MAX_FUNCDATA = 8;

/**
 * Charges each function its funcdata (stack maps, inline tree, argument
 * info), which the linker lays out one after another from gofunc: a blob's
 * size is the distance to the next blob, the last one's to `regionBytes`. A
 * blob several functions share is charged to the first. Sets each
 * function's `funcdata`; returns the bytes charged.
 */
export function measureFuncdata(table: LineTable, functions: BinaryFunction[], regionBytes: number): number {
  const owner = new Map<number, number>();
  for (let i = 0; i < table.funcCount; i++) {
    for (let k = 0; k < MAX_FUNCDATA; k++) {
      const off = table.funcdataOffset(i, k);
      if (off !== undefined && off < regionBytes && !owner.has(off)) owner.set(off, i);
    }
  }
  const offsets = Float64Array.from(owner.keys()).sort();
  let charged = 0;
  for (let k = 0; k < offsets.length; k++) {
    const size = (k + 1 < offsets.length ? offsets[k + 1]! : regionBytes) - offsets[k]!;
    functions[owner.get(offsets[k]!)!]!.funcdata += size;
    charged += size;
  }
  return charged;
}
