import { WrongInputError } from '../../model/errors.js';
import type { HeapDump } from '../../model/heapdump.js';
import { SYMBOL_KIND, symbolAt, symbolNamed, type SymbolTable } from '../../model/symbols.js';

/** Names for a dump's addresses from the executable that wrote it. */
export interface Namer {
  /** The global variable holding `address`, and how far into it the address is. */
  global(address: number): { name: string; offset: number } | undefined;
  /** The function whose code holds `pc`. */
  func(pc: number): string | undefined;
}

/**
 * A namer from the binary's symbol table, after checking the binary is the
 * one that wrote the dump: the Go linker brackets the data and bss segments
 * with `runtime.data`/`runtime.edata` and `runtime.bss`/`runtime.ebss`, and
 * the dump gives the same segments' addresses and sizes (heapdump.go
 * dumproots writes firstmoduledata's). The difference in addresses is the
 * load offset of a position-independent executable (0 otherwise). Returns
 * undefined, with a note, for a stripped binary.
 */
export function symbolNamer(dump: HeapDump, symbols: SymbolTable, binary: string, notes: string[]): Namer | undefined {
  if (symbols.count === 0) {
    notes.push(`${binary} has no symbol table (stripped, e.g. built with -ldflags=-s): globals are named by address.`);
    return undefined;
  }
  const slide = segmentSlide(dump, symbols, binary);
  return {
    global(address) {
      const i = symbolAt(symbols, address - slide, SYMBOL_KIND.object);
      return i < 0 ? undefined : { name: symbols.names[i]!, offset: address - slide - symbols.address[i]! };
    },
    func(pc) {
      const i = symbolAt(symbols, pc - slide, SYMBOL_KIND.function);
      return i < 0 ? undefined : symbols.names[i];
    },
  };
}

function segmentSlide(dump: HeapDump, symbols: SymbolTable, binary: string): number {
  let slide: number | undefined;
  for (const seg of dump.segments) {
    const start = symbolNamed(symbols, `runtime.${seg.kind}`);
    const end = symbolNamed(symbols, `runtime.e${seg.kind}`);
    if (start < 0 || end < 0) {
      throw new WrongInputError(`not a Go executable: it has no runtime.${seg.kind} symbol to match the dump's ${seg.kind} segment`, binary);
    }
    const size = symbols.address[end]! - symbols.address[start]!;
    if (size !== seg.size) {
      throw new WrongInputError(
        `not the executable that wrote the dump: its ${seg.kind} segment is ${size} bytes, the dump's is ${seg.size} (pass the binary the dumping process ran)`,
        binary,
      );
    }
    const s = seg.address - symbols.address[start]!;
    if (slide !== undefined && s !== slide) throw new WrongInputError('not the executable that wrote the dump: its data and bss are not where the dump has them', binary);
    slide = s;
  }
  return slide ?? 0;
}
