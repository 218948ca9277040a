import type { GoroutineDump, GoroutineInput } from '../../model/goroutines.js';
import { FormatError } from '../errors.js';
import { maybeGunzip } from '../gzip.js';
import { admitProfile, decodeProfile } from '../index.js';
import { LIMITS, looksBinary, type SizeLimit } from '../limits.js';
import { SNIFF_BYTES } from '../registry.js';
import { parseGoroutineDumps, severalDumps } from './parse.js';
import { GOROUTINE_PROFILE_NAMES, goroutineProfileFromProto, parseGoroutineProfileText, sniffGoroutineProfileText } from './profile.js';

export { parseGoroutineDump, parseGoroutineDumps } from './parse.js';
export { goroutineProfileFromProto, parseGoroutineProfileText } from './profile.js';

/**
 * A goroutine header on a line of its own, anywhere in the text: a dump is
 * often the last thing a service wrote, after megabytes of its own log.
 */
const DUMP_HEADER_RE = /(?:^|\n)[\t ]*goroutine \d+(?: gp=0x[0-9a-f]+ m=\S+(?: mp=0x[0-9a-f]+)?)? \[/;

/** True when the (inflated) bytes hold a goroutine traceback: a `goroutine N [` header on a line of its own. */
export function sniffGoroutineDump(bytes: Uint8Array): boolean {
  return DUMP_HEADER_RE.test(asText(bytes));
}

function asText(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}

/** Every dump in the text (gzipped or not), in order; FormatError names `source`. */
export function decodeGoroutineDumps(bytes: Uint8Array, source = '<input>'): GoroutineDump[] {
  return withSource(source, () => {
    const text = asText(maybeGunzip(bytes, LIMITS.goroutineDump));
    if (!DUMP_HEADER_RE.test(text)) throw new FormatError(`not a goroutine dump: ${NO_DUMP}`);
    return parseGoroutineDumps(text);
  });
}

/** The one dump in the text; a FormatError when it holds none or several (decodeGoroutineDumps reads them all). */
export function decodeGoroutineDump(bytes: Uint8Array, source = '<input>'): GoroutineDump {
  return single(decodeGoroutineDumps(bytes, source), source);
}

function single(dumps: GoroutineDump[], source: string): GoroutineDump {
  if (dumps.length === 1) return dumps[0]!;
  throw new FormatError(severalDumps(dumps), source);
}

/** Any of the goroutine inputs: a traceback dump, or a goroutine profile (proto or `?debug=1`). */
export type { GoroutineInput } from '../../model/goroutines.js';

const NO_DUMP = 'no line like "goroutine 1 [running]:" anywhere in it';
const EXPECTED =
  'expected a goroutine dump (a "goroutine 1 [running]:" line anywhere: ?debug=2, a panic, a SIGQUIT dump in a log) ' +
  'or a goroutine profile ("goroutine profile: total N" from ?debug=1, or profile.proto)';

/**
 * Every goroutine input in the bytes, recognised from their content: each
 * dump in order (a log may hold several), or the one goroutine profile.
 */
export function decodeGoroutineInputs(bytes: Uint8Array, source = '<input>'): GoroutineInput[] {
  const data = withSource(source, () => maybeGunzip(bytes, LIMITS.goroutineDump));
  const text = asText(data);
  if (DUMP_HEADER_RE.test(text)) return withSource(source, () => parseGoroutineDumps(text)).map((dump) => ({ kind: 'dump', dump }));
  if (sniffGoroutineProfileText(text)) {
    return [{ kind: 'profile', profile: withSource(source, () => parseGoroutineProfileText(text)) }];
  }
  const profile = decodeProfileOrExplain(data, source);
  if (!profile.sampleTypes.some((t) => GOROUTINE_PROFILE_NAMES.includes(t.type))) {
    const types = profile.sampleTypes.map((t) => t.type).join(', ') || 'none';
    throw new FormatError(`not a goroutine profile (its sample types are ${types})`, source);
  }
  return [{ kind: 'profile', profile: goroutineProfileFromProto(profile) }];
}

/** The one goroutine input in the bytes; a FormatError when a log holds several dumps (decodeGoroutineInputs reads them all). */
export function decodeGoroutineInput(bytes: Uint8Array, source = '<input>'): GoroutineInput {
  const inputs = decodeGoroutineInputs(bytes, source);
  if (inputs.length === 1) return inputs[0]!;
  return { kind: 'dump', dump: single(inputs.flatMap((i) => (i.kind === 'dump' ? [i.dump] : [])), source) };
}

/** A profile, or an error that says what a goroutine input would have been (not what a profile is). */
function decodeProfileOrExplain(data: Uint8Array, source: string) {
  return explainNotProfile(() => decodeProfile(data, source), source);
}

/** Runs a profile reader; its "not a profile" becomes what a goroutine input would have been. */
function explainNotProfile<T>(read: () => T, source?: string): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof FormatError && /^not a profile/.test(err.message)) {
      throw new FormatError(`no goroutine dump or goroutine profile in it: ${EXPECTED}`, source);
    }
    throw err;
  }
}

/**
 * The size limit for reading a goroutine input (see Admit): a profile's, or a
 * dump's for text (a dump may come anywhere in it); binary data that is no
 * profile is refused from its head with decodeGoroutineInputs' error.
 */
export function admitGoroutineInput(head: Uint8Array): SizeLimit {
  if (sniffGoroutineDump(head) || !looksBinary(head, SNIFF_BYTES)) return LIMITS.goroutineDump;
  return explainNotProfile(() => admitProfile(head));
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
