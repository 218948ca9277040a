/**
 * Generated inputs for the stream cases (issue 16): endless streams, built
 * in the test (gzip bombs: testdata/generate/gzip-bomb.mjs).
 */

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
