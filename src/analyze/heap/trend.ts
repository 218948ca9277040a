import type { Profile } from '../../model/profile.js';
import { heapColumns, siteOf } from './sites.js';
import { sampleValue } from '../../model/profile.js';
import { monotonicity, rSquared, theilSen } from '../stats.js';
import type { Fit, HeapTrend, Series, SiteGranularity, Snapshot } from './types.js';

const TOP_STACKS = 50;

/** Orders snapshots by their collection time (ties, and snapshots without one, keep the order they were given in). */
export function orderSnapshots(snapshots: readonly Snapshot[]): Snapshot[] {
  if (snapshots.some((s) => s.atMs === null)) return [...snapshots];
  return [...snapshots].sort((a, b) => a.atMs! - b.atMs!);
}

/**
 * Why the snapshots' times cannot be the trend's axis, or undefined when
 * they can: every one needs a time, and no two the same one — growth between
 * profiles of one instant has no rate. Growth is then per snapshot.
 */
export function noRateReason(snapshots: readonly Snapshot[]): string | undefined {
  if (snapshots.length < 2) return undefined;
  if (snapshots.some((s) => s.atMs === null)) return 'some profiles carry no timestamp (debug=1 text)';
  const times = new Set(snapshots.map((s) => s.atMs));
  if (times.size < snapshots.length) {
    return times.size === 1 ? 'every profile carries the same timestamp' : `only ${times.size} different timestamps among ${snapshots.length} profiles`;
  }
  return undefined;
}

export function heapTrend(ordered: readonly Snapshot[]): HeapTrend {
  const timed = noRateReason(ordered) === undefined;
  const xs = ordered.map((s, i) => (timed ? (s.atMs! - ordered[0]!.atMs!) / 60_000 : i));
  const sites = collect(ordered, (p, i) => siteOf(p, i, 'line'));
  const stacks = collect(ordered, stackKey);
  const total = { function: '(total)', ...sumSeries([...sites.values()], ordered.length) };
  const fitAll = (m: Map<string, Series>) => [...m.values()].map((s) => ({ ...s, ...fit(xs, s) })).sort(bySlope);
  return {
    snapshots: ordered.map(({ source, atMs }) => ({ source, atMs })),
    spanMinutes: timed ? xs.at(-1)! : null,
    total: { ...total, ...fit(xs, total) },
    sites: fitAll(sites),
    stacks: fitAll(stacks).slice(0, TOP_STACKS),
  };
}

function bySlope(a: Fit, b: Fit): number {
  return b.bytesPerMinute - a.bytesPerMinute;
}

type KeyOf = (p: Profile, sample: number) => { key: string; function: string; file?: string; line?: number; stack?: string[] };

/**
 * The inuse series of every key across snapshots. A key absent from a
 * snapshot had nothing in use there (0), which is what a stack that appears
 * or vanishes means in a heap profile.
 */
function collect(snapshots: readonly Snapshot[], keyOf: KeyOf): Map<string, Series> {
  const out = new Map<string, Series>();
  snapshots.forEach((snap, n) => {
    const p = snap.profile;
    const cols = heapColumns(p);
    for (let i = 0; i < p.samples.count; i++) {
      const k = keyOf(p, i);
      let s = out.get(k.key);
      if (!s) {
        const { key: _key, ...where } = k;
        const zeros = () => new Array<number>(snapshots.length).fill(0);
        out.set(k.key, (s = { ...where, inuseBytes: zeros(), inuseObjects: zeros(), allocBytes: zeros(), allocObjects: zeros() }));
      }
      s.inuseBytes[n]! += sampleValue(p, i, cols.inuseBytes);
      s.inuseObjects[n]! += sampleValue(p, i, cols.inuseObjects);
      s.allocBytes[n]! += sampleValue(p, i, cols.allocBytes);
      s.allocObjects[n]! += sampleValue(p, i, cols.allocObjects);
    }
  });
  return out;
}

function stackKey(p: Profile, i: number): { key: string; function: string; file?: string; line?: number; stack: string[] } {
  const site = siteOf(p, i, 'line');
  const frames: string[] = [];
  const { locStart, locCount } = p.samples;
  for (let s = locStart[i]!; s < locStart[i]! + locCount[i]!; s++) {
    const loc = p.stacks[s]!;
    const first = p.locations.lineStart[loc]!;
    for (let l = first; l < first + p.locations.lineCount[loc]!; l++) {
      const f = p.lines.function[l]!;
      frames.push(f < 0 ? '?' : `${p.strings[p.functions.name[f]!]}:${p.lines.line[l]}`);
    }
  }
  return { key: frames.join('\n'), function: site.function, file: site.file, line: site.line, stack: frames };
}

type Counts = Pick<Series, 'inuseBytes' | 'inuseObjects' | 'allocBytes' | 'allocObjects'>;
const COUNTS = ['inuseBytes', 'inuseObjects', 'allocBytes', 'allocObjects'] as const;

function sumSeries(series: readonly Series[], n: number): Counts {
  const out = Object.fromEntries(COUNTS.map((c) => [c, new Array<number>(n).fill(0)])) as Counts;
  for (const s of series) for (const c of COUNTS) for (let i = 0; i < n; i++) out[c][i]! += s[c][i]!;
  return out;
}

export function fit(xs: readonly number[], s: Pick<Series, 'inuseBytes' | 'inuseObjects'>): Fit {
  const mono = monotonicity(s.inuseBytes);
  const r2 = rSquared(xs, s.inuseBytes);
  return {
    bytesPerMinute: theilSen(xs, s.inuseBytes),
    objectsPerMinute: theilSen(xs, s.inuseObjects),
    monotonicity: mono,
    rSquared: r2,
    confidence: mono * r2,
    objectsConfidence: monotonicity(s.inuseObjects) * rSquared(xs, s.inuseObjects),
    relativeGrowth: relative(s.inuseBytes),
    relativeObjectGrowth: relative(s.inuseObjects),
  };
}

function relative(ys: readonly number[]): number {
  const first = ys[0] ?? 0;
  const last = ys.at(-1) ?? 0;
  if (first <= 0) return last > 0 ? Infinity : 0;
  return (last - first) / first;
}

/** Allocation rate per minute between the first and last snapshot (alloc_* counts since start), or null. */
export function allocationRates(ordered: readonly Snapshot[], granularity: SiteGranularity): Map<string, { bytesPerMinute: number; objectsPerMinute: number }> | null {
  if (ordered.length < 2 || ordered.some((s) => s.atMs === null)) return null;
  const minutes = (ordered.at(-1)!.atMs! - ordered[0]!.atMs!) / 60_000;
  if (minutes <= 0) return null;
  const at = (snap: Snapshot) => {
    const p = snap.profile;
    const cols = heapColumns(p);
    const m = new Map<string, [number, number]>();
    for (let i = 0; i < p.samples.count; i++) {
      const k = siteOf(p, i, granularity).key;
      const v = m.get(k) ?? [0, 0];
      v[0] += sampleValue(p, i, cols.allocBytes);
      v[1] += sampleValue(p, i, cols.allocObjects);
      m.set(k, v);
    }
    return m;
  };
  const first = at(ordered[0]!);
  const last = at(ordered.at(-1)!);
  const rates = new Map<string, { bytesPerMinute: number; objectsPerMinute: number }>();
  for (const [k, [b, o]] of last) {
    const [b0, o0] = first.get(k) ?? [0, 0];
    rates.set(k, { bytesPerMinute: (b - b0) / minutes, objectsPerMinute: (o - o0) / minutes });
  }
  return rates;
}
