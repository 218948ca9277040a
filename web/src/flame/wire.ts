import { FLAME_MAGIC, pad8, type FlameHeader } from '../../../src/model/flame-wire.js';
import type { FlameData } from './tree.js';

export type { FlameHeader };

/** Reads the binary body into typed-array views of the same buffer (nothing copied). */
export function decodeFlame(buffer: ArrayBuffer): { header: FlameHeader; data: FlameData } {
  const bytes = new Uint8Array(buffer);
  const magic = new TextDecoder().decode(bytes.subarray(0, 4));
  if (magic !== FLAME_MAGIC) throw new Error(`not a flame tree (magic ${JSON.stringify(magic)})`);
  const headerBytes = new DataView(buffer).getUint32(4, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerBytes))) as FlameHeader;
  const n = header.nodes;
  let at = 8 + headerBytes;
  const depth = new Uint16Array(buffer, at, n);
  at += pad8(n * 2);
  const frame = new Int32Array(buffer, at, n);
  at += pad8(n * 4);
  const value = new Float64Array(buffer, at, n);
  at += n * 8;
  const base = header.diff ? new Float64Array(buffer, at, n) : undefined;
  const frames = header.frames.map(([name, file, line]) => ({ name, file, line }));
  return { header, data: { frames, depth, frame, value, base } };
}
