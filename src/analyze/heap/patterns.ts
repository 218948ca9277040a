import { sampleValue, type Profile } from '../../model/profile.js';
import { formatBytes, formatCount, formatFraction } from '../../model/units.js';
import type { Finding, Severity } from '../finding.js';
import { isUserFunction } from '../go-names.js';
import { sampleFrames, type Frame } from '../stacks.js';
import { heapColumns, heapTotals } from './sites.js';

/**
 * The seed's pool and init patterns, read from where a heap profile's
 * samples were allocated:
 * - pool-miss: a sync.Pool's New runs for most Gets. A pool that gets its
 *   objects back calls New only to refill what a GC took (the pool keeps
 *   its objects for one more cycle, in its victim cache), a handful per P
 *   per cycle; one whose objects are never Put calls it on every Get.
 *   Thresholds: New allocates ≥ 64 objects per GC cycle (when the number
 *   of cycles is known, from MemStats), and ≥ 10% of the program's
 *   allocated bytes; high from 100 MB/s when a rate is known.
 * - pool-oversized: a function that takes objects from a pool also grows
 *   buffers (bytes.Buffer, strings.Builder, append) that stay in use,
 *   averaging ≥ 256 KiB and holding ≥ 1 MiB, and ≥ 25% of what it grew is
 *   still in use: the pool keeps what a rare large request grew and hands
 *   it out again, so it grows rarely. A function that drops big buffers
 *   grows one for every big request, and keeps few (5% on the zoo's
 *   poolcapped against 50% on poolbig).
 * - init-retention: in-use heap allocated while packages were initialised
 *   (runtime.doInit / PKG.init) — package-level tables built before main —
 *   ≥ 8 MiB or ≥ 10% of the heap (and ≥ 1 MiB); high from 30% of the heap.
 *   The seed's cross-check: allocated once, never freed (inuse objects ≥ 90%
 *   of those allocated there).
 */
export const PATTERN_THRESHOLDS = {
  poolMissPerCycle: 64,
  poolMissShare: 0.1,
  poolMissHighBytesPerSecond: 100e6,
  poolOversizedAvgBytes: 256 << 10,
  poolOversizedMinBytes: 1 << 20,
  poolOversizedKept: 0.25,
  initMinBytes: 8 << 20,
  initShare: 0.1,
  initShareMinBytes: 1 << 20,
  initHighShare: 0.3,
  initKept: 0.9,
} as const;

const T = PATTERN_THRESHOLDS;
const POOL_GET = 'sync.(*Pool).Get';
const POOL_PUT = 'sync.(*Pool).Put';
/** Where a buffer's backing array is grown (the runtime's growslice under append). */
const GROWTH = /^(?:bytes\.growSlice|bytes\.\(\*Buffer\)\.grow|strings\.\(\*Builder\)\.grow|runtime\.growslice)$/;
/** Package initialisation: the runtime's init driver, or a package's init function (package-level variables are initialised in it). */
const INIT_DRIVER = /^runtime\.doInit1?$/;
const INIT_FUNCTION = /\.init(?:\.\d+)?(?:\.func\d+)*$/;

export interface PatternContext {
  /** GC cycles over the span the profile's alloc_ columns cover (cumulative: MemStats NumGC), when known. */
  gcCycles?: number;
  /** Seconds the alloc_ columns cover, when known (for a rate). */
  seconds?: number;
}

export function patternFindings(p: Profile, ctx: PatternContext = {}): Finding[] {
  return [...poolMisses(p, ctx), ...poolOversized(p), ...initRetention(p)];
}

interface Tally {
  inuseBytes: number;
  inuseObjects: number;
  allocBytes: number;
  allocObjects: number;
}

const tally = (): Tally => ({ inuseBytes: 0, inuseObjects: 0, allocBytes: 0, allocObjects: 0 });

/** Sums the four columns per key, over the samples `keyOf` gives a key for. */
function tallyBy<K>(p: Profile, keyOf: (frames: Frame[]) => K | undefined, id: (k: K) => string): Map<string, { key: K; t: Tally }> {
  const cols = heapColumns(p);
  const out = new Map<string, { key: K; t: Tally }>();
  for (let i = 0; i < p.samples.count; i++) {
    const key = keyOf(sampleFrames(p, i));
    if (key === undefined) continue;
    const k = id(key);
    let e = out.get(k);
    if (!e) out.set(k, (e = { key, t: tally() }));
    e.t.inuseBytes += sampleValue(p, i, cols.inuseBytes);
    e.t.inuseObjects += sampleValue(p, i, cols.inuseObjects);
    e.t.allocBytes += sampleValue(p, i, cols.allocBytes);
    e.t.allocObjects += sampleValue(p, i, cols.allocObjects);
  }
  return out;
}

/** The first program frame on the leaf side of `at` (the pool's New) and on the root side (who called Get). */
function around(frames: readonly Frame[], at: number): { inner?: Frame; outer?: Frame } {
  const inner = frames.slice(0, at).reverse().find((f) => isUserFunction(f.function));
  const outer = frames.slice(at + 1).find((f) => isUserFunction(f.function));
  return { ...(inner ? { inner } : {}), ...(outer ? { outer } : {}) };
}

function poolMisses(p: Profile, ctx: PatternContext): Finding[] {
  const total = heapTotals(p).allocBytes;
  const byCaller = tallyBy(
    p,
    (frames) => {
      const at = frames.findIndex((f) => f.function === POOL_GET);
      if (at < 0) return undefined;
      // Without a program frame inside Get, the allocation is the pool's own bookkeeping (pinSlow's per-P array), not New.
      const { inner, outer } = around(frames, at);
      return outer && inner ? { caller: outer, newFn: inner.function } : undefined;
    },
    (k) => `${k.caller.function}\0${k.newFn}`,
  );
  const out: Finding[] = [];
  for (const { key, t } of byCaller.values()) {
    const perCycle = ctx.gcCycles ? t.allocObjects / ctx.gcCycles : undefined;
    const share = total > 0 ? t.allocBytes / total : 0;
    if (share < T.poolMissShare || (perCycle !== undefined && perCycle < T.poolMissPerCycle)) continue;
    const rate = ctx.seconds ? t.allocBytes / ctx.seconds : undefined;
    const severity: Severity = rate !== undefined && rate >= T.poolMissHighBytesPerSecond ? 'high' : 'medium';
    const newFn = key.newFn;
    out.push({
      kind: 'pool-miss',
      severity,
      title: `${key.caller.function} gets objects from a sync.Pool whose New (${newFn}) runs for most of them: ${formatFraction(share)} of all allocated bytes`,
      location: { function: key.caller.function, file: key.caller.file, line: key.caller.line },
      evidence: [
        { label: 'allocated by New under sync.(*Pool).Get', value: t.allocBytes, unit: 'bytes' },
        { label: 'objects allocated by New', value: t.allocObjects, unit: 'objects' },
        ...(perCycle !== undefined ? [{ label: 'New objects per GC cycle', value: perCycle, unit: 'count' as const }] : []),
        ...(rate !== undefined ? [{ label: 'allocated by New per second', value: rate, unit: 'bytes/s' as const }] : []),
        { label: 'New function', value: newFn },
      ],
      advice:
        `A pool saves allocations only when objects come back: ${key.caller.function} must Put what it Gets when it is done ` +
        '(defer pool.Put(x) right after Get, Reset first). A pool that held one object at a time wants a plain variable ' +
        'or atomic.Value instead; a pool emptied by every GC is too small a saving to keep.',
    });
  }
  return out;
}

function poolOversized(p: Profile): Finding[] {
  const pooling = new Set<string>();
  for (let i = 0; i < p.samples.count; i++) {
    const frames = sampleFrames(p, i);
    const at = frames.findIndex((f) => f.function === POOL_GET || f.function === POOL_PUT);
    if (at < 0) continue;
    const { outer } = around(frames, at);
    if (outer) pooling.add(outer.function);
  }
  if (pooling.size === 0) return [];
  const grown = tallyBy(
    p,
    (frames) => {
      const at = frames.findIndex((f) => GROWTH.test(f.function));
      if (at < 0) return undefined;
      const { outer } = around(frames, at);
      return outer && pooling.has(outer.function) ? outer : undefined;
    },
    (f) => f.function,
  );
  const heap = heapTotals(p).inuseBytes;
  const out: Finding[] = [];
  for (const { key: f, t } of grown.values()) {
    const avg = t.inuseObjects > 0 ? t.inuseBytes / t.inuseObjects : 0;
    const kept = t.allocBytes > 0 ? t.inuseBytes / t.allocBytes : 1;
    if (t.inuseBytes < T.poolOversizedMinBytes || avg < T.poolOversizedAvgBytes || kept < T.poolOversizedKept) continue;
    out.push({
      kind: 'pool-oversized',
      severity: heap > 0 && t.inuseBytes / heap >= T.initShare ? 'high' : 'medium',
      title: `${f.function} pools buffers and some grew large: ${formatCount(Math.round(t.inuseObjects))} of ~${formatBytes(avg)} stay in use (${formatBytes(t.inuseBytes)})`,
      location: { function: f.function, file: f.file, line: f.line },
      evidence: [
        { label: 'inuse in grown buffers', value: t.inuseBytes, unit: 'bytes' },
        { label: 'average grown buffer', value: avg, unit: 'bytes' },
        { label: 'share of the heap', value: heap > 0 ? t.inuseBytes / heap : 0, unit: 'fraction' },
        { label: 'still in use of what was grown', value: kept, unit: 'fraction' },
      ],
      advice:
        'A pool keeps whatever is Put back, so one large request leaves a large buffer that every later Get hands out. ' +
        'Cap the size before Put (if b.Cap() > 64<<10 { return } — drop it instead), and Reset state; keep separate pools per size class if big ones are common.',
    });
  }
  return out;
}

function initRetention(p: Profile): Finding[] {
  const heap = heapTotals(p).inuseBytes;
  const byInit = tallyBy(
    p,
    (frames) => {
      const driver = frames.findIndex((f) => INIT_DRIVER.test(f.function));
      const init = frames.findIndex((f) => INIT_FUNCTION.test(f.function) && isUserFunction(f.function));
      if (driver < 0 && init < 0) return undefined;
      const limit = init >= 0 ? init : driver;
      // The initialiser: the program's innermost frame at or inside the package's init.
      const site = frames.slice(0, limit + 1).find((f) => isUserFunction(f.function)) ?? frames[limit];
      return site ? { site, init: init >= 0 ? frames[init]!.function : undefined } : undefined;
    },
    (k) => k.site.function,
  );
  const out: Finding[] = [];
  for (const { key, t } of byInit.values()) {
    const share = heap > 0 ? t.inuseBytes / heap : 0;
    const big = t.inuseBytes >= T.initMinBytes || (share >= T.initShare && t.inuseBytes >= T.initShareMinBytes);
    const kept = t.allocObjects > 0 ? t.inuseObjects / t.allocObjects : 1;
    if (!big || kept < T.initKept) continue;
    out.push({
      kind: 'init-retention',
      severity: share >= T.initHighShare ? 'high' : 'medium',
      title: `${formatBytes(t.inuseBytes)} built while packages were initialised, at ${key.site.function}, is held for the life of the process (${formatFraction(share)} of the heap)`,
      location: { function: key.site.function, file: key.site.file, line: key.site.line },
      evidence: [
        { label: 'inuse', value: t.inuseBytes, unit: 'bytes' },
        { label: 'inuse objects', value: Math.round(t.inuseObjects), unit: 'objects' },
        { label: 'share of the heap', value: share, unit: 'fraction' },
        { label: 'still in use of what was allocated there', value: kept, unit: 'fraction' },
        ...(key.init ? [{ label: 'initialised by', value: key.init }] : []),
      ],
      advice:
        'A package-level variable initialised with a big table is built before main and kept whether requests need it or not. ' +
        'Build it on first use (sync.OnceValue), shrink it (smaller types, a sorted slice instead of a map), or ship the data ' +
        'with //go:embed and decode only what is asked for.',
    });
  }
  return out;
}
