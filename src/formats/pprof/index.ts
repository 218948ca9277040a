import type { ProfileFormat } from '../registry.js';
import { decodeProfileProto } from './decode.js';

/**
 * profile.proto has no magic number. A message starts with a field tag; the
 * Profile message's fields are 1..15, and a real profile starts with one of
 * them in its declared wire type. Text formats start with a printable letter
 * or '-', which never forms such a tag with the right wire type except by
 * accident, and those are sniffed first.
 */
const LEN_FIELDS = new Set([1, 2, 3, 4, 5, 6, 11]);
const VARINT_FIELDS = new Set([7, 8, 9, 10, 12, 13, 14, 15]);

export const pprofProto: ProfileFormat = {
  id: 'pprof-proto',
  description: 'profile.proto (gzipped or not)',
  sniff(head) {
    if (head.length === 0) return false;
    const key = head[0]!;
    if (key >= 0x80) return false;
    const field = key >> 3;
    const wire = key & 7;
    return (wire === 2 && (LEN_FIELDS.has(field) || field === 13)) || (wire === 0 && VARINT_FIELDS.has(field));
  },
  decode: (bytes) => decodeProfileProto(bytes),
};
