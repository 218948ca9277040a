import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Spans } from './attribute.js';

/**
 * Compressed sizes, honestly: the whole file compressed once (what a server
 * sends), and per package what removing it would save — the file compressed
 * without the package's bytes, subtracted from the whole. Compressing each
 * file on its own (source-map-explorer's `--gzip`) counts every module's
 * dictionary again and adds up to more than the real file.
 *
 * gzip at level 9 (gzip -9, what gzip-size and bundlesize report); brotli at
 * quality 11 (what static precompression uses; Node's default). Compression
 * runs in libuv's thread pool, so several run at once and overlap the
 * attribution work on the main thread.
 */

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

export async function gzipSize(bytes: Uint8Array): Promise<number> {
  return (await gzipAsync(bytes, { level: 9 })).length;
}

export async function brotliSize(bytes: Uint8Array): Promise<number> {
  const params = { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length };
  return (await brotliAsync(bytes, { params })).length;
}

/** The file with every span whose owner is in `owners` removed. */
export function without(code: Uint8Array, spans: Spans, owners: ReadonlySet<number>): Uint8Array {
  const { starts, owners: who, size } = spans;
  let kept = 0;
  for (let i = 0; i < starts.length; i++) if (!owners.has(who[i]!)) kept += (i + 1 < starts.length ? starts[i + 1]! : size) - starts[i]!;
  const out = new Uint8Array(kept);
  let at = 0;
  for (let i = 0; i < starts.length; i++) {
    if (owners.has(who[i]!)) continue;
    const end = i + 1 < starts.length ? starts[i + 1]! : size;
    out.set(code.subarray(starts[i]!, end), at);
    at += end - starts[i]!;
  }
  return out;
}

/** Compressed bytes removing `owners` would save: gzip(file) − gzip(file without them). Never negative. */
export async function gzipSaved(code: Uint8Array, spans: Spans, owners: ReadonlySet<number>, whole: number): Promise<number> {
  return Math.max(0, whole - (await gzipSize(without(code, spans, owners))));
}

/** Runs `tasks` with at most `limit` at once (each leave-one-out holds a copy of the file). */
export async function pooled<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}
