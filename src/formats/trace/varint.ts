import { NONE } from '../../model/trace.js';

export { NONE };

/** Values at or above 2^63 are the runtime's "none" sentinel (^uint64(0)); they decode to NONE. */
const TWO_63 = 2 ** 63;

/** Result slot for readUvarint: the position after the varint, or -1 when the bytes end first. */
export interface VarintOut {
  value: number;
  next: number;
}

/**
 * Reads an unsigned LEB128 varint at `pos` as a double (exact below 2^53,
 * which every real ID, tick and size is). Padded 10-byte varints (the batch
 * length field) are accepted. Returns false when more than 10 bytes or when
 * `end` cuts it short (`out.next` is then -1).
 */
export function readUvarint(bytes: Uint8Array, pos: number, end: number, out: VarintOut): boolean {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= end) {
      out.next = -1;
      return false;
    }
    const b = bytes[pos++]!;
    value += (b & 0x7f) * scale;
    if (b < 0x80) {
      out.value = value >= TWO_63 ? NONE : value;
      out.next = pos;
      return true;
    }
    scale *= 128;
  }
  out.next = pos;
  return false;
}
