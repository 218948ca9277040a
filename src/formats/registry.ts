import type { Profile } from '../model/profile.js';
import { FormatError } from './errors.js';
import { maybeGunzip } from './gzip.js';
import { LIMITS, type SizeLimit } from './limits.js';

/** One artefact format: recognise it from content, then decode it. */
export interface ProfileFormat {
  id: string;
  description: string;
  /** True when the (already inflated) bytes look like this format. Never throws. */
  sniff(head: Uint8Array): boolean;
  /** Decodes the whole input; throws FormatError when it is this format but malformed. */
  decode(bytes: Uint8Array): Profile;
  /** For formats that can be decoded as they are read (legacy text): a decoder fed chunk by chunk. */
  stream?(): ProfileStream;
}

/** A decoder fed the (inflated) input in chunks; `finish` gives the profile. Errors as in `decode`. */
export interface ProfileStream {
  push(chunk: Uint8Array): void;
  finish(): Profile;
}

/** How much of the input sniffers look at. */
export const SNIFF_BYTES = 4096;

/**
 * Decodes a profile of any registered format. Gzip is undone first whatever
 * the format; formats are tried in order, text before proto because proto has
 * no magic number.
 */
export function decodeWith(formats: readonly ProfileFormat[], bytes: Uint8Array, source: string): Profile {
  try {
    if (bytes.length === 0) throw new FormatError('empty file');
    const data = maybeGunzip(bytes, LIMITS.profile);
    if (data.length === 0) throw new FormatError('empty file (after gzip)');
    return formatOf(formats, data).decode(data);
  } catch (err) {
    throw sourced(err, source);
  }
}

/**
 * A chunk-fed decoder for an input whose first bytes (not gzip) are `head`,
 * when its format can be decoded as it is read; undefined otherwise (then
 * read it whole and use decodeWith). Errors name `source`.
 */
export function streamWith(formats: readonly ProfileFormat[], head: Uint8Array, source: string): ProfileStream | undefined {
  if (head.length === 0) return undefined;
  const format = formats.find((f) => f.sniff(head.subarray(0, SNIFF_BYTES)));
  const stream = format?.stream?.();
  if (!stream) return undefined;
  return {
    push(chunk) {
      try {
        stream.push(chunk);
      } catch (err) {
        throw sourced(err, source);
      }
    },
    finish() {
      try {
        return stream.finish();
      } catch (err) {
        throw sourced(err, source);
      }
    },
  };
}

/** The format the (inflated) head is in, or the FormatError every profile reader gives for an unknown input. */
function formatOf(formats: readonly ProfileFormat[], head: Uint8Array): ProfileFormat {
  const sniffed = head.subarray(0, SNIFF_BYTES);
  const format = formats.find((f) => f.sniff(sniffed));
  if (!format) throw new FormatError(`not a profile: ${describeUnknown(sniffed)}`);
  return format;
}

/** The size limit for an input whose head is one of `formats` (see Admit); throws decodeWith's error otherwise. */
export function admitWith(formats: readonly ProfileFormat[], head: Uint8Array): SizeLimit {
  if (head.length > 0) formatOf(formats, head);
  return LIMITS.profile;
}

/** A decoder's failure as the user sees it: a FormatError naming the source. */
function sourced(err: unknown, source: string): unknown {
  if (err instanceof FormatError) return err.withSource(source);
  if (err instanceof RangeError) return new FormatError(`too large to decode (${err.message})`, source);
  return err;
}

/** A short description of what an unrecognised input looks like, for the error message. */
function describeUnknown(head: Uint8Array): string {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head.subarray(0, 200));
  const firstLine = text.split('\n', 1)[0]!.trim();
  if (/^goroutine \d+ \[/.test(firstLine)) {
    return 'this is a goroutine stack dump (debug=2), not a pprof profile';
  }
  if (/^gc \d+ @/.test(firstLine)) return 'this is a GODEBUG=gctrace log, not a pprof profile';
  if (/^go \d+\.\d+ trace/.test(firstLine)) return 'this is a Go execution trace, not a pprof profile';
  if (/^go1\.\d+ heap dump$/.test(firstLine)) return 'this is a Go heap dump (debug.WriteHeapDump), not a pprof profile: read it with footprint heapdump';
  const printable = /^[\x20-\x7e\t]*$/.test(firstLine);
  const shown = printable ? JSON.stringify(firstLine.slice(0, 60)) : 'binary data';
  return `expected profile.proto or a legacy pprof text profile, found ${shown}`;
}
