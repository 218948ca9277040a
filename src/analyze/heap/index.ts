import type { MemStats } from '../../model/profile.js';
import { sortFindings, type Finding } from '../finding.js';
import { growthFindings, siteFindings, siteKey, type SiteRate } from './findings.js';
import { memoryParts, memStatsBreakdown, memStatsFindings, type MemoryPart, type MemStatsBreakdown } from './memstats.js';
import { heapSites, profilerOnlySites, type HeapSite } from './sites.js';
import { allocationRates, heapTrend, orderSnapshots, type HeapTrend, type Snapshot } from './trend.js';

export type { Snapshot } from './trend.js';

export interface HeapInput {
  /** Heap or allocs profiles of one process, in any order. */
  snapshots: readonly Snapshot[];
  /** MemStats from expvar, when given; otherwise the last debug=1 snapshot's footer is used. */
  memStats?: { source: string; stats: MemStats };
}

export interface HeapAnalysis {
  findings: Finding[];
  /** The cross-reading per line of the latest snapshot, largest inuse first. */
  sites: HeapSite[];
  /** The same per function. */
  functions: HeapSite[];
  memstats?: MemStatsBreakdown & { source: string };
  memory?: MemoryPart[];
  trend?: HeapTrend;
  /** Snapshots in the order analysed; a note when their order could not come from timestamps. */
  order: { sources: string[]; byTime: boolean };
  /** Reasons to doubt the reading, e.g. snapshots from different binaries. */
  warnings: string[];
}

export function analyzeHeap(input: HeapInput): HeapAnalysis {
  const ordered = orderSnapshots(input.snapshots);
  const latest = ordered.at(-1)!;
  const sites = heapSites(latest.profile, 'line');
  const functions = heapSites(latest.profile, 'function');
  const trend = ordered.length >= 2 ? heapTrend(ordered) : undefined;
  const growth = trend ? growthFindings(trend) : [];
  const growing = new Set(growth.map((f) => siteKey(f.location!)));
  const rates = perSecond(allocationRates(ordered, 'line'));
  const stats = input.memStats ?? lastFooter(ordered);
  const memstats = stats ? { ...memStatsBreakdown(stats.stats), source: stats.source } : undefined;
  const profiler = profilerOnlySites(latest.profile, 'line');
  const programSites = sites.filter((s) => !profiler.has(siteKey(s)));
  const findings = sortFindings([...growth, ...siteFindings(programSites, rates, growing), ...(memstats ? memStatsFindings(memstats) : [])]);
  return {
    findings,
    sites,
    functions,
    ...(memstats ? { memstats, memory: memoryParts(memstats) } : {}),
    ...(trend ? { trend } : {}),
    order: { sources: ordered.map((s) => s.source), byTime: ordered.every((s) => s.atMs !== null) },
    warnings: warnings(ordered),
  };
}

/** A trend only means something for snapshots of one program: their main binaries must agree. */
function warnings(ordered: readonly Snapshot[]): string[] {
  const out: string[] = [];
  const binaries = new Set(ordered.map((s) => mainBinary(s)).filter((b) => b !== ''));
  if (binaries.size > 1) out.push(`the profiles come from different binaries (${[...binaries].join(', ')}): a trend across them compares different programs`);
  if (ordered.length > 1 && ordered.some((s) => s.atMs === null)) out.push('some profiles carry no timestamp (debug=1 text): they are read in the order given, and slopes are per snapshot');
  return out;
}

function mainBinary(s: Snapshot): string {
  const m = s.profile.mappings[0];
  return m ? m.buildId || m.file : '';
}

function perSecond(rates: ReturnType<typeof allocationRates>): Map<string, SiteRate> | null {
  if (!rates) return null;
  const out = new Map<string, SiteRate>();
  for (const [k, r] of rates) out.set(k, { bytesPerSecond: r.bytesPerMinute / 60, objectsPerSecond: r.objectsPerMinute / 60 });
  return out;
}

function lastFooter(ordered: readonly Snapshot[]): { source: string; stats: MemStats } | undefined {
  for (let i = ordered.length - 1; i >= 0; i--) {
    const s = ordered[i]!;
    if (s.profile.memStats) return { source: s.source, stats: s.profile.memStats };
  }
  return undefined;
}
