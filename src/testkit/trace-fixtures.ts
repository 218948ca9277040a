import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** The committed traces and their goldens (testdata/regen-traces.sh), for tests only. */
export const TESTDATA = new URL('../../testdata/', import.meta.url).pathname;

export interface TraceFixture {
  /** e.g. go1.23/tracewriter */
  name: string;
  bytes: Uint8Array;
  /** `go tool trace -d=2` record counts. */
  counts: Record<string, number>;
  /** GC and stop-the-world ranges from `go tool trace -d=1`. */
  ranges: { edge: 'Begin' | 'End' | 'Active'; time: number; name: string }[];
  /** go tool trace's MMU plot: [window ns, MMU] at 100 window sizes, and the utilization span it saw. */
  mmuPlot: { curve: [number, number][]; xMin: number; xMax: number };
}

export function traceFixtures(): TraceFixture[] {
  const out: TraceFixture[] = [];
  for (const version of ['go1.23', 'go1.26']) {
    const dir = join(TESTDATA, version, 'trace');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.trace.gz')).sort()) {
      const base = join(dir, file.replace(/\.trace\.gz$/, ''));
      out.push({
        name: `${version}/${file.replace(/\.trace\.gz$/, '')}`,
        bytes: gunzipSync(readFileSync(join(dir, file))),
        counts: parseCounts(readFileSync(`${base}.counts.txt`, 'utf8')),
        ranges: parseRanges(readFileSync(`${base}.gc.txt`, 'utf8')),
        mmuPlot: JSON.parse(readFileSync(`${base}.mmu.json`, 'utf8')) as TraceFixture['mmuPlot'],
      });
    }
  }
  return out;
}

/** Go's own trace-reader test traces (Go 1.22, 1.23, 1.25 formats) with their go tool trace -d=wire counts. */
export function goTestTraces(): { name: string; bytes: Uint8Array; counts: Record<string, number> }[] {
  const dir = join(TESTDATA, 'trace-gotests');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.trace'))
    .sort()
    .map((f) => ({
      name: f.replace(/\.trace$/, ''),
      bytes: new Uint8Array(readFileSync(join(dir, f))),
      counts: parseCounts(readFileSync(join(dir, f.replace(/\.trace$/, '.counts.txt')), 'utf8')),
    }));
}

function parseCounts(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n').filter(Boolean)) {
    const [name, n] = line.split(' ');
    out[name!] = Number(n);
  }
  return out;
}

function parseRanges(text: string): TraceFixture['ranges'] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const m = /^(Begin|End|Active) (\d+) (.*)$/.exec(line);
      if (!m) throw new Error(`bad golden line ${line}`);
      return { edge: m[1] as 'Begin' | 'End' | 'Active', time: Number(m[2]), name: m[3]! };
    });
}

export type Mutation = (b: Uint8Array, int: (n: number) => number) => Uint8Array;

/** Seeded ways to damage a trace: bit flips, byte overwrites, cuts, deleted and duplicated chunks. */
export const MUTATIONS: Record<string, Mutation> = {
  flipBit: (b, int) => {
    const c = b.slice();
    const i = int(c.length);
    c[i] = c[i]! ^ (1 << int(8));
    return c;
  },
  overwrite: (b, int) => {
    const c = b.slice();
    for (let k = 0; k < 8; k++) c[int(c.length)] = int(256);
    return c;
  },
  cut: (b, int) => b.slice(0, int(b.length)),
  deleteChunk: (b, int) => {
    const at = int(b.length);
    const len = 1 + int(4096);
    return new Uint8Array([...b.subarray(0, at), ...b.subarray(at + len)]);
  },
  duplicateChunk: (b, int) => {
    const at = int(b.length);
    const chunk = b.subarray(at, at + 1 + int(4096));
    return new Uint8Array([...b.subarray(0, at), ...chunk, ...b.subarray(at)]);
  },
};

/** An unsigned LEB128 varint of n (a bigint, so values past 2^53 are exact). */
export function varint(value: bigint | number): number[] {
  let n = BigInt(value);
  const out: number[] = [];
  do {
    const low = Number(n & 0x7fn);
    n >>= 7n;
    out.push(n > 0n ? low | 0x80 : low);
  } while (n > 0n);
  return out;
}
