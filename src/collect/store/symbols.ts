import { ByteReader, keyOf } from './codec.js';

/**
 * The contents of interned rows, as keys (codec.ts keyOf): the same content
 * always encodes to the same bytes. Ids of strings and other rows are store
 * ids (≥ 1); 0 means "none".
 */

export interface FunctionRow {
  name: number;
  systemName: number;
  filename: number;
  startLine: number;
}

export interface MappingRow {
  start: bigint;
  limit: bigint;
  offset: bigint;
  file: number;
  buildId: number;
  /** hasFunctions, hasFilenames, hasLineNumbers, hasInlineFrames as bits 0–3. */
  flags: number;
}

export interface FrameRow {
  mapping: number;
  address: bigint;
  folded: boolean;
  /** (function, line, column) per line, callee first as pprof orders them. */
  lines: { fn: number; line: number; column: number }[];
}

export interface LabelRow {
  key: number;
  str: number;
  num: number;
  numUnit: number;
}

export interface SiteRow {
  function: number;
  /** 0 when the site has no file (function granularity, unknown). */
  file: number;
  /** -1 when unknown. */
  line: number;
  via: number;
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

export const encodeString = (s: string): Uint8Array => utf8.encode(s);
export const decodeString = (b: Uint8Array): string => fromUtf8.decode(b);

export function encodeFunction(f: FunctionRow): Uint8Array {
  return keyOf([f.name, f.systemName, f.filename, f.startLine]);
}

export function decodeFunction(b: Uint8Array): FunctionRow {
  const r = new ByteReader(b);
  return { name: r.svarint(), systemName: r.svarint(), filename: r.svarint(), startLine: r.svarint() };
}

export function encodeMapping(m: MappingRow): Uint8Array {
  return keyOf([m.start, m.limit, m.offset, m.file, m.buildId, m.flags]);
}

export function decodeMapping(b: Uint8Array): MappingRow {
  const r = new ByteReader(b);
  return { start: r.bigUvarint(), limit: r.bigUvarint(), offset: r.bigUvarint(), file: r.svarint(), buildId: r.svarint(), flags: r.svarint() };
}

export function encodeFrame(f: FrameRow): Uint8Array {
  const parts: (number | bigint)[] = [f.mapping, f.address, f.folded ? 1 : 0, f.lines.length];
  for (const l of f.lines) parts.push(l.fn, l.line, l.column);
  return keyOf(parts);
}

export function decodeFrame(b: Uint8Array): FrameRow {
  const r = new ByteReader(b);
  const mapping = r.svarint();
  const address = r.bigUvarint();
  const folded = r.svarint() === 1;
  const n = r.svarint();
  const lines = Array.from({ length: n }, () => ({ fn: r.svarint(), line: r.svarint(), column: r.svarint() }));
  return { mapping, address, folded, lines };
}

export function encodeLabels(labels: readonly LabelRow[]): Uint8Array {
  const parts: number[] = [labels.length];
  for (const l of labels) parts.push(l.key, l.str, l.num, l.numUnit);
  return keyOf(parts);
}

export function decodeLabels(b: Uint8Array): LabelRow[] {
  const r = new ByteReader(b);
  const n = r.svarint();
  return Array.from({ length: n }, () => ({ key: r.svarint(), str: r.svarint(), num: r.svarint(), numUnit: r.svarint() }));
}

export function encodeSite(s: SiteRow): Uint8Array {
  return keyOf([s.function, s.file, s.line, s.via]);
}

export function decodeSite(b: Uint8Array): SiteRow {
  const r = new ByteReader(b);
  return { function: r.svarint(), file: r.svarint(), line: r.svarint(), via: r.svarint() };
}
