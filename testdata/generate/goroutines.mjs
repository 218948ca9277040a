// A goroutine dump (?debug=2) with one group per goroutine, made from a real
// one: the goroutine blocks of testdata/go1.26/stuckmany/goroutine.debug2.txt.gz
// (12,600 goroutines Go 1.26 printed) repeated with fresh ids, and the line of
// each block's last frame (its creation site, or its bottom frame) set to a
// number of its own, so no two goroutines share a stack.
//
//   node testdata/generate/goroutines.mjs GOROUTINES > dump.txt
//
// Plain Node ESM, no dependencies.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const SOURCE = new URL('../go1.26/stuckmany/goroutine.debug2.txt.gz', import.meta.url);
/** A block's last `file:line` (with its `+0x…` offset when there is one). */
const LAST_LINE = /:(\d+)( \+0x[0-9a-f]+)?$/;

/** A dump of `count` goroutines, each in a group of its own. */
export function goroutineDump(count) {
  const blocks = gunzipSync(readFileSync(SOURCE))
    .toString('utf8')
    .split('\n\n')
    .filter((b) => b.startsWith('goroutine '))
    .map((b) => b.trimEnd());
  const out = [];
  for (let i = 0; i < count; i++) {
    const copy = Math.floor(i / blocks.length);
    const offset = copy * 10_000_000;
    const block = blocks[i % blocks.length]
      .replace(/^goroutine (\d+)/, (_, id) => `goroutine ${Number(id) + offset}`)
      .replace(/ in goroutine (\d+)$/gm, (_, id) => ` in goroutine ${Number(id) + offset}`)
      .replace(LAST_LINE, (_, line, off = '') => `:${i + 1}${off}`);
    out.push(block);
  }
  return out.join('\n\n') + '\n';
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(goroutineDump(Number(process.argv[2] ?? 130000)));
}
