import type { Profile } from '../model/profile.js';
import { legacyContentionText } from './legacy/contention.js';
import { legacyCountText } from './legacy/count.js';
import { legacyHeapText } from './legacy/heap.js';
import { pprofProto } from './pprof/index.js';
import { admitWith, decodeWith, streamWith, type ProfileFormat, type ProfileStream } from './registry.js';
import type { SizeLimit } from './limits.js';

export { FormatError } from './errors.js';
export type { ProfileFormat, ProfileStream } from './registry.js';
export { LIMITS, type Admit, type SizeLimit } from './limits.js';

/** Every profile format, in sniffing order: text formats first, proto (no magic number) last. */
export const PROFILE_FORMATS: readonly ProfileFormat[] = [legacyHeapText, legacyCountText, legacyContentionText, pprofProto];

/** Decodes a profile in any supported format, gzipped or not. `source` names it in errors. */
export function decodeProfile(bytes: Uint8Array, source = '<input>'): Profile {
  return decodeWith(PROFILE_FORMATS, bytes, source);
}

/**
 * A decoder fed chunk by chunk for a profile whose first bytes (up to 4 KiB,
 * not gzip) are `head`, when its format is read as a stream (legacy text);
 * undefined when it must be read whole (decodeProfile).
 */
export function streamProfile(head: Uint8Array, source = '<input>'): ProfileStream | undefined {
  return streamWith(PROFILE_FORMATS, head, source);
}

/** The size limit for reading a profile whose head (inflated) is `head`; throws decodeProfile's error for anything else. */
export function admitProfile(head: Uint8Array): SizeLimit {
  return admitWith(PROFILE_FORMATS, head);
}
