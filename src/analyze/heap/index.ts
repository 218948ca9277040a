import type { MemStats } from '../../model/profile.js';
import { mergeAtFunction, sortFindings, type Evidence, type Finding } from '../finding.js';
import { growthFindings, siteFindings, siteKey } from './findings.js';
import { patternFindings } from './patterns.js';
import { memoryParts, memStatsBreakdown, memStatsFindings, memStatsProblems } from './memstats.js';
import { programOnly } from '../program.js';
import { differentProcesses } from './processes.js';
import { heapColumns, heapSites, heapTotals } from './sites.js';
import { allocationRates, heapTrend, noRateReason, orderSnapshots } from './trend.js';
import type { HeapAnalysis, HeapInput, SiteRate, Snapshot } from './types.js';

export type * from './types.js';
export { compareHeapRuns, heapHeadlines } from './compare.js';

export function analyzeHeap(input: HeapInput): HeapAnalysis {
  for (const s of input.snapshots) heapColumns(s.profile, s.source);
  const ordered = orderSnapshots(input.snapshots);
  const apart = differentProcesses(ordered);
  // Snapshots of different processes have no trend and no rate between them: the latest is read alone.
  const read = apart ? ordered.slice(-1) : ordered;
  const latest = read.at(-1)!;
  const sites = heapSites(latest.profile, 'line');
  const functions = heapSites(latest.profile, 'function');
  // Findings read the program's own samples: what the profiler allocated to serve these profiles is not the program's.
  const program = read.map((s) => ({ ...s, profile: programOnly(s.profile) }));
  const trend = read.length >= 2 ? heapTrend(program) : undefined;
  const growth = trend ? growthFindings(trend) : [];
  const growing = new Set(growth.map((f) => siteKey(f.location!)));
  const rates = perSecond(allocationRates(program, 'line'));
  const stats = input.memStats ?? lastFooter(ordered);
  const memstats = stats ? { ...memStatsBreakdown(stats.stats), source: stats.source } : undefined;
  const programSites = heapSites(program.at(-1)!.profile, 'line', heapTotals(latest.profile));
  const bySite = mergeAtFunction([...growth, ...siteFindings(programSites, rates, growing)], findingFamily, headline);
  // Pools and init tables explain some churn, growth and retention better than the generic kinds: those step aside.
  const patterns = patternFindings(program.at(-1)!.profile, memstats?.NumGC ? { gcCycles: memstats.NumGC } : {});
  const explained = new Set(patterns.map(explainedFunction));
  const generic = bySite.filter((f) => !(GENERIC_KINDS.has(f.kind) && explained.has(f.location?.function ?? '')));
  const findings = sortFindings([...patterns, ...generic, ...(memstats ? memStatsFindings(memstats) : [])]);
  return {
    findings,
    sites,
    functions,
    ...(memstats && stats ? { memstats, memory: memoryParts(memstats), memoryProblems: memStatsProblems(stats.stats) } : {}),
    ...(trend ? { trend } : {}),
    order: order(ordered, apart),
    warnings: warnings(ordered, apart),
  };
}

const GENERIC_KINDS = new Set<Finding['kind']>(['allocation-churn', 'heap-growth', 'small-object-accumulation', 'large-object-retention']);

/** The function whose generic findings a pattern finding explains: a pool's New for a miss, else where it is. */
function explainedFunction(f: Finding): string {
  const newFn = f.kind === 'pool-miss' ? f.evidence.find((e) => e.label === 'New function')?.value : undefined;
  return typeof newFn === 'string' ? newFn : (f.location?.function ?? '');
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

/** Reasons to doubt the reading: snapshots of several processes (then only the latest was read), or without a rate. */
function warnings(ordered: readonly Snapshot[], apart: string | undefined): string[] {
  if (apart) {
    return [
      `${apart}. A trend or an allocation rate across processes would compare unrelated totals, so only ` +
        `${ordered.at(-1)!.source} is read; footprint heap --compare OLD NEW says what changed between two runs`,
    ];
  }
  const noRate = noRateReason(ordered);
  return noRate ? [`${noRate}: ${ordered.some((s) => s.atMs === null) ? 'they are read in the order given' : 'ties are read in the order given'}, and growth is per snapshot, with no rate`] : [];
}

function order(ordered: readonly Snapshot[], apart: string | undefined): HeapAnalysis['order'] {
  const noRate = noRateReason(ordered);
  return { sources: ordered.map((s) => s.source), byTime: ordered.every((s) => s.atMs !== null), oneProcess: apart === undefined, ...(noRate ? { noRate } : {}) };
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
