import { ProfileBuilder } from '../../model/builder.js';
import type { MemStats, Profile } from '../../model/profile.js';
import type { ProfileFormat } from '../registry.js';
import { firstNonBlank, headLine, hexDigit, parseAddresses, parseInt64, textOf } from './lines.js';
import { lineError, RecordReader, recordText, type RecordValues } from './records.js';
import type { AddressKey } from './symbols.js';
import { decodeLines, TextProfileStream, type LineDecoder } from './stream.js';

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
  decode: (bytes) => decodeLines(new HeapTextDecoder(), bytes),
  stream: () => new TextProfileStream(new HeapTextDecoder()),
};

/** pprof's scaleHeapSample: the estimate of what a sampled count and size stand for. */
export function scaleHeapSample(count: number, size: number, rate: number): [number, number] {
  if (count === 0 || size === 0) return [0, 0];
  if (rate <= 1) return [count, size];
  const avgSize = size / count;
  const scale = 1 / (1 - Math.exp(-avgSize / rate));
  return [Math.trunc(count * scale), Math.trunc(size * scale)];
}

const HEADER_ERROR = 'expected a "heap profile: …" header';
const MEMSTATS_MARKER = new TextEncoder().encode('# runtime.MemStats');

/** True for the `# runtime.MemStats` line (trailing blanks allowed), compared as bytes: every frame line is a candidate. */
function isMemStatsMarker(buf: Uint8Array, start: number, end: number): boolean {
  const n = MEMSTATS_MARKER.length;
  if (end - start < n || buf[start + 2] !== MEMSTATS_MARKER[2]) return false;
  for (let i = 0; i < n; i++) if (buf[start + i] !== MEMSTATS_MARKER[i]) return false;
  return firstNonBlank(buf, start + n, end) === end;
}

/** Reads the header, then the records, then keeps the `# runtime.MemStats` footer's lines. */
class HeapTextDecoder implements LineDecoder {
  private b: ProfileBuilder | undefined;
  private records: RecordReader | undefined;
  private footer: string[] | undefined;

  line(buf: Uint8Array, start: number, end: number, lineNo: number, terminated: boolean): boolean {
    if (!this.records) {
      const s = firstNonBlank(buf, start, end);
      if (s !== end && buf[s] !== 35) this.begin(textOf(buf, s, end), lineNo);
      return false;
    }
    // Most lines are `#\t` frame lines, which cannot be the footer's.
    if (this.footer || buf[start] !== 35 || buf[start + 1] !== 9) {
      const s = firstNonBlank(buf, start, end);
      if (buf[s] === 35) {
        if (this.footer) this.footer.push(textOf(buf, s, end));
        else if (isMemStatsMarker(buf, s, end)) this.footer = [];
      }
    }
    return this.records.line(buf, start, end, lineNo, terminated);
  }

  finish(): Profile {
    if (!this.records || !this.b) throw lineError(HEADER_ERROR, 0);
    this.records.finish();
    if (this.footer) this.b.header.memStats = parseMemStats(this.footer);
    return this.b.build();
  }

  private begin(first: string, lineNo: number): void {
    const header = HEADER_RE.exec(first);
    if (!header) throw lineError(HEADER_ERROR, lineNo);
    const [, inObj, inBytes, allocObj, allocBytes, kind, periodText] = header;
    let period = periodText ? parseInt64(periodText, 'sampling period', lineNo) : 0;
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
        throw lineError(`unknown heap profile kind ${JSON.stringify(kind)}`, lineNo);
    }
    // pprof: a profile whose alloc columns equal its inuse ones has only two sample types.
    const hasAlloc = (allocObj !== inObj && allocObj !== '0') || (allocBytes !== inBytes && allocBytes !== '0');
    this.b = new ProfileBuilder({
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
    });
    const rates = { hasAlloc, sampled, period };
    this.records = new RecordReader(this.b, (buf, start, end, n, addresses) => parseHeapRecord(buf, start, end, n, addresses, rates));
    this.records.skipKnownFrames = true;
  }
}

interface HeapRates {
  hasAlloc: boolean;
  sampled: boolean;
  period: number;
}

function parseHeapRecord(buf: Uint8Array, start: number, end: number, lineNo: number, addresses: AddressKey[], r: HeapRates): RecordValues | 'stop' {
  if (plainHeapRecord(buf, start, end, PLAIN, lineNo, addresses)) return heapValues(PLAIN[0]!, PLAIN[1]!, PLAIN[2]!, PLAIN[3]!, lineNo, r);
  addresses.length = 0;
  const line = recordText(buf, start, end);
  if (MEMORY_MAP_SENTINELS.some((s) => line.includes(s))) return 'stop';
  const m = HEAP_SAMPLE_RE.exec(line);
  if (!m) throw lineError(`expected a heap sample "N: N [N: N] @ 0x…", found ${JSON.stringify(line.slice(0, 60))}`, lineNo);
  // In pprof's order: the allocation pair (only when kept), then the inuse pair, then the addresses.
  const num = (text: string, what: string) => parseInt64(text, what, lineNo);
  const allocCount = r.hasAlloc ? num(m[3]!, 'allocation count') : 0;
  const allocBytes = r.hasAlloc ? num(m[4]!, 'allocation bytes') : 0;
  const values = heapValues(num(m[1]!, 'inuse count'), num(m[2]!, 'inuse bytes'), allocCount, allocBytes, lineNo, r);
  parseAddresses(m[5]!, lineNo, addresses);
  return values;
}

const PLAIN = new Float64Array(4);

/**
 * Reads a record line written exactly as Go writes it (`N: N [N: N] @ 0x… …`,
 * numbers below 10^15, nothing after the addresses): its four numbers into
 * `out` and its addresses into `addresses`, in one pass and without making a
 * string of it. False for any other line, which HEAP_SAMPLE_RE then reads
 * (both read such a line the same way).
 */
function plainHeapRecord(buf: Uint8Array, start: number, end: number, out: Float64Array, lineNo: number, addresses: AddressKey[]): boolean {
  let i = start;
  for (let k = 0; k < 4; k++) {
    let v = 0;
    const from = i;
    while (i < end && buf[i]! >= 48 && buf[i]! <= 57) v = v * 10 + buf[i++]! - 48;
    if (i === from || i - from > 15) return false;
    out[k] = v;
    const sep = HEAP_RECORD_SEPARATORS[k]!;
    if (buf[i] !== sep[0] || buf[i + 1] !== sep[1] || (sep.length === 3 && buf[i + 2] !== sep[2])) return false;
    i += sep.length;
  }
  while (i < end) {
    const c = buf[i]!;
    if (c === 48 && buf[i + 1] === 120) {
      let j = i + 2;
      let v = 0;
      for (let d = HEX[buf[j]!]!; j < end && d !== 0; d = HEX[buf[j]!]!) {
        v = v * 16 + d - 1;
        j++;
      }
      if (j > i + 2) addresses.push(j - i - 2 <= 13 ? v : parseAddresses(textOf(buf, i, j), lineNo)[0]!);
      i = j;
    } else if (c === 32 || c === 120 || HEX[c] !== 0) {
      i++;
    } else {
      return false;
    }
  }
  return true;
}

/** 1 + the value of a lower-case hex digit, by byte; 0 for any other byte. */
const HEX = new Uint8Array(256);
for (let c = 0; c < 256; c++) HEX[c] = hexDigit(c) + 1;

const HEAP_RECORD_SEPARATORS = [': ', ' [', ': ', '] @'].map((s) => Array.from(s, (c) => c.charCodeAt(0)));

/** pprof's parseHeapSample on the four numbers: unsampled values (alloc pair first, when kept) and the block size. */
function heapValues(inCount: number, inBytes: number, allocCount: number, allocBytes: number, lineNo: number, r: HeapRates): RecordValues {
  const values: number[] = [];
  let blocksize = 0;
  if (r.hasAlloc) blocksize = scaledPair(allocCount, allocBytes, 'allocation', lineNo, r, values, blocksize);
  blocksize = scaledPair(inCount, inBytes, 'inuse', lineNo, r, values, blocksize);
  return { values, bytes: blocksize };
}

/** Appends one (count, size) pair, unsampled; returns the block size it implies (or `blocksize` for an empty pair). */
function scaledPair(count: number, size: number, what: string, lineNo: number, r: HeapRates, values: number[], blocksize: number): number {
  if (count === 0 && size !== 0) throw lineError(`${what} count was 0 but ${what} bytes was ${size}`, lineNo);
  if (count !== 0) {
    blocksize = Math.trunc(size / count);
    if (r.sampled) [count, size] = scaleHeapSample(count, size, r.period);
  }
  values.push(count, size);
  return blocksize;
}

/** Parses the lines after `# runtime.MemStats` into the runtime's own field names. */
export function parseMemStats(lines: readonly string[]): MemStats {
  const out: MemStats = {};
  for (let i = 0; i < lines.length; i++) {
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
