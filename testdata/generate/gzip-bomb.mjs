// A gzip bomb: MIB MiB of one byte repeated, in about a thousandth of that.
// An optional HEAD comes first in a member of its own, so the bomb starts
// like a format (a profile's first line, a gctrace record) and is admitted
// as it; then come MIB identical members of 1 MiB of FILL each (about 1 KiB
// apiece compressed). A multi-member stream is valid gzip (RFC 1952 2.2),
// so 2 GiB costs 2 MB to write and no time to build; gzip -9 of the same
// zeros is no smaller per byte, as deflate cannot beat about 1,000:1.
//
//   node testdata/generate/gzip-bomb.mjs MIB [HEAD [FILL-BYTE]] > bomb.gz
//   node testdata/generate/gzip-bomb.mjs 2048 'heap profile: 1: 1 [1: 1] @ heap/1\n' > top-bomb.gz
//
// Plain Node ESM, no dependencies: the tests (src/cli/input/bomb.test.ts) import it.

import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const MiB = 1 << 20;

/** `prefix`, then `mib` MiB of the byte `fill`, gzipped as described above. */
export function gzipBomb(mib, prefix = '', fill = 0) {
  const member = gzipSync(Buffer.alloc(MiB, fill), { level: 9 });
  const parts = prefix ? [gzipSync(prefix)] : [];
  for (let i = 0; i < mib; i++) parts.push(member);
  return Buffer.concat(parts);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [mib = '2048', head = '', fill = '0'] = process.argv.slice(2);
  process.stdout.write(gzipBomb(Number(mib), head.replaceAll('\\n', '\n'), Number(fill)));
}
