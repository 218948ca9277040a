import { GrowableInt32 } from '../../model/growable.js';
import type { HeapObjects } from '../../model/heapdump.js';
import { FormatError } from '../../formats/errors.js';

/**
 * Finds the object holding an address. The runtime writes objects span by
 * span, in the order of its span list, not by address. This sorts them once
 * (a radix sort on their offsets in the heap; objects are 8-byte aligned)
 * and answers from a table of where each stretch of the heap starts in that
 * order, then a binary search within the stretch: a few steps per pointer
 * where a search over millions of objects took two dozen cache misses. A
 * pointer may land inside an object (a sub-slice, a field): the object whose
 * [address, address + size) holds it is the one it keeps alive.
 */
export class AddressIndex {
  /** Start and end of each object in address order, side by side (one cache line per probe), and the object at each rank. */
  private readonly bounds: Float64Array;
  private readonly byRank: Int32Array;
  private readonly count: number;
  private readonly base: number;
  private readonly shift: number;
  /** stretchStart[p]: the rank of the first object at or above stretch p's start. */
  private readonly stretchStart: Int32Array;

  constructor(objects: HeapObjects) {
    const n = objects.count;
    const address = objects.address;
    let min = Infinity;
    let max = 0;
    for (let i = 0; i < n; i++) {
      min = Math.min(min, address[i]!);
      max = Math.max(max, address[i]!);
    }
    this.base = n > 0 ? min : 0;
    this.count = n;
    this.byRank = sortByAddress(address, n, this.base, max);
    this.bounds = new Float64Array(2 * n);
    for (let k = 0; k < n; k++) {
      const i = this.byRank[k]!;
      this.bounds[2 * k] = address[i]!;
      this.bounds[2 * k + 1] = address[i]! + objects.size[i]!;
    }
    this.checkDisjoint();
    // Stretches of 16 bytes or more, no more of them than about two per object: in a dense heap a
    // pointer's stretch holds an object or two, and the search below takes a step or none.
    const span = n > 0 ? max - min + 1 : 1;
    let shift = 4;
    while (span / 2 ** shift > 2 * n + 1024) shift++;
    this.shift = shift;
    const stretches = Math.ceil(span / 2 ** shift) + 1;
    this.stretchStart = new Int32Array(stretches + 1);
    for (let k = 0, p = 0; p <= stretches; p++) {
      const start = this.base + p * 2 ** shift;
      while (k < n && this.bounds[2 * k]! < start) k++;
      this.stretchStart[p] = k;
    }
  }

  /** Objects must not overlap: a damaged dump could claim so, and every answer would be wrong. */
  private checkDisjoint(): void {
    const b = this.bounds;
    for (let k = 1; k < this.count; k++) {
      if (b[2 * k]! < Math.max(b[2 * k - 1]!, b[2 * k - 2]! + 1)) {
        throw new FormatError(`two objects overlap: one of ${b[2 * k - 1]! - b[2 * k - 2]!} bytes at 0x${b[2 * k - 2]!.toString(16)} and one at 0x${b[2 * k]!.toString(16)}`);
      }
    }
  }

  /** The index of the object holding `address`, or -1. */
  objectAt(address: number): number {
    const offset = address - this.base;
    if (!(offset >= 0) || this.count === 0) return -1;
    const b = this.bounds;
    const p = Math.floor(offset / 2 ** this.shift);
    // The holder is the last object starting at or below the address: in this stretch, or the one before it.
    let lo: number;
    let hi: number;
    if (p + 1 < this.stretchStart.length) {
      lo = this.stretchStart[p]! - 1;
      hi = this.stretchStart[p + 1]! - 1;
    } else {
      lo = hi = this.count - 1;
    }
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (b[2 * mid]! <= address) lo = mid;
      else hi = mid - 1;
    }
    return lo >= 0 && address < b[2 * lo + 1]! ? this.byRank[lo]! : -1;
  }

  /** Resolves `count` addresses into `out[at…]`: `base` + the object holding each, or -1. */
  resolve(addresses: Float64Array, count: number, out: Int32Array, at: number, base: number): void {
    for (let i = 0; i < count; i++) {
      const o = this.objectAt(addresses[i]!);
      out[at + i] = o < 0 ? -1 : base + o;
    }
  }
}

/**
 * The objects' indexes in address order. The runtime writes a span's
 * objects one after the other, ascending (runtime/heapdump.go, dumpobjs),
 * and a span is whole pages of 8 KiB (runtime/mheap.go, pageSize) that no
 * other span shares: cut where the page changes or the address falls, the
 * list is one ascending piece per page, and sorting the pieces by page puts
 * every object in order. That costs a pass over the objects and a sort of
 * pages instead of objects. A dump listed otherwise (checked) is sorted
 * by radix.
 */
function sortByAddress(address: Float64Array, n: number, base: number, max: number): Int32Array {
  return sortByPage(address, n) ?? radixSort(address, n, base, max);
}

const PAGE = 8192;

/** Address order from pieces of one page each; undefined when the pieces are not one per page. */
function sortByPage(address: Float64Array, n: number): Int32Array | undefined {
  const starts = new GrowableInt32();
  for (let i = 0; i < n; i++) {
    if (i === 0 || address[i]! < address[i - 1]! || Math.floor(address[i]! / PAGE) !== Math.floor(address[i - 1]! / PAGE)) starts.push(i);
  }
  const pieceStart = starts.view();
  const pieces = pieceStart.length;
  const byPage = new Int32Array(pieces);
  for (let k = 0; k < pieces; k++) byPage[k] = k;
  byPage.sort((a, b) => address[pieceStart[a]!]! - address[pieceStart[b]!]!);
  const order = new Int32Array(n);
  let at = 0;
  for (let k = 0; k < pieces; k++) {
    const p = byPage[k]!;
    const end = p + 1 < pieces ? pieceStart[p + 1]! : n;
    for (let i = pieceStart[p]!; i < end; i++) order[at++] = i;
  }
  for (let k = 1; k < n; k++) if (address[order[k]!]! <= address[order[k - 1]!]!) return undefined;
  return order;
}

/**
 * Offsets from the lowest address, in 8-byte words, sorted by an LSD radix
 * sort, 16 bits a pass (two passes cover a 32 GiB heap); a heap spread
 * wider falls back to a comparison sort.
 */
function radixSort(address: Float64Array, n: number, base: number, max: number): Int32Array {
  const words = (max - base) / 8;
  if (n === 0 || words >= 2 ** 48) return Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => address[a]! - address[b]!);
  const passes = words < 2 ** 16 ? 1 : words < 2 ** 32 ? 2 : 3;
  let order = new Int32Array(n);
  let next = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const counts = new Int32Array(1 << 16);
  for (let pass = 0; pass < passes; pass++) {
    const scale = 2 ** (16 * pass);
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[Math.floor((address[i]! - base) / 8 / scale) & 0xffff]!++;
    for (let b = 0, sum = 0; b < counts.length; b++) {
      const c = counts[b]!;
      counts[b] = sum;
      sum += c;
    }
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      next[counts[Math.floor((address[i]! - base) / 8 / scale) & 0xffff]!++] = i;
    }
    [order, next] = [next, order];
  }
  return order;
}
