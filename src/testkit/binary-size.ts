import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeBinary, type BinaryAnalysis } from '../analyze/binary/index.js';
import { readBinaryImageFile } from '../formats/gobinary/image.js';

/** `footprint binary`'s analysis of the executable at `file`. */
export function analyzeBinaryFile(file: string): BinaryAnalysis {
  return analyzeBinary(readBinaryImageFile(file), file);
}

/** The bytes charged to packages and parts: the file's size when every byte was charged once. */
export function chargedBytes(a: BinaryAnalysis): number {
  let sum = 0;
  for (const p of a.packages) sum += p.bytes;
  for (const p of a.parts) sum += p.bytes;
  return sum;
}

const PROGRAMS = new URL('../../testdata/programs/', import.meta.url).pathname;

/**
 * testdata/programs/sizes (net/http over TLS) made buildable in `dir`: its
 * go.mod, and the //go:embed file of `payloadBytes` incompressible,
 * deterministic bytes (xorshift32), so the embed is the same in every run.
 * Returns `dir`.
 */
export function sizesSource(dir: string, payloadBytes: number): string {
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(PROGRAMS, 'sizes', 'main.go'), join(dir, 'main.go'));
  writeFileSync(join(dir, 'go.mod'), 'module example.com/sizes\n\ngo 1.23\n');
  writeFileSync(join(dir, 'payload.bin'), payload(payloadBytes));
  return dir;
}

function payload(n: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = 0x9e3779b9;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}
