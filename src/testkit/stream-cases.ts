import { gzipSync } from 'node:zlib';

/**
 * Generated inputs for the size and stream cases (issue 16): gzip bombs and
 * endless streams, built in the test in milliseconds, never committed.
 */

const MiB = 1 << 20;

/**
 * A gzip bomb of `mib` MiB: `prefix` in a member of its own, then `mib`
 * identical members of 1 MiB of `fill` each (1 KiB apiece compressed), a
 * multi-member stream as gzip allows, so 2 GiB costs 2 MB to write and no
 * time to build. gzip -9 of the same zeros is no smaller per byte: deflate
 * cannot beat about 1,000:1.
 */
export function gzipBomb(mib: number, prefix = '', fill = 0): Buffer {
  const member = gzipSync(Buffer.alloc(MiB, fill), { level: 9 });
  const parts: Buffer[] = prefix ? [gzipSync(prefix)] : [];
  for (let i = 0; i < mib; i++) parts.push(member);
  return Buffer.concat(parts);
}

/** The same chunk forever: an endless pipe. */
export function* endless(chunk: Uint8Array): Generator<Uint8Array> {
  for (;;) yield chunk;
}

/** A text head, then `fill` forever: an endless pipe that looks like the format it starts as. */
export function* endlessAfter(head: string, fill = 0x20): Generator<Uint8Array> {
  yield Buffer.from(head);
  yield* endless(Buffer.alloc(1 << 16, fill));
}
