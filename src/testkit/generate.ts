/**
 * The big-input generators of testdata/generate/ (plain Node modules, so the
 * benchmarks use them too), typed for the tests. Each builds its input from a
 * committed fixture; see the files for how.
 */

interface Generators {
  gctraceLog(cycles: number): string;
  gcTrace(cycles: number): Uint8Array;
  goroutineDump(goroutines: number): string;
  escapesOutput(sites: number): string;
  gzipBomb(mib: number, prefix?: string, fill?: number): Uint8Array;
}

const DIR = new URL('../../testdata/generate/', import.meta.url);

async function load<K extends keyof Generators>(file: string, name: K): Promise<Generators[K]> {
  const mod = (await import(new URL(file, DIR).href)) as Record<string, unknown>;
  return mod[name] as Generators[K];
}

/** GODEBUG=gctrace=1 lines: testdata/go1.26/gctrace/gogc100.log continued for `cycles` cycles. */
export const gctraceLog = async (cycles: number) => (await load('gctrace.mjs', 'gctraceLog'))(cycles);
/** A Go 1.23-format execution trace with one GC cycle (and heap-goal change) per cycle of gctraceLog. */
export const gcTrace = async (cycles: number) => (await load('trace.mjs', 'gcTrace'))(cycles);
/** A ?debug=2 goroutine dump of `goroutines` goroutines, each in a group of its own. */
export const goroutineDump = async (goroutines: number) => (await load('goroutines.mjs', 'goroutineDump'))(goroutines);
/** -m=2 output with `sites` inlined copies of an escaping allocation. */
export const escapesOutput = async (sites: number) => (await load('escapes.mjs', 'escapesOutput'))(sites);
/** A gzip bomb: `prefix`, then `mib` MiB of the byte `fill` (default 0), in about a thousandth of that. */
export const gzipBomb = async (mib: number, prefix = '', fill = 0) => (await load('gzip-bomb.mjs', 'gzipBomb'))(mib, prefix, fill);
