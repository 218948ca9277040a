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
