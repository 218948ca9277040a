import type { HeapObjects } from '../../model/heapdump.js';
import { FormatError } from '../../formats/errors.js';

/**
 * Finds the object holding an address. The runtime writes objects span by
 * span, in the order of its span list, not by address; this sorts their
 * addresses once (a typed-array sort, no comparator) and answers with a
 * binary search. A pointer may land inside an object (a sub-slice, a field
 * of an embedded struct): the object whose [address, address + size) holds
 * it is the one it keeps alive.
 */
export class AddressIndex {
  private readonly sorted: Float64Array;
  /** sorted[k] is the address of object byRank[k]. */
  private readonly byRank: Int32Array;

  constructor(private readonly objects: HeapObjects) {
    const n = objects.count;
    this.sorted = Float64Array.from(objects.address.subarray(0, n)).sort();
    this.byRank = new Int32Array(n);
    for (let i = 0; i < n; i++) this.byRank[this.rankOf(objects.address[i]!)] = i;
    for (let k = 1; k < n; k++) {
      const prev = this.byRank[k - 1]!;
      if (this.sorted[k] === this.sorted[k - 1] || this.sorted[k]! < this.sorted[k - 1]! + objects.size[prev]!) {
        throw new FormatError(`two objects overlap: one of ${objects.size[prev]} bytes at 0x${this.sorted[k - 1]!.toString(16)} and one at 0x${this.sorted[k]!.toString(16)}`);
      }
    }
  }

  /** The rank of the last object starting at or below `address`, or -1. */
  private rankOf(address: number): number {
    const s = this.sorted;
    let lo = 0;
    let hi = s.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (s[mid]! <= address) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** The index of the object holding `address`, or -1. */
  objectAt(address: number): number {
    const k = this.rankOf(address);
    if (k < 0) return -1;
    const i = this.byRank[k]!;
    return address < this.objects.address[i]! + this.objects.size[i]! ? i : -1;
  }
}
