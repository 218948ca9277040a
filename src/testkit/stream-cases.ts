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

/** Every command that reads an input, with the arguments it needs around it. */
export const READING_COMMANDS: readonly (readonly string[])[] = [
  ['top'],
  ['peek', '.'],
  ['traces'],
  ['export', '--format=collapsed'],
  ['heap'],
  ['goroutines'],
  ['contention'],
  ['gc'],
  ['escapes'],
  ['trace'],
];

/** How an input of each format family starts: enough to be admitted as that format. */
export function formatHead(command: string): string {
  switch (command) {
    case 'gc':
      return 'gc 1 @0.012s 2%: 0.015+1.2+0.003 ms clock, 0.060+0.5/1.0/0+0.012 ms cpu, 4->4->0 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 4 P\n';
    case 'goroutines':
      return 'goroutine 1 [running]:\nmain.main()\n\t/src/main.go:10 +0x1d\n\n';
    case 'escapes':
      return './main.go:10:6: can inline f\n';
    case 'trace':
      return 'go 1.23 trace\0\0\0';
    default:
      return 'heap profile: 1: 1 [1: 1] @ heap/1\n';
  }
}
