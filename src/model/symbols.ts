/**
 * An executable's symbol table, for naming addresses: globals (a heap
 * dump's data and bss roots) and functions (where a goroutine was created).
 * Sorted by address.
 */
export interface SymbolTable {
  count: number;
  address: Float64Array;
  size: Float64Array;
  kind: Uint8Array;
  names: string[];
}

/** `SymbolTable.kind` values: what ELF's STT_FUNC and STT_OBJECT say. */
export const SYMBOL_KIND = { other: 0, function: 1, object: 2 } as const;

/**
 * The symbol whose [address, address + size) holds `address`, or -1; `kind`
 * restricts it to functions or objects. Symbols of size 0 (section markers
 * such as `runtime.data`) hold nothing.
 */
export function symbolAt(table: SymbolTable, address: number, kind?: number): number {
  let lo = 0;
  let hi = table.count - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (table.address[mid]! <= address) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  // Go's symbols do not overlap, so the nearest sized symbol at or below the address decides;
  // zero-size markers (runtime.data, runtime.ebss) and symbols of another kind are stepped over.
  for (let i = found, steps = 0; i >= 0 && steps < 16; i--, steps++) {
    if (table.size[i] === 0 || (kind !== undefined && table.kind[i] !== kind)) continue;
    return address < table.address[i]! + table.size[i]! ? i : -1;
  }
  return -1;
}

/** The first symbol named `name`, or -1. */
export function symbolNamed(table: SymbolTable, name: string): number {
  return table.names.indexOf(name);
}
