import { FormatError } from '../errors.js';
import { maybeGunzip } from '../gzip.js';
import { LIMITS, looksBinary, type SizeLimit } from '../limits.js';
import { ReportBuilder } from './builder.js';
import { decodeEscapeJsonFile } from './json.js';
import { classifyMessage } from './messages.js';
import { splitPositioned } from './position.js';
import { decodeEscapeText } from './text.js';
import type { EscapeReport } from '../../model/escapes.js';

export type { Capture, EscapeDecision, EscapeForm, EscapeReport, EscapeSite, FunctionDecl, InlineCall, SourcePos } from '../../model/escapes.js';
export { formatPos, isHeapDecision, posKey } from '../../model/escapes.js';

/**
 * How much of a text input sniffing reads. More than profiles' 4 KiB: pasted
 * stderr can start with `go: downloading …` lines or long `can inline … as:`
 * bodies before the first escape message.
 */
export const ESCAPE_SNIFF_BYTES = 64 * 1024;

/** A -json file starts with its header object. */
export function sniffEscapeJson(head: string): boolean {
  return /^\uFEFF?\s*\{\s*"version"\s*:\s*\d+\s*,[^\n]*"file"\s*:/.test(head);
}

/** Compiler text: some positioned line in the head is an escape or inlining message. */
export function sniffEscapeText(head: string): boolean {
  for (const line of head.split('\n')) {
    const p = splitPositionedSafe(line.replace(/\r$/, ''));
    if (p && isEscapeOrInline(classifyMessage(p.body).kind)) return true;
  }
  return false;
}

function splitPositionedSafe(line: string) {
  try {
    return splitPositioned(line, 0);
  } catch {
    return null;
  }
}

function isEscapeOrInline(kind: string): boolean {
  return kind !== 'other' && kind !== 'reason' && kind !== 'capture';
}

/**
 * Decodes one file of escape output: -m or -m=2 text, or a single -json file,
 * recognised from content (gzip undone first). Throws FormatError naming
 * `source` when it is neither, or is malformed.
 */
export function decodeEscapes(bytes: Uint8Array, source: string): EscapeReport {
  try {
    const text = toText(bytes);
    const head = text.slice(0, ESCAPE_SNIFF_BYTES);
    if (sniffEscapeJson(head)) return decodeJsonTexts([text]);
    if (sniffEscapeText(head)) return decodeEscapeText(text);
    throw new FormatError(`not escape-analysis output: ${describeUnknown(head)}`);
  } catch (err) {
    throw err instanceof FormatError ? err.withSource(source) : err;
  }
}

/**
 * The size limit for reading escape output (see Admit): text, whatever comes
 * before the first escape message; binary data is refused from its head with
 * decodeEscapes' error.
 */
export function admitEscapes(head: Uint8Array): SizeLimit {
  if (!looksBinary(head)) return LIMITS.escapes;
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head);
  if (sniffEscapeJson(text) || sniffEscapeText(text)) return LIMITS.escapes;
  throw new FormatError(`not escape-analysis output: ${describeUnknown(text)}`);
}

/** Decodes the files of a `-json=0,DIR` folder into one report; errors name the file at fault. */
export function decodeEscapeJsonFiles(files: readonly { source: string; bytes: Uint8Array }[]): EscapeReport {
  const builder = new ReportBuilder('json');
  for (const f of files) {
    try {
      const text = toText(f.bytes);
      if (!sniffEscapeJson(text.slice(0, ESCAPE_SNIFF_BYTES))) throw new FormatError('not a -json=0 file (no {"version":0,…} header)', undefined, undefined, 1);
      decodeEscapeJsonFile(text, builder);
    } catch (err) {
      throw err instanceof FormatError ? err.withSource(f.source) : err;
    }
  }
  return builder.finish();
}

function decodeJsonTexts(texts: string[]): EscapeReport {
  const builder = new ReportBuilder('json');
  for (const t of texts) decodeEscapeJsonFile(t, builder);
  return builder.finish();
}

function toText(bytes: Uint8Array): string {
  if (bytes.length === 0) throw new FormatError('empty file');
  const data = maybeGunzip(bytes, LIMITS.escapes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    throw new FormatError('not UTF-8 text (binary data?)');
  }
}

function describeUnknown(head: string): string {
  const firstLine = head.split('\n', 1)[0]!.trim();
  const printable = /^[\x20-\x7e\t]*$/.test(firstLine);
  const shown = printable ? JSON.stringify(firstLine.slice(0, 60)) : 'binary data';
  return `expected go build -gcflags=-m / -m=2 output or a -json=0 file, found ${shown}`;
}
