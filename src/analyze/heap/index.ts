import type { MemStats } from '../../model/profile.js';
import { mergeAtFunction, sortFindings, type Evidence, type Finding } from '../finding.js';
import { growthFindings, siteFindings, siteKey } from './findings.js';
import { memoryParts, memStatsBreakdown, memStatsFindings, memStatsProblems } from './memstats.js';
import { heapColumns, heapSites, heapTotals, programOnly } from './sites.js';
import { allocationRates, heapTrend, noRateReason, orderSnapshots } from './trend.js';
import type { HeapAnalysis, HeapInput, SiteRate, Snapshot } from './types.js';

export type * from './types.js';

export function analyzeHeap(input: HeapInput): HeapAnalysis {
  for (const s of input.snapshots) heapColumns(s.profile, s.source);
  const ordered = orderSnapshots(input.snapshots);
  const latest = ordered.at(-1)!;
  const sites = heapSites(latest.profile, 'line');
  const functions = heapSites(latest.profile, 'function');
  // Findings read the program's own samples: what the profiler allocated to serve these profiles is not the program's.
  const program = ordered.map((s) => ({ ...s, profile: programOnly(s.profile) }));
  const trend = ordered.length >= 2 ? heapTrend(program) : undefined;
  const growth = trend ? growthFindings(trend) : [];
  const growing = new Set(growth.map((f) => siteKey(f.location!)));
  const rates = perSecond(allocationRates(program, 'line'));
  const stats = input.memStats ?? lastFooter(ordered);
  const memstats = stats ? { ...memStatsBreakdown(stats.stats), source: stats.source } : undefined;
  const programSites = heapSites(program.at(-1)!.profile, 'line', heapTotals(latest.profile));
  const bySite = mergeAtFunction([...growth, ...siteFindings(programSites, rates, growing)], findingFamily, headline);
  const findings = sortFindings([...bySite, ...(memstats ? memStatsFindings(memstats) : [])]);
  return {
    findings,
    sites,
    functions,
    ...(memstats && stats ? { memstats, memory: memoryParts(memstats), memoryProblems: memStatsProblems(stats.stats) } : {}),
    ...(trend ? { trend } : {}),
    order: order(ordered),
    warnings: warnings(ordered),
  };
}

/** Growth and small objects piling up at one function are one leak seen twice. */
function findingFamily(f: Finding): string {
  return f.kind === 'small-object-accumulation' ? 'heap-growth' : f.kind;
}

/** What a merged line adds to its function's finding: what it holds now, or what it allocated. */
function headline(f: Finding): Evidence | undefined {
  const wanted = ['inuse at the last snapshot', 'inuse', 'allocated'];
  return f.evidence.find((e) => wanted.includes(e.label));
}

/** A trend only means something for snapshots of one program: their main binaries must agree. */
function warnings(ordered: readonly Snapshot[]): string[] {
  const out: string[] = [];
  const binaries = new Set(ordered.map((s) => mainBinary(s)).filter((b) => b !== ''));
  if (binaries.size > 1) out.push(`the profiles come from different binaries (${[...binaries].join(', ')}): a trend across them compares different programs`);
  const noRate = noRateReason(ordered);
  if (noRate) out.push(`${noRate}: ${ordered.some((s) => s.atMs === null) ? 'they are read in the order given' : 'ties are read in the order given'}, and growth is per snapshot, with no rate`);
  return out;
}

function order(ordered: readonly Snapshot[]): HeapAnalysis['order'] {
  const noRate = noRateReason(ordered);
  return { sources: ordered.map((s) => s.source), byTime: ordered.every((s) => s.atMs !== null), ...(noRate ? { noRate } : {}) };
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
