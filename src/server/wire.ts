import type { FlameTree } from '../report/flame.js';
import { FLAME_MAGIC, pad8, type FlameHeader } from '../model/flame-wire.js';

/**
 * The flame tree on the wire: one binary body instead of one JSON object per
 * node (a 400k-stack profile has millions of nodes). Layout, little-endian
 * (typed arrays in the platform's order; every browser platform is LE):
 *
 *   "FPF1"                    4 bytes, magic and version
 *   u32 headerBytes           length of the JSON header
 *   header                    UTF-8 JSON (FlameHeader), padded with spaces to a multiple of 8
 *   depth  Uint16[nodes]      padded with zeros to a multiple of 8 bytes
 *   frame  Int32[nodes]       padded likewise
 *   value  Float64[nodes]
 *   base   Float64[nodes]     only when header.diff
 *
 * web/src/flame/wire.ts reads it.
 */
export function encodeFlame(tree: FlameTree, meta: Omit<FlameHeader, 'nodes' | 'diff' | 'frames'>): Uint8Array {
  const nodes = tree.depth.length;
  const header: FlameHeader = {
    nodes,
    diff: tree.base !== undefined,
    frames: tree.frames.map((f) => [f.name, f.file, f.line]),
    ...meta,
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerBytes = pad8(8 + json.length) - 8;
  const depthBytes = pad8(nodes * 2);
  const frameBytes = pad8(nodes * 4);
  const valueBytes = nodes * 8;
  const size = 8 + headerBytes + depthBytes + frameBytes + valueBytes * (tree.base ? 2 : 1);
  const out = new Uint8Array(size);
  out.set(new TextEncoder().encode(FLAME_MAGIC), 0);
  new DataView(out.buffer).setUint32(4, headerBytes, true);
  out.fill(0x20, 8, 8 + headerBytes);
  out.set(json, 8);
  let at = 8 + headerBytes;
  out.set(new Uint8Array(tree.depth.buffer, tree.depth.byteOffset, nodes * 2), at);
  at += depthBytes;
  out.set(new Uint8Array(tree.frame.buffer, tree.frame.byteOffset, nodes * 4), at);
  at += frameBytes;
  out.set(new Uint8Array(tree.value.buffer, tree.value.byteOffset, valueBytes), at);
  at += valueBytes;
  if (tree.base) out.set(new Uint8Array(tree.base.buffer, tree.base.byteOffset, valueBytes), at);
  return out;
}
