import { WrongInputError } from '../../model/errors.js';
import { lineFunctionName, sampleValue, type Profile } from '../../model/profile.js';
import { isUserFunction } from '../go-names.js';
import type { HeapSite, HeapValues, SiteGranularity } from './types.js';

interface Columns {
  inuseBytes: number;
  inuseObjects: number;
  allocBytes: number;
  allocObjects: number;
}

/** Runtime and internal frames that do the allocating on the program's behalf (growslice, mapassign, makeslice …). */
const MACHINERY = /^(runtime|internal\/[\w/]+|internal)\./;

/** The allocator's own entry points: never a site, even when a stack has nothing else (runtime.malg's does not). */
const ALLOCATOR =
  /^(?:runtime\.(?:mallocgc\w*|newobject|newarray|makeslice\w*|growslice|mapassign\w*|makemap\w*|convT\w*|rawstring\w*|rawbyteslice|rawruneslice|concatstring\w*|slicebytetostring|slicerunetostring|stringtoslice\w+|intstring|makechan)|internal\/runtime\/maps\.\w+)$/;

/** The four heap columns; a WrongInputError (naming `source`) when the profile is not a heap or allocs profile. */
export function heapColumns(p: Profile, source?: string): Columns {
  const find = (name: string) => p.sampleTypes.findIndex((t) => t.type === name);
  const cols = {
    inuseBytes: find('inuse_space'),
    inuseObjects: find('inuse_objects'),
    allocBytes: find('alloc_space'),
    allocObjects: find('alloc_objects'),
  };
  const missing = Object.entries(cols).filter(([, i]) => i < 0);
  if (missing.length) {
    const have = p.sampleTypes.map((t) => t.type).join(', ') || 'none';
    throw new WrongInputError(`not a heap or allocs profile: it has sample types ${have}`, source);
  }
  return cols;
}


export interface SiteKey {
  key: string;
  function: string;
  file?: string;
  line?: number;
  /** The library function the site called that did the allocating, when the site is the user's call into it. */
  via?: string;
}

/**
 * Where sample `i` was allocated, at the given granularity: the innermost
 * frame in the program's own code (go-names.ts, isUserFunction), with the
 * library function it called as `via` (`encoding/json.Marshal`,
 * `runtime.newproc` for a go statement). A stack with no frame of the
 * program's own falls back to its innermost frame outside the allocator,
 * else its innermost frame that is not the allocator's own entry point
 * (mallocgc, newobject …): `runtime.malg` for the descriptors of new
 * goroutines, allocated on the system stack, so their profile stack never
 * reaches the go statement.
 */
export function siteOf(p: Profile, i: number, granularity: SiteGranularity): SiteKey {
  const { locStart, locCount } = p.samples;
  let fallback: SiteKey | undefined;
  let innermost: SiteKey | undefined;
  let callee: string | undefined;
  for (let s = locStart[i]!; s < locStart[i]! + locCount[i]!; s++) {
    const loc = p.stacks[s]!;
    const first = p.locations.lineStart[loc]!;
    for (let l = first; l < first + p.locations.lineCount[loc]!; l++) {
      const fn = lineFunctionName(p, l);
      if (!fn) continue;
      if (isUserFunction(fn)) {
        const key = makeKey(p, l, fn, granularity);
        return callee !== undefined && (!MACHINERY.test(callee) || GO_STATEMENT.test(callee)) ? { ...key, via: callee } : key;
      }
      if (innermost === undefined && !ALLOCATOR.test(fn)) innermost = makeKey(p, l, fn, granularity);
      if (fallback === undefined && !MACHINERY.test(fn)) fallback = makeKey(p, l, fn, granularity);
      callee = fn;
    }
  }
  return fallback ?? innermost ?? { key: '<unknown>', function: '<unknown>' };
}

/** The runtime frame a `go` statement calls: the new goroutine's stack (runtime.malg) is allocated under it. */
const GO_STATEMENT = /^runtime\.newproc$/;

function makeKey(p: Profile, l: number, fn: string, granularity: SiteGranularity): SiteKey {
  if (granularity === 'function') return { key: fn, function: fn };
  const f = p.lines.function[l]!;
  const file = p.strings[p.functions.filename[f]!]!;
  const line = p.lines.line[l]!;
  return { key: `${fn}\0${file}\0${line}`, function: fn, file, line };
}

/** Totals of the four values over the whole profile. */
export function heapTotals(p: Profile, cols: Columns = heapColumns(p)): HeapValues {
  const t: HeapValues = { inuseBytes: 0, inuseObjects: 0, allocBytes: 0, allocObjects: 0 };
  for (let i = 0; i < p.samples.count; i++) addSample(t, p, i, cols);
  return t;
}

function addSample(into: HeapValues, p: Profile, i: number, cols: Columns): void {
  into.inuseBytes += sampleValue(p, i, cols.inuseBytes);
  into.inuseObjects += sampleValue(p, i, cols.inuseObjects);
  into.allocBytes += sampleValue(p, i, cols.allocBytes);
  into.allocObjects += sampleValue(p, i, cols.allocObjects);
}

/**
 * The cross-reading per site: the four values, average sizes, retention and
 * shares (of `totals`, by default the profile's own), largest inuse first.
 */
export function heapSites(p: Profile, granularity: SiteGranularity, totals: HeapValues = heapTotals(p)): HeapSite[] {
  const cols = heapColumns(p);
  const byKey = new Map<string, { key: SiteKey; values: HeapValues }>();
  for (let i = 0; i < p.samples.count; i++) {
    const key = siteOf(p, i, granularity);
    let entry = byKey.get(key.key);
    if (!entry) byKey.set(key.key, (entry = { key, values: { inuseBytes: 0, inuseObjects: 0, allocBytes: 0, allocObjects: 0 } }));
    addSample(entry.values, p, i, cols);
  }
  return [...byKey.values()]
    .map(({ key, values }) => toSite(key, values, totals))
    .sort((a, b) => b.inuseBytes - a.inuseBytes || b.allocBytes - a.allocBytes || a.function.localeCompare(b.function));
}

function toSite(key: SiteKey, v: HeapValues, totals: HeapValues): HeapSite {
  const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
  return {
    function: key.function,
    ...(key.file !== undefined ? { file: key.file, line: key.line } : {}),
    ...(key.via !== undefined ? { via: key.via } : {}),
    ...v,
    avgInuseBytes: ratio(v.inuseBytes, v.inuseObjects),
    avgAllocBytes: ratio(v.allocBytes, v.allocObjects),
    retention: ratio(v.inuseBytes, v.allocBytes),
    inuseShare: ratio(v.inuseBytes, totals.inuseBytes) ?? 0,
    allocShare: ratio(v.allocBytes, totals.allocBytes) ?? 0,
  };
}

