import { formatBytes, formatChange, formatCount, formatFraction } from '../../model/units.js';
import type { Evidence, Finding, Severity } from '../finding.js';
import type { HeapSite, HeapTrend, SiteRate, TrendSeries } from './types.js';

/**
 * Thresholds, and why:
 * - Growth needs ≥ 3 snapshots, a series that mostly climbs and fits a line
 *   (monotonicity × R² ≥ 0.6: heap profiles are published at GC, so values
 *   hold flat between GCs and step up; noise from GC timing drops the fit
 *   well below that), and an absolute rise worth a look: ≥ 1 MiB and ≥ 5% of
 *   the heap, and ≥ 0.5% of what the site allocated meanwhile: a site that
 *   keeps almost nothing of what it allocates (buffers in flight) rises and
 *   falls with the moment of the GC, which is not growth. High when the
 *   site grew by half or more across the snapshots.
 * - Small objects: an average inuse object of ≤ 256 B is the size of a map
 *   entry or a small struct; growth made of those costs GC work per object,
 *   and the fix differs from a byte-heavy leak. Their count must climb with
 *   the same confidence, by ≥ 10,000 objects and ≥ 20%, bytes or not, and
 *   keep ≥ 0.5% of the objects the site allocated meanwhile.
 * - Large objects retained: ≥ 8 MiB and ≥ 10% of the heap held in objects
 *   averaging ≥ 64 KiB — few, big, kept: buffers pinned by a sub-slice or a
 *   cache of buffers. High from 30% of the heap.
 * - Churn: ≥ 10% of everything allocated, and ≤ 5% of it still live. Its
 *   cost is the rate: ≥ 100 MB/s or ≥ 500k objects/s keeps the GC and the
 *   allocator busy (high); ≥ 10 MB/s or ≥ 50k objects/s is worth fixing
 *   (medium). Without two timed snapshots the rate is unknown (low, or
 *   medium at ≥ 30% of all allocation).
 */
export const HEAP_THRESHOLDS = {
  minSnapshots: 3,
  growthConfidence: 0.6,
  growthMinBytes: 1 << 20,
  growthMinShare: 0.05,
  growthHigh: 0.5,
  growthMinKept: 0.005,
  smallObjectBytes: 256,
  objectGrowthMinCount: 10_000,
  objectGrowthMinShare: 0.2,
  largeObjectBytes: 64 << 10,
  largeRetainedMinBytes: 8 << 20,
  largeRetainedShare: 0.1,
  largeRetainedHigh: 0.3,
  churnShare: 0.1,
  churnMaxRetention: 0.05,
  churnHighBytesPerSecond: 100e6,
  churnHighObjectsPerSecond: 500e3,
  churnMediumBytesPerSecond: 10e6,
  churnMediumObjectsPerSecond: 50e3,
  churnUntimedMediumShare: 0.3,
} as const;

const T = HEAP_THRESHOLDS;

const where = (s: { function: string; file?: string; line?: number }) => ({
  function: s.function,
  ...(s.file !== undefined ? { file: s.file } : {}),
  ...(s.line !== undefined ? { line: s.line } : {}),
});
const at = (s: { function: string; line?: number }) => `${s.function}${s.line !== undefined ? `:${s.line}` : ''}`;

/** The library frame that did the allocating for the program's line, kept as evidence. */
function viaEvidence(s: { via?: string }): Evidence[] {
  return s.via !== undefined ? [{ label: 'allocated inside', value: s.via }] : [];
}

/** Growth findings from the trend: heap-growth, or small-object-accumulation when the growth is tiny objects. */
export function growthFindings(trend: HeapTrend): Finding[] {
  if (trend.snapshots.length < T.minSnapshots) return [];
  const heap = trend.total.inuseBytes.at(-1) ?? 0;
  const perMinute = trend.spanMinutes !== null;
  const out: Finding[] = [];
  for (const s of trend.sites) {
    const kind = growthKind(s, heap);
    if (kind) out.push(growthFinding(s, kind, perMinute));
  }
  return out;
}

/**
 * `heap-growth` when the bytes climb by a worthwhile amount, whatever the
 * object size (the size goes in the evidence and the advice); else
 * `small-object-accumulation` when, for small objects, the count climbs
 * while the bytes hold — a map's table being reallocated swings the bytes,
 * not the count: "inuse stable while objects climb".
 */
function growthKind(s: TrendSeries, heap: number): 'heap-growth' | 'small-object-accumulation' | undefined {
  const rise = (s.inuseBytes.at(-1) ?? 0) - (s.inuseBytes[0] ?? 0);
  const allocated = (s.allocBytes.at(-1) ?? 0) - (s.allocBytes[0] ?? 0);
  const kept = allocated > 0 ? rise / allocated : 1;
  if (s.confidence >= T.growthConfidence && s.bytesPerMinute > 0 && rise >= T.growthMinBytes && rise >= T.growthMinShare * heap && kept >= T.growthMinKept) return 'heap-growth';
  const first = s.inuseObjects[0] ?? 0;
  const objectRise = (s.inuseObjects.at(-1) ?? 0) - first;
  const objectsAllocated = (s.allocObjects.at(-1) ?? 0) - (s.allocObjects[0] ?? 0);
  const objectsGrow =
    s.objectsConfidence >= T.growthConfidence &&
    s.objectsPerMinute > 0 &&
    avgSize(s) <= T.smallObjectBytes &&
    objectRise >= T.objectGrowthMinCount &&
    objectRise >= T.objectGrowthMinShare * first &&
    (objectsAllocated <= 0 || objectRise / objectsAllocated >= T.growthMinKept);
  return objectsGrow ? 'small-object-accumulation' : undefined;
}

function avgSize(s: TrendSeries): number {
  const objects = s.inuseObjects.at(-1) ?? 0;
  return objects > 0 ? (s.inuseBytes.at(-1) ?? 0) / objects : 0;
}

function growthFinding(s: TrendSeries, kind: 'heap-growth' | 'small-object-accumulation', perMinute: boolean): Finding {
  const small = avgSize(s) <= T.smallObjectBytes;
  const unit = perMinute ? 'per minute' : 'per snapshot';
  const first = s.inuseBytes[0] ?? 0;
  const last = s.inuseBytes.at(-1) ?? 0;
  const severity: Severity =
    s.relativeGrowth >= T.growthHigh || (kind === 'small-object-accumulation' && s.relativeObjectGrowth >= T.growthHigh) ? 'high' : 'medium';
  const evidence: Evidence[] = [
    { label: 'inuse at the first snapshot', value: first, unit: 'bytes' },
    { label: 'inuse at the last snapshot', value: last, unit: 'bytes' },
    { label: `growth ${unit}`, value: s.bytesPerMinute, unit: perMinute ? 'bytes/min' : 'bytes' },
    { label: 'inuse objects at the first snapshot', value: s.inuseObjects[0] ?? 0, unit: 'objects' },
    { label: 'inuse objects at the last snapshot', value: s.inuseObjects.at(-1) ?? 0, unit: 'objects' },
    { label: 'average object', value: avgSize(s), unit: 'bytes' },
    { label: 'confidence (monotonicity × R²)', value: kind === 'heap-growth' ? s.confidence : s.objectsConfidence, unit: 'ratio' },
    ...viaEvidence(s),
  ];
  if (s.function === GOROUTINE_DESCRIPTORS) return goroutineGrowth(s, severity, evidence);
  if (kind === 'small-object-accumulation') {
    return {
      kind: 'small-object-accumulation',
      severity,
      title: `Small objects pile up at ${at(s)}: ${formatChange(s.inuseObjects[0] ?? 0, s.inuseObjects.at(-1) ?? 0, 'objects')} of ~${formatBytes(avgSize(s))}`,
      location: where(s),
      evidence,
      advice:
        'Each retained object is one more for the GC to mark, so many tiny ones cost CPU before they cost memory. ' +
        'Find what keeps them (a map or list keyed per request, per connection, per ID) and prune it (TTL, size cap); ' +
        'where they must stay, store values instead of pointers (map[K]V, []V) or aggregate them.',
    };
  }
  const big = avgSize(s) >= T.largeObjectBytes;
  return {
    kind,
    severity,
    title: `Heap grows at ${at(s)}: ${formatChange(first, last, 'bytes')} (${formatBytes(s.bytesPerMinute)} ${unit})`,
    location: where(s),
    evidence,
    advice: big
      ? 'A few ever-larger objects: a slice that is appended to and never shrinks, e.g. a queue that pops by ' +
        'reslicing (q = q[1:]) while pushes outpace pops. Bound it (a ring buffer or a buffered channel with ' +
        'back-pressure), and copy to a fresh slice when it drains so the old array can be freed.'
      : 'Memory allocated here stays reachable and keeps growing: a map or cache without eviction, a slice that ' +
        'only appends, or per-request state that is never deleted. Give it a bound (LRU, TTL, size cap) or delete ' +
        'entries when their work is done; footprint top --base=OLD NEW on two heap profiles shows the delta.' +
        (small
          ? ` The objects are small (~${formatBytes(avgSize(s))} each), so there are many of them: each is also one more for the GC ` +
            'to mark; store values instead of pointers (map[K]V, []V) where they must stay.'
          : ''),
  };
}

/** Where the runtime allocates a new goroutine's descriptor (g); they are reused, never freed, so their count is the peak goroutine count. */
const GOROUTINE_DESCRIPTORS = 'runtime.malg';

/** Heap growing at runtime.malg: more and more goroutines that never exit. */
function goroutineGrowth(s: TrendSeries, severity: Severity, evidence: Evidence[]): Finding {
  const first = s.inuseObjects[0] ?? 0;
  const last = s.inuseObjects.at(-1) ?? 0;
  return {
    kind: 'goroutine-leak',
    severity,
    title: `Goroutines are created and never exit: goroutine descriptors grow ${formatChange(first, last, 'objects')} (heap at runtime.malg)`,
    location: where(s),
    evidence,
    advice:
      'The heap grows by one goroutine descriptor (runtime.malg) per goroutine that was started and is still alive, ' +
      'besides its stack. The heap profile cannot see the go statement; a goroutine dump can: footprint goroutines on ' +
      '/debug/pprof/goroutine?debug=2 shows where they wait and who started them. Give each goroutine a way to ' +
      'return (a context, a closed channel).',
  };
}

/** Findings one snapshot shows on its own: large retained objects and churn. */
export function siteFindings(sites: readonly HeapSite[], rates: Map<string, SiteRate> | null, growing: ReadonlySet<string>): Finding[] {
  const out: Finding[] = [];
  for (const s of sites) {
    const key = siteKey(s);
    if (!growing.has(key)) {
      const retained = largeRetention(s);
      if (retained) out.push(retained);
    }
    const churned = churn(s, rates?.get(key) ?? null, rates !== null);
    if (churned) out.push(churned);
  }
  return out;
}

export function siteKey(s: { function: string; file?: string; line?: number }): string {
  return s.file === undefined ? s.function : `${s.function}\0${s.file}\0${s.line}`;
}

function largeRetention(s: HeapSite): Finding | undefined {
  if (s.inuseBytes < T.largeRetainedMinBytes || s.inuseShare < T.largeRetainedShare) return undefined;
  if ((s.avgInuseBytes ?? 0) < T.largeObjectBytes) return undefined;
  return {
    kind: 'large-object-retention',
    severity: s.inuseShare >= T.largeRetainedHigh ? 'high' : 'medium',
    title: `${formatCount(Math.round(s.inuseObjects))} large objects (~${formatBytes(s.avgInuseBytes!)} each) hold ${formatBytes(s.inuseBytes)} at ${at(s)}`,
    location: where(s),
    evidence: [
      { label: 'inuse', value: s.inuseBytes, unit: 'bytes' },
      { label: 'share of the heap', value: s.inuseShare, unit: 'fraction' },
      { label: 'inuse objects', value: Math.round(s.inuseObjects), unit: 'objects' },
      { label: 'average object', value: s.avgInuseBytes!, unit: 'bytes' },
      { label: 'retention (inuse / alloc)', value: s.retention ?? 0, unit: 'fraction' },
      ...viaEvidence(s),
    ],
    advice:
      'Few, big objects stay alive. If the program keeps only a small part of each (a header, a token, a ' +
      'substring), that part is a sub-slice that pins the whole buffer: copy it out (bytes.Clone, strings.Clone, ' +
      'append([]byte(nil), b[i:j]...)) before keeping it. If these are cached buffers, bound the cache or pool them.',
  };
}

function churn(s: HeapSite, rate: SiteRate | null, timed: boolean): Finding | undefined {
  if (s.allocShare < T.churnShare || (s.retention ?? 1) > T.churnMaxRetention) return undefined;
  const severity = churnSeverity(s, rate, timed);
  const avg = s.avgAllocBytes ?? 0;
  const evidence: Evidence[] = [
    { label: 'allocated', value: s.allocBytes, unit: 'bytes' },
    { label: 'share of all allocation', value: s.allocShare, unit: 'fraction' },
    { label: 'objects allocated', value: Math.round(s.allocObjects), unit: 'objects' },
    { label: 'average allocation', value: avg, unit: 'bytes' },
    { label: 'still in use', value: s.retention ?? 0, unit: 'fraction' },
    ...viaEvidence(s),
  ];
  if (rate) {
    evidence.push({ label: 'allocation rate', value: rate.bytesPerSecond, unit: 'bytes/s' });
    evidence.push({ label: 'objects per second', value: rate.objectsPerSecond, unit: 'objects/s' });
  }
  return {
    kind: 'allocation-churn',
    severity,
    title: `${at(s)} allocates ${formatFraction(s.allocShare)} of all bytes and keeps almost none (${formatFraction(s.retention ?? 0)})`,
    location: where(s),
    evidence,
    advice: churnAdvice(avg),
  };
}

function churnSeverity(s: HeapSite, rate: SiteRate | null, timed: boolean): Severity {
  if (rate) {
    if (rate.bytesPerSecond >= T.churnHighBytesPerSecond || rate.objectsPerSecond >= T.churnHighObjectsPerSecond) return 'high';
    if (rate.bytesPerSecond >= T.churnMediumBytesPerSecond || rate.objectsPerSecond >= T.churnMediumObjectsPerSecond) return 'medium';
    return 'low';
  }
  return !timed && s.allocShare >= T.churnUntimedMediumShare ? 'medium' : 'low';
}

function churnAdvice(avgBytes: number): string {
  if (avgBytes >= 16 << 10) {
    return `A fresh ${formatBytes(avgBytes)} buffer per call, dropped right after: hoist it out of the loop and reuse it ` +
      '(buf = buf[:0]), keep one per goroutine or worker, or take it from a sync.Pool; bufio and io.CopyBuffer accept ' +
      'a caller-owned buffer.';
  }
  if (avgBytes <= 32) {
    return 'Millions of tiny allocations: typically values converted to interfaces (passing ints, floats or small ' +
      'structs as any, fmt.Sprint, sort.Slice on []any), closures, or []byte↔string conversions in a loop. Use ' +
      'concrete types or generics, strconv.Append* into a reused buffer, and keep the hot loop free of any.';
  }
  return 'Short-lived allocations on a hot path: preallocate slices and maps with their final size, reuse ' +
    'scratch objects across iterations, and avoid building strings that are thrown away.';
}
