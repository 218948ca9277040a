import type { GoroutineDump, GoroutineInput } from '../../model/goroutines.js';
import { FormatError } from '../errors.js';
import { maybeGunzip } from '../gzip.js';
import { admitProfile, decodeProfile } from '../index.js';
import { LIMITS, looksBinary, type SizeLimit } from '../limits.js';
import { SNIFF_BYTES } from '../registry.js';
import { parseGoroutineDump } from './parse.js';

export { parseGoroutineDump } from './parse.js';

/**
 * How far into the text a dump's first goroutine header may be: a panic
 * message or the program's own output can come first.
 */
const SNIFF_CHARS = 1 << 16;

/** True when the (inflated) bytes hold a goroutine traceback: a `goroutine N [` header on a line of its own. */
export function sniffGoroutineDump(bytes: Uint8Array): boolean {
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, SNIFF_CHARS));
  return /(?:^|\n)[\t ]*goroutine \d+(?: gp=0x[0-9a-f]+ m=\S+(?: mp=0x[0-9a-f]+)?)? \[/.test(head);
}

/** Decodes a traceback dump (gzipped or not); FormatError names `source`. */
export function decodeGoroutineDump(bytes: Uint8Array, source = '<input>'): GoroutineDump {
  return withSource(source, () => {
    const data = maybeGunzip(bytes, LIMITS.goroutineDump);
    if (!sniffGoroutineDump(data)) throw new FormatError('not a goroutine dump (no "goroutine N [state]:" line)');
    return parseGoroutineDump(new TextDecoder('utf-8').decode(data));
  });
}

/** Any of the goroutine inputs: a traceback dump, or a goroutine profile (proto or `?debug=1`). */
export type { GoroutineInput } from '../../model/goroutines.js';

/** Recognises the input from its content: dumps by their headers, everything else as a profile. */
export function decodeGoroutineInput(bytes: Uint8Array, source = '<input>'): GoroutineInput {
  const data = withSource(source, () => maybeGunzip(bytes, LIMITS.goroutineDump));
  if (sniffGoroutineDump(data)) return { kind: 'dump', dump: decodeGoroutineDump(data, source) };
  const profile = decodeProfile(data, source);
  if (!profile.sampleTypes.some((t) => t.type === 'goroutine')) {
    const types = profile.sampleTypes.map((t) => t.type).join(', ') || 'none';
    throw new FormatError(`not a goroutine profile (its sample types are ${types})`, source);
  }
  return { kind: 'profile', profile };
}

/**
 * The size limit for reading a goroutine input (see Admit): a profile's, or a
 * dump's for text (a dump may follow other output); binary data that is no
 * profile is refused from its head with decodeProfile's error.
 */
export function admitGoroutineInput(head: Uint8Array): SizeLimit {
  if (sniffGoroutineDump(head) || !looksBinary(head, SNIFF_BYTES)) return LIMITS.goroutineDump;
  return admitProfile(head);
}

function withSource<T>(source: string, run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof FormatError) throw err.withSource(source);
    if (err instanceof RangeError) throw new FormatError(`too large to decode (${err.message})`, source);
    throw err;
  }
}
