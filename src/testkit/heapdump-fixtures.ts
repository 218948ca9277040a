import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { HeapDumpAnalysis, Retainer } from '../analyze/heapdump/index.js';
import { readElfSymbols } from '../formats/gobinary/elf-symbols.js';
import { bytesAccess } from '../formats/random-access.js';
import type { SymbolTable } from '../model/symbols.js';

/**
 * The committed heap dumps of testdata/programs/heapdump and of
 * testdata/programs/heapretain (the second program, not used to tune the
 * analysis; testdata/regen-heapdump.sh) and what each program says it
 * planted, shared by the format, analysis and CLI tests; and the check of an
 * analysis against those figures.
 */
export const VERSIONS = ['go1.23', 'go1.26'] as const;
export type GoVersion = (typeof VERSIONS)[number];
/** `heap`: the planted sizes as written; `small`: the same divided by 256 (other size classes, the fuzz input). */
export const SCALES = ['heap', 'small'] as const;
export type Scale = (typeof SCALES)[number];

export interface Planted {
  root: string;
  kind: 'global' | 'goroutine' | 'finalizer' | 'shared' | 'garbage';
  /** The function that allocated what the root holds. */
  site: string;
  /** [count, requested size, 1 if the object has pointers]. */
  allocs: [number, number, number][];
  goroutine?: number;
  /** A goroutine's frame that holds what it keeps (main.parked when absent). */
  frame?: string;
  /** The object the chain leads to (for a finalizer: the object it is set on). */
  object?: string;
  /** Garbage: the dropped buffer. */
  buffer?: string;
  /** How far into `object` the root's pointer lands. */
  interior?: number;
  closure?: boolean;
}

export interface PlantedReport {
  goVersion: string;
  scale: number;
  planted: Planted[];
}

export function heapDumpPath(version: GoVersion, file: string, program: 'heapdump' | 'heapretain' = 'heapdump'): string {
  return new URL(`../../testdata/${version}/${program}/${file}`, import.meta.url).pathname;
}

/** The second program's dump, what it planted, and its binary's symbols. */
export function readUntuned(version: GoVersion): { dump: Uint8Array; planted: PlantedReport; symbols: SymbolTable } {
  const read = (file: string) => readFileSync(heapDumpPath(version, file, 'heapretain'));
  return {
    dump: new Uint8Array(gunzipSync(read('heap.dump.gz'))),
    planted: JSON.parse(read('planted.json').toString('utf8')) as PlantedReport,
    symbols: readElfSymbols(bytesAccess(gunzipSync(read('heapretain.sym.gz')))),
  };
}

/** The dump, inflated. */
export function readDump(version: GoVersion, scale: Scale): Uint8Array {
  return new Uint8Array(gunzipSync(readFileSync(heapDumpPath(version, `${scale}.dump.gz`))));
}

export function readPlanted(version: GoVersion, scale: Scale): PlantedReport {
  return JSON.parse(readFileSync(heapDumpPath(version, scale === 'heap' ? 'planted.json' : 'small.planted.json'), 'utf8')) as PlantedReport;
}

/** The symbol table of the binary that wrote the version's dumps. */
export function readSymbols(version: GoVersion): SymbolTable {
  return readElfSymbols(bytesAccess(gunzipSync(readFileSync(heapDumpPath(version, 'heapdump.sym.gz')))));
}

/** Go's size classes (runtime/sizeclasses.go, the same table in Go 1.23 and 1.26; internal/runtime/gc since 1.25). */
const SIZE_CLASSES = [
  8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256, 288, 320, 352, 384, 416, 448, 480, 512, 576, 640, 704, 768, 896, 1024,
  1152, 1280, 1408, 1536, 1792, 2048, 2304, 2688, 3072, 3200, 3456, 4096, 4864, 5376, 6144, 6528, 6784, 6912, 8192, 9472, 9728, 10240, 10880, 12288,
  13568, 14336, 16384, 18432, 19072, 20480, 21760, 24576, 27264, 28672, 32768,
];
const MAX_SMALL = 32768;
const MALLOC_HEADER = 8;
const PAGE = 8192;

/**
 * What the runtime really allocates for `requested` bytes (runtime/malloc.go,
 * Go 1.22+): an object with pointers larger than 512 bytes gets an 8-byte
 * header in front (minSizeForMallocHeader), then the size rounds up to its
 * class; above 32 KiB (less the header) the object gets its own span, a
 * whole number of 8 KiB pages. Objects under 16 bytes without pointers
 * share 16-byte tiny blocks: the program plants none.
 */
export function allocatedSize(requested: number, pointers: boolean): number {
  if (requested > MAX_SMALL - MALLOC_HEADER) return Math.ceil(requested / PAGE) * PAGE;
  const size = pointers && requested > 512 ? requested + MALLOC_HEADER : requested;
  return SIZE_CLASSES.find((c) => c >= size)!;
}

export function expectedBytes(p: Planted): number {
  return p.allocs.reduce((sum, [count, size, pointers]) => sum + count * allocatedSize(size, pointers === 1), 0);
}

export function expectedObjects(p: Planted): number {
  return p.allocs.reduce((sum, [count]) => sum + count, 0);
}

/**
 * Every way `a` disagrees with what the program planted (empty when it
 * agrees): each retainer found under its root, with exactly the planted
 * bytes and objects, its chain leading to the planted object, its objects
 * allocated where the program allocated them; what two globals share held
 * by both; the garbage left out of every retainer.
 */
export function plantedProblems(a: HeapDumpAnalysis, report: PlantedReport): string[] {
  const problems: string[] = [];
  const expect = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  for (const p of report.planted) {
    if (p.kind === 'garbage') continue;
    const r = findRetainer(a, p);
    if (!r) {
      problems.push(`${p.root}: no retainer found`);
      continue;
    }
    const want = expectedBytes(p);
    expect(r.retainedBytes === want, `${p.root}: retains ${r.retainedBytes} bytes, the program planted ${want}`);
    expect(r.retainedObjects === expectedObjects(p), `${p.root}: retains ${r.retainedObjects} objects, planted ${expectedObjects(p)}`);
    expect(r.sites.every((s) => s.site.function === p.site), `${p.root}: allocated at ${r.sites.map((s) => s.site.function).join(', ')}, not ${p.site}`);
    for (const problem of chainProblems(r, p)) problems.push(problem);
  }
  const garbage = report.planted.find((p) => p.kind === 'garbage');
  if (garbage) {
    const want = expectedBytes(garbage);
    expect(a.garbageBytes >= want, `garbage is ${a.garbageBytes} bytes, the program dropped ${want}`);
    // The dropped ring's links are allocated by main.buildRing (the live ring's too, but those are reachable).
    const [links, linkSize, linkPointers] = garbage.allocs[0]!;
    const ring = a.garbageSites.filter((s) => s.site.function === 'main.buildRing').reduce((n, s) => n + s.bytes, 0);
    expect(ring === links * allocatedSize(linkSize, linkPointers === 1), `garbage allocated by main.buildRing is ${ring} bytes, the program dropped a ring of ${links}`);
    expect(!a.retainers.some((r) => r.sites.some((s) => s.site.function === garbage.site)), 'a retainer holds what the program dropped');
  }
  const topLevel = a.retainers.reduce((n, r) => n + r.retainedBytes, 0);
  expect(topLevel === a.reachableBytes, `the top of the dominator tree holds ${topLevel} bytes, the reachable heap is ${a.reachableBytes}`);
  expect(a.reachableBytes + a.garbageBytes === a.heapBytes, 'reachable and garbage do not add up to the heap');
  return problems;
}

function findRetainer(a: HeapDumpAnalysis, p: Planted): Retainer | undefined {
  switch (p.kind) {
    case 'global':
      return a.retainers.find((r) => r.root.kind === 'global' && r.root.name === p.root);
    case 'goroutine':
      return a.retainers.find((r) => r.root.kind === 'goroutine' && r.root.goroutine?.id === p.goroutine);
    case 'finalizer':
      return a.retainers.find((r) => r.root.kind === 'finalizer' && r.root.address === p.object);
    case 'shared':
      return a.retainers.find((r) => r.root.kind === 'several' && p.root.split(' ').every((n) => r.root.roots?.includes(n)));
    default:
      return undefined;
  }
}

function chainProblems(r: Retainer, p: Planted): string[] {
  const out: string[] = [];
  const names = r.chain.map((s) => s.name).join(' → ');
  const objects = r.chain.filter((s) => s.kind === 'object');
  if (p.kind === 'global' && r.chain[0]?.name !== p.root) out.push(`${p.root}: the chain starts at ${r.chain[0]?.name}`);
  if (p.kind === 'goroutine' && (r.chain[0]?.name !== `goroutine ${p.goroutine}` || !isFrameOf(r, p, r.chain[1]?.name ?? ''))) {
    out.push(`${p.root}: the chain is ${names}, not goroutine ${p.goroutine} → ${p.frame ?? 'main.parked'} → …`);
  }
  if (p.kind === 'shared' && !p.root.split(' ').includes(r.chain[0]?.name ?? '')) out.push(`${p.root}: the chain starts at ${r.chain[0]?.name}`);
  if (p.kind === 'finalizer' && !p.closure && objects[0]?.address !== p.object) out.push(`${p.root}: the chain does not go through the finalized object ${p.object}: ${names}`);
  if (p.object && p.kind !== 'finalizer' && !objects.some((s) => s.address === p.object)) out.push(`${p.root}: the chain does not reach ${p.object}: ${names}`);
  if (p.interior !== undefined && objects.at(-1)?.via?.into !== p.interior) out.push(`${p.root}: the last pointer lands ${objects.at(-1)?.via?.into} bytes in, not ${p.interior}`);
  return out;
}

/**
 * The frame a goroutine's chain should go through: the one the program
 * names, or the wrapper of the go statement that started it: since Go 1.22
 * a go statement with arguments runs `<creator>.gowrapN`, whose frame holds
 * them while the function runs (cmd/compile's wrapGoDefer), and a dump has
 * physical frames only.
 */
function isFrameOf(r: Retainer, p: Planted, frame: string): boolean {
  if (frame === (p.frame ?? 'main.parked')) return true;
  const wrapper = `${r.root.goroutine?.createdBy}.gowrap`;
  return r.root.goroutine?.createdBy !== undefined && frame.startsWith(wrapper) && /^\d+$/.test(frame.slice(wrapper.length));
}
