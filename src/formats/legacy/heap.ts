import { ProfileBuilder } from '../../model/builder.js';
import type { MemStats, Profile } from '../../model/profile.js';
import type { ProfileFormat } from '../registry.js';
import { firstContentLine, headLine, parseAddresses, parseInt64, textLines } from './lines.js';
import { lineError, readRecords } from './records.js';

/**
 * Legacy heap text (`/debug/pprof/heap?debug=1`, `allocs?debug=1`, and
 * `go build -gcflags=-memprofile`), read as pprof's legacy parser reads it
 * (google/pprof profile/legacy_profile.go parseHeap): `heap/N` means sampling
 * at N/2 bytes, values are unsampled with the Poisson formula, each sample
 * gets a `bytes` label. The `# runtime.MemStats` footer is kept as data.
 */

const HEADER_RE = /heap profile: *(\d+): *(\d+) *\[ *(\d+): *(\d+) *\] *@ *(heap[_a-z0-9]*)\/?(\d*)/;
/**
 * pprof's heapSampleRE, `(-?\d+): *(-?\d+) *\[ *(\d+): *(\d+) *] @([ x0-9a-f]*)`, except that a match
 * never starts inside a digit run. That changes no match (one starting at the run's first digit, or
 * its '-', comes first) but keeps V8 linear on a long run of digits, where it was quadratic.
 */
export const HEAP_SAMPLE_RE = /(-\d+|(?<!\d)\d+): *(-?\d+) *\[ *(\d+): *(\d+) *] @([ x0-9a-f]*)/;
const MEMORY_MAP_SENTINELS = ['--- Memory map: ---', 'MAPPED_LIBRARIES:'];

export const legacyHeapText: ProfileFormat = {
  id: 'heap-text',
  description: 'legacy heap profile text (debug=1)',
  sniff: (head) => headLine(head).startsWith('heap profile:'),
  decode: decodeHeapText,
};

/** pprof's scaleHeapSample: the estimate of what a sampled count and size stand for. */
export function scaleHeapSample(count: number, size: number, rate: number): [number, number] {
  if (count === 0 || size === 0) return [0, 0];
  if (rate <= 1) return [count, size];
  const avgSize = size / count;
  const scale = 1 / (1 - Math.exp(-avgSize / rate));
  return [Math.trunc(count * scale), Math.trunc(size * scale)];
}

export function decodeHeapText(bytes: Uint8Array): Profile {
  const lines = textLines(bytes);
  const first = firstContentLine(lines);
  const header = first >= 0 ? HEADER_RE.exec(lines[first]!) : null;
  if (!header) throw lineError('expected a "heap profile: …" header', first + 1);
  const [, inObj, inBytes, allocObj, allocBytes, kind, periodText] = header;
  let period = periodText ? parseInt64(periodText, 'sampling period', first + 1) : 0;
  let sampled: boolean;
  switch (kind) {
    case 'heapz_v2':
    case 'heap_v2':
      sampled = true;
      break;
    case 'heapprofile':
      sampled = false;
      period = 1;
      break;
    case 'heap':
      sampled = true;
      period = Math.trunc(period / 2);
      break;
    default:
      throw lineError(`unknown heap profile kind ${JSON.stringify(kind)}`, first + 1);
  }
  // pprof: a profile whose alloc columns equal its inuse ones has only two sample types.
  const hasAlloc = (allocObj !== inObj && allocObj !== '0') || (allocBytes !== inBytes && allocBytes !== '0');
  const b = new ProfileBuilder({
    sampleTypes: hasAlloc
      ? [
          { type: 'alloc_objects', unit: 'count' },
          { type: 'alloc_space', unit: 'bytes' },
          { type: 'inuse_objects', unit: 'count' },
          { type: 'inuse_space', unit: 'bytes' },
        ]
      : [
          { type: 'objects', unit: 'count' },
          { type: 'space', unit: 'bytes' },
        ],
    periodType: { type: 'space', unit: 'bytes' },
    period,
    dropFrames: ALLOC_DROP_FRAMES,
    keepFrames: ALLOC_KEEP_FRAMES,
    memStats: parseMemStats(lines),
  });
  readRecords(lines, first + 1, b, (line, lineNo) => {
    if (MEMORY_MAP_SENTINELS.some((s) => line.includes(s))) return 'stop';
    const m = HEAP_SAMPLE_RE.exec(line);
    if (!m) throw lineError(`expected a heap sample "N: N [N: N] @ 0x…", found ${JSON.stringify(line.slice(0, 60))}`, lineNo);
    let blocksize = 0;
    const values: number[] = [];
    const add = (countText: string, sizeText: string, what: string) => {
      let count = parseInt64(countText, `${what} count`, lineNo);
      let size = parseInt64(sizeText, `${what} bytes`, lineNo);
      if (count === 0 && size !== 0) throw lineError(`${what} count was 0 but ${what} bytes was ${size}`, lineNo);
      if (count !== 0) {
        blocksize = Math.trunc(size / count);
        if (sampled) [count, size] = scaleHeapSample(count, size, period);
      }
      values.push(count, size);
    };
    if (hasAlloc) add(m[3]!, m[4]!, 'allocation');
    add(m[1]!, m[2]!, 'inuse');
    return { values, addresses: parseAddresses(m[5]!, lineNo), bytes: blocksize };
  });
  return b.build();
}

/** Parses the `# runtime.MemStats` footer into the runtime's own field names. */
export function parseMemStats(lines: readonly string[]): MemStats | undefined {
  const start = lines.findIndex((l) => l.trim() === '# runtime.MemStats');
  if (start < 0) return undefined;
  const out: MemStats = {};
  for (let i = start + 1; i < lines.length; i++) {
    const m = /^#\s*(\w+) = (.*)$/.exec(lines[i]!.trim());
    if (!m) continue;
    const [, name, value] = m as unknown as [string, string, string];
    const pair = /^(\d+) \/ (\d+)$/.exec(value);
    if (pair && (name === 'Stack' || name === 'MSpan' || name === 'MCache')) {
      out[`${name}Inuse`] = int(pair[1]!);
      out[`${name}Sys`] = int(pair[2]!);
    } else if (value.startsWith('[') && value.endsWith(']')) {
      const items = value.slice(1, -1).trim().split(/\s+/).filter(Boolean);
      // pprof ignores the footer, so a malformed entry is dropped rather than failing the profile.
      if (!items.every((x) => /^\d+$/.test(x))) continue;
      const big = items.some((x) => !Number.isSafeInteger(Number(x)));
      out[name] = big ? items.map((x) => BigInt(x)) : items.map(Number);
    } else if (value === 'true' || value === 'false') {
      out[name] = value === 'true';
    } else {
      const n = num(value);
      if (n !== undefined) out[name] = n;
    }
  }
  return out;
}

/** A string of digits as a number, or a bigint above 2^53. */
function int(digits: string): number | bigint {
  const n = Number(digits);
  return Number.isSafeInteger(n) ? n : BigInt(digits);
}

/** An integer (bigint above 2^53) or a float such as GCCPUFraction; undefined when malformed. */
function num(s: string): number | bigint | undefined {
  if (/^\d+$/.test(s)) return int(s);
  return /^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s) ? Number(s) : undefined;
}

/** pprof's allocRxStr: allocator frames pruned from the leaf of heap stacks. */
const ALLOC_DROP_FRAMES = [
  'calloc', 'cfree', 'malloc', 'free', 'memalign', 'do_memalign', '(__)?posix_memalign', 'pvalloc', 'valloc', 'realloc',
  'tcmalloc::.*', 'tc_calloc', 'tc_cfree', 'tc_malloc', 'tc_free', 'tc_memalign', 'tc_posix_memalign', 'tc_pvalloc',
  'tc_valloc', 'tc_realloc', 'tc_new', 'tc_delete', 'tc_newarray', 'tc_deletearray', 'tc_new_nothrow',
  'tc_newarray_nothrow', 'malloc_zone_malloc', 'malloc_zone_calloc', 'malloc_zone_valloc', 'malloc_zone_realloc',
  'malloc_zone_memalign', 'malloc_zone_free', 'runtime\\..*', 'BaseArena::.*', '(::)?do_malloc_no_errno',
  '(::)?do_malloc_pages', '(::)?do_malloc', 'DoSampledAllocation', 'MallocedMemBlock::MallocedMemBlock', '_M_allocate',
  '__builtin_(vec_)?delete', '__builtin_(vec_)?new', '__gnu_cxx::new_allocator::allocate', '__libc_malloc',
  '__malloc_alloc_template::allocate', 'allocate', 'cpp_alloc', 'operator new(\\[\\])?', 'simple_alloc::allocate',
].join('|');

/** pprof's allocSkipRxStr: runtime frames kept in the middle of heap stacks. */
const ALLOC_KEEP_FRAMES = ['runtime\\.panic', 'runtime\\.reflectcall', 'runtime\\.call[0-9]*'].join('|');
