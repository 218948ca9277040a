import { sortFindings, type Evidence, type Finding, type Severity } from '../finding.js';
import { growthFindings } from '../heap/findings.js';
import { fit } from '../heap/trend.js';
import type { HeapTrend, Series } from '../heap/types.js';
import { monotonicity, rSquared, theilSen } from '../stats.js';
import type { HistoryAnalysis, HistoryPoint, HistorySite, SiteValues, TargetHistory } from './types.js';

export type * from './types.js';

/**
 * Findings over a stored history, per target: heap growth per allocation
 * site (the heap doctor's own growth rules, over the whole stored span),
 * goroutine growth, a rising GC CPU share, and allocation hot spots that
 * are new or much hotter in the later half than in the earlier one.
 *
 * Series are averaged into at most MAX_POINTS buckets of consecutive
 * snapshots before fitting: a day of minutely snapshots is 1,440 points,
 * Theil–Sen over them per site costs seconds, and a trend over hours needs
 * no minute-level detail (averaging also smooths GC sawtooth).
 */
export const MAX_POINTS = 60;

export const HISTORY_THRESHOLDS = {
  /** Goroutines more at the end than at the start, and by this share, on a steady climb. */
  goroutineMinRise: 20,
  goroutineMinShare: 0.25,
  goroutineConfidence: 0.6,
  /** Rise of the runtime's cumulative GC CPU share over the span (points of a fraction), and its level at the end. */
  gcCpuMinRise: 0.01,
  gcCpuMinLevel: 0.02,
  gcCpuMedium: 0.1,
  /** A hot spot allocates this much per minute in the later half … */
  hotMinBytesPerMinute: 1 << 20,
  /** … at least this many times its earlier rate … */
  hotMinRatio: 4,
  /** … and this share of everything allocated in the later half. */
  hotMinShare: 0.05,
  hotMedium: 0.2,
  hotTop: 5,
} as const;

const T = HISTORY_THRESHOLDS;

export function analyzeHistory(histories: readonly TargetHistory[]): HistoryAnalysis {
  const findings: Finding[] = [];
  for (const h of histories) {
    const tag = (f: Finding): Finding => ({ ...f, evidence: [{ label: 'target', value: h.target }, ...f.evidence] });
    for (const f of [...heapFindings(h), ...goroutineFindings(h), ...gcFindings(h), ...hotSpotFindings(h)]) findings.push(tag(f));
  }
  return {
    targets: histories.map((h) => ({
      target: h.target,
      snapshots: h.points.length,
      from: new Date(h.points[0]?.atMs ?? 0).toISOString(),
      to: new Date(h.points.at(-1)?.atMs ?? 0).toISOString(),
    })),
    findings: sortFindings(findings),
  };
}

/** Consecutive points in at most `max` groups of near-equal size. */
export function buckets<T>(points: readonly T[], max = MAX_POINTS): T[][] {
  const n = Math.min(max, points.length);
  const out: T[][] = [];
  for (let b = 0; b < n; b++) out.push(points.slice(Math.floor((b * points.length) / n), Math.floor(((b + 1) * points.length) / n)));
  return out;
}

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const minutesOf = (groups: readonly HistoryPoint[][]) => groups.map((g) => (mean(g.map((p) => p.atMs)) - groups[0]![0]!.atMs) / 60_000);

/** The heap doctor's growth findings over per-site series of the stored heap profiles. */
function heapFindings(h: TargetHistory): Finding[] {
  const groups = buckets(h.points.filter((p) => p.heap !== undefined));
  if (groups.length < 2) return [];
  const xs = minutesOf(groups);
  const series = new Map<number, Series>();
  groups.forEach((g, b) => {
    for (const p of g) {
      for (const [site, v] of p.heap!) {
        let s = series.get(site);
        if (!s) series.set(site, (s = emptySeries(h.sites.get(site), groups.length)));
        add(s, b, v, 1 / g.length);
      }
    }
  });
  const total = emptySeries({ function: '(total)' }, groups.length);
  for (const s of series.values()) for (let b = 0; b < groups.length; b++) add(total, b, [s.inuseBytes[b]!, s.inuseObjects[b]!, s.allocBytes[b]!, s.allocObjects[b]!], 1);
  const trend: HeapTrend = {
    snapshots: groups.map((g) => ({ source: `snapshot ${g[0]!.snapshot}`, atMs: g[0]!.atMs })),
    spanMinutes: xs.at(-1)!,
    total: { ...total, ...fit(xs, total) },
    sites: [...series.values()].map((s) => ({ ...s, ...fit(xs, s) })).sort((a, b) => b.bytesPerMinute - a.bytesPerMinute),
    stacks: [],
  };
  return growthFindings(trend);
}

function emptySeries(site: HistorySite | undefined, n: number): Series {
  const zeros = () => new Array<number>(n).fill(0);
  return { ...(site ?? { function: '?' }), inuseBytes: zeros(), inuseObjects: zeros(), allocBytes: zeros(), allocObjects: zeros() };
}

function add(s: Series, b: number, v: SiteValues, weight: number): void {
  s.inuseBytes[b]! += v[0] * weight;
  s.inuseObjects[b]! += v[1] * weight;
  s.allocBytes[b]! += v[2] * weight;
  s.allocObjects[b]! += v[3] * weight;
}

/** A steady climb of a bucketed series: slope per minute, confidence (monotonicity × R²), first and last. */
function climb(points: readonly HistoryPoint[], value: (p: HistoryPoint) => number): { perMinute: number; confidence: number; first: number; last: number; minutes: number } {
  const groups = buckets(points);
  const xs = minutesOf(groups);
  const ys = groups.map((g) => mean(g.map(value)));
  return { perMinute: theilSen(xs, ys), confidence: monotonicity(ys) * rSquared(xs, ys), first: ys[0]!, last: ys.at(-1)!, minutes: xs.at(-1)! };
}

function goroutineFindings(h: TargetHistory): Finding[] {
  const points = h.points.filter((p) => p.goroutines !== undefined);
  if (points.length < 3) return [];
  const c = climb(points, (p) => p.goroutines!);
  const rise = c.last - c.first;
  if (c.perMinute <= 0 || c.confidence < T.goroutineConfidence || rise < T.goroutineMinRise || rise < T.goroutineMinShare * c.first) return [];
  return [
    {
      kind: 'goroutine-leak',
      severity: c.first > 0 && rise >= c.first ? 'high' : 'medium',
      title: `Goroutines climbed steadily over the stored history: ${Math.round(c.first)} → ${Math.round(c.last)}`,
      evidence: [
        { label: 'goroutines at the start', value: Math.round(c.first), unit: 'goroutines' },
        { label: 'goroutines at the end', value: Math.round(c.last), unit: 'goroutines' },
        { label: 'growth per hour', value: c.perMinute * 60, unit: 'goroutines' },
        { label: 'over', value: c.minutes * 60e9, unit: 'ns' },
        { label: 'steadiness (monotonicity × R²)', value: c.confidence, unit: 'ratio' },
        { label: 'snapshots', value: points.length, unit: 'count' },
      ],
      advice:
        'Goroutines that are started and never end: compare a goroutine profile from the start with one from the end ' +
        '(footprint goroutines DEST#FIRST:goroutine DEST#LAST:goroutine) to see which stacks grew, ' +
        'then give them a way to finish (a context, a closed channel, a timeout).',
    },
  ];
}

/**
 * The runtime's GCCPUFraction is an average since the process started, so
 * when it rises over hours, GC takes a larger share now than it did on
 * average before. Cycles per minute in each half say how much more often.
 */
function gcFindings(h: TargetHistory): Finding[] {
  const points = h.points.filter((p) => p.gcCpuFraction !== undefined);
  if (points.length < 3) return [];
  const first = points[0]!;
  const last = points.at(-1)!;
  const rise = last.gcCpuFraction! - first.gcCpuFraction!;
  if (rise < T.gcCpuMinRise || last.gcCpuFraction! < T.gcCpuMinLevel) return [];
  const mid = points[Math.floor(points.length / 2)]!;
  const evidence: Evidence[] = [
    { label: 'GC CPU share since start, at the first snapshot', value: first.gcCpuFraction!, unit: 'fraction' },
    { label: 'GC CPU share since start, at the last snapshot', value: last.gcCpuFraction!, unit: 'fraction' },
    { label: 'over', value: (last.atMs - first.atMs) * 1e6, unit: 'ns' },
    ...cyclesPerMinute('GC cycles per minute, earlier half', first, mid),
    ...cyclesPerMinute('GC cycles per minute, later half', mid, last),
  ];
  const severity: Severity = last.gcCpuFraction! >= T.gcCpuMedium ? 'medium' : 'low';
  return [
    {
      kind: 'gc-pressure',
      severity,
      title: `GC CPU share rising over the stored history: ${(first.gcCpuFraction! * 100).toFixed(1)}% → ${(last.gcCpuFraction! * 100).toFixed(1)}% since start`,
      evidence,
      advice:
        'GC runs more as the live heap grows or allocation speeds up: look at the heap-growth and allocation findings here first; ' +
        'otherwise footprint gc on a gctrace log of the service shows what GOGC or GOMEMLIMIT would change.',
    },
  ];
}

function cyclesPerMinute(label: string, a: HistoryPoint, b: HistoryPoint): Evidence[] {
  const minutes = (b.atMs - a.atMs) / 60_000;
  if (a.numGc === undefined || b.numGc === undefined || minutes <= 0) return [];
  return [{ label, value: (b.numGc - a.numGc) / minutes, unit: 'count' }];
}

/** Sites allocating much faster in the later half of the history than in the earlier one (allocs deltas). */
function hotSpotFindings(h: TargetHistory): Finding[] {
  const points = h.points.filter((p) => p.allocs !== undefined && p.intervalMs > 0);
  if (points.length < 4) return [];
  const half = Math.floor(points.length / 2);
  const earlier = rates(points.slice(0, half));
  const later = rates(points.slice(half));
  let laterTotal = 0;
  for (const r of later.values()) laterTotal += r;
  const hot: { site: number; rate: number; before: number }[] = [];
  for (const [site, rate] of later) {
    const before = earlier.get(site) ?? 0;
    if (rate >= T.hotMinBytesPerMinute && rate >= T.hotMinRatio * before && rate >= T.hotMinShare * laterTotal) hot.push({ site, rate, before });
  }
  hot.sort((a, b) => b.rate - a.rate);
  const split = points[half]!.atMs;
  return hot.slice(0, T.hotTop).map(({ site, rate, before }) => {
    const s = h.sites.get(site) ?? { function: '?' };
    const share = laterTotal > 0 ? rate / laterTotal : 0;
    return {
      kind: 'allocation-churn',
      severity: share >= T.hotMedium ? 'medium' : 'low',
      title: `${before === 0 ? 'New allocation hot spot' : 'Allocation hot spot much hotter'} in the later half of the history: ${s.function}${s.line !== undefined ? `:${s.line}` : ''}`,
      location: { function: s.function, ...(s.file !== undefined ? { file: s.file } : {}), ...(s.line !== undefined ? { line: s.line } : {}) },
      evidence: [
        { label: 'allocated per minute, later half', value: rate, unit: 'bytes/min' },
        { label: 'allocated per minute, earlier half', value: before, unit: 'bytes/min' },
        { label: 'share of the later half\'s allocation', value: share, unit: 'fraction' },
        { label: 'later half from', value: new Date(split).toISOString() },
        ...(s.via !== undefined ? [{ label: 'allocated inside', value: s.via }] : []),
      ],
      advice:
        'Something started allocating here that did not before (a new code path, more traffic of one kind, a cache that stopped hitting): ' +
        'footprint top --sample_index=alloc_space on a later stored allocs delta (DEST#ID:allocs) shows the stacks; reuse buffers or allocate once per request.',
    };
  });
}

/** Bytes allocated per minute per site over these deltas. */
function rates(points: readonly HistoryPoint[]): Map<number, number> {
  const sums = new Map<number, number>();
  let minutes = 0;
  for (const p of points) {
    minutes += p.intervalMs / 60_000;
    for (const [site, v] of p.allocs!) sums.set(site, (sums.get(site) ?? 0) + v[2]);
  }
  for (const [site, bytes] of sums) sums.set(site, minutes > 0 ? bytes / minutes : 0);
  return sums;
}
