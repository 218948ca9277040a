import type { ProfileFormat } from '../registry.js';
import { decodeProfileProto } from './decode.js';

/**
 * profile.proto has no magic number. The sniffer walks the first fields of
 * the input: each must be one of the Profile message's fields (1..15) in its
 * declared wire type, with varints that end and lengths that fit. Text rarely
 * survives more than a field or two of that ("heap prof…" reads as field 13
 * then an invalid field 12), so a truncated or unknown text file gets "not a
 * profile" instead of a protobuf error.
 */
const LEN_FIELDS = new Set([1, 2, 3, 4, 5, 6, 11, 13]);
const VARINT_FIELDS = new Set([7, 8, 9, 10, 12, 13, 14, 15]);

/** How many bytes of the head the sniffer checks field by field. */
const SNIFF_FIELDS_BYTES = 256;

export const pprofProto: ProfileFormat = {
  id: 'pprof-proto',
  description: 'profile.proto (gzipped or not)',
  sniff: looksLikeProfileProto,
  decode: (bytes) => decodeProfileProto(bytes),
};

export function looksLikeProfileProto(head: Uint8Array): boolean {
  const end = Math.min(head.length, SNIFF_FIELDS_BYTES);
  let pos = 0;
  const varint = (): number | undefined => {
    let value = 0;
    let factor = 1;
    for (let i = 0; i < 10 && pos < head.length; i++) {
      const b = head[pos++]!;
      value += (b & 0x7f) * factor;
      if (b < 0x80) return value;
      factor *= 128;
    }
    return pos >= head.length ? -1 : undefined; // -1: ran past what we can see, not malformed
  };
  let fields = 0;
  while (pos < end) {
    const key = varint();
    if (key === undefined) return false;
    if (key === -1) return fields > 0;
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (wire === 0 && VARINT_FIELDS.has(field)) {
      const v = varint();
      if (v === undefined) return false;
      if (v === -1) return true;
    } else if (wire === 2 && LEN_FIELDS.has(field)) {
      const len = varint();
      if (len === undefined) return false;
      if (len === -1) return true;
      pos += len;
    } else {
      return false;
    }
    fields++;
  }
  return fields > 0;
}
