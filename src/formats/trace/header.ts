import { FormatError } from '../errors.js';
import { SUPPORTED_MINORS } from './spec.js';

/** The header is `go 1.NN trace` padded with NULs to 16 bytes (internal/trace/version). */
export const HEADER_SIZE = 16;
const HEADER = /^go 1\.(\d+) trace\0+$/;

/** The Go minor version that wrote the trace, or null when the bytes are not a Go execution trace. */
export function traceMinor(bytes: Uint8Array): number | null {
  if (bytes.length < HEADER_SIZE) return null;
  let text = '';
  for (let i = 0; i < HEADER_SIZE; i++) text += String.fromCharCode(bytes[i]!);
  const m = HEADER.exec(text);
  return m ? Number(m[1]) : null;
}

export function sniffTrace(bytes: Uint8Array): boolean {
  return traceMinor(bytes) !== null;
}

/** The minor version of a trace this decoder reads, or a FormatError saying why not. */
export function checkHeader(bytes: Uint8Array, source?: string): number {
  const minor = traceMinor(bytes);
  if (minor === null) throw new FormatError('not a Go execution trace (expected a "go 1.NN trace" header)', source, 0);
  if (minor < 22) {
    throw new FormatError(
      `written by Go 1.${minor}: traces before Go 1.22 use the old format, which is not supported ` +
        '(capture the trace with Go 1.22 or newer)',
      source,
      0,
    );
  }
  if (!SUPPORTED_MINORS.includes(minor)) {
    throw new FormatError(
      `written by Go 1.${minor}: this trace version is not supported (supported: ${SUPPORTED_MINORS.map((m) => `go 1.${m}`).join(', ')})`,
      source,
      0,
    );
  }
  return minor;
}
