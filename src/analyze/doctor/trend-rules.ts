import type { Finding, Severity } from '../finding.js';
import type { GoroutineAnalysis } from '../goroutines/types.js';
import { heapSites } from '../heap/sites.js';
import { programOnly } from '../program.js';
import type { Snapshot } from '../heap/types.js';
import type { DomainAnalyses, SeenFinding } from './domains.js';

/**
 * A look at one moment cannot tell a pool from a leak, or a cache from a
 * retained buffer; the window can. What the window shows did not grow is
 * kept, at low severity, with that said:
 * - goroutines parked where a dump calls them a leak, no more at the end
 *   of the window than at its start (a worker pool, or a leak that stopped);
 * - large objects allocated once and all still held (inuse ≈ alloc) that
 *   did not grow over the window (a cache or a table loaded at start);
 * - goroutine descriptors growing in the heap profile (runtime.malg) while
 *   the goroutine count did not grow: the heap profile is as of the last
 *   GC and descriptors are never freed, so it shows a past ramp.
 */
export function trendRules(seen: readonly SeenFinding[], d: DomainAnalyses, heaps: readonly Snapshot[]): SeenFinding[] {
  return seen.map((s) => {
    const f = s.finding;
    const at = f.location?.function;
    if (f.severity === 'low' || f.severity === 'info') return s;
    if (f.kind === 'goroutine-leak' && s.domain === 'goroutines' && at !== undefined && !isGrowth(f) && d.goroutineLooks && !grew(d.goroutineLooks, at)) {
      return lowered(s, 'no more of them at the end of the window than at its start: a pool, or a leak that has stopped');
    }
    if (f.kind === 'goroutine-leak' && s.domain === 'heap profile' && d.goroutineLooks && d.goroutineLooks.end.total <= d.goroutineLooks.start.total * FLAT) {
      return lowered(s, 'the goroutine count did not grow over the window: descriptors from an earlier ramp');
    }
    if (f.kind === 'large-object-retention' && at !== undefined && heaps.length >= 2 && keptWhole(f) && !heapGrew(heaps, at)) {
      return lowered(s, 'allocated once, all still held, and flat over the window: a cache or a table loaded at start?');
    }
    return s;
  });
}

/** A diff's finding (it has before/after counts) is growth already. */
function isGrowth(f: Finding): boolean {
  return f.evidence.some((e) => e.label === 'before');
}

function grew(looks: { start: GoroutineAnalysis; end: GoroutineAnalysis }, func: string): boolean {
  const count = (a: GoroutineAnalysis) => a.groups.filter((g) => g.topFrame?.func === func).reduce((n, g) => n + g.count, 0);
  return count(looks.end) > count(looks.start);
}

const KEPT_WHOLE = 0.9;
const FLAT = 1.05;

function keptWhole(f: Finding): boolean {
  const r = f.evidence.find((e) => e.label === 'retention (inuse / alloc)')?.value;
  return typeof r === 'number' && r >= KEPT_WHOLE;
}

function heapGrew(heaps: readonly Snapshot[], func: string): boolean {
  const inuse = (s: Snapshot) => heapSites(programOnly(s.profile), 'function').find((x) => x.function === func)?.inuseBytes ?? 0;
  return inuse(heaps.at(-1)!) > inuse(heaps[0]!) * FLAT;
}

function lowered(s: SeenFinding, why: string): SeenFinding {
  const severity: Severity = 'low';
  return { ...s, finding: { ...s.finding, severity, title: `${s.finding.title} (${why})` } };
}
