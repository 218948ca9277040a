import { isHeapDecision, type EscapeReport, type EscapeSite } from '../../model/escapes.js';
import type { Profile } from '../../model/profile.js';
import { amplification, amplificationFinding, hotspotFindings, unexplainedFindings } from './findings.js';
import { joinProfile } from './join.js';
import { summarizeEscapes } from './summary.js';
import { sortFindings } from '../finding.js';
import type { AllocIndexes, EscapeAnalysis, EscapeJoin, SiteOutput } from './types.js';

export { allocIndexes } from './join.js';
export type * from './types.js';

/**
 * Escape decisions, summarised, and — given a heap or allocs profile — ranked
 * by what they cost in a real run (see escapes-join.ts for how bytes meet sites).
 */
export function analyzeEscapes(report: EscapeReport, profile?: { profile: Profile; indexes: AllocIndexes }): EscapeAnalysis {
  const summary = summarizeEscapes(report);
  if (!profile) return { summary, sites: report.sites.map((s) => siteOutput(s)), findings: [] };
  const join = joinProfile(report, profile.profile, profile.indexes);
  const amp = amplification(join, report);
  const findings = sortFindings([...hotspotFindings(join, report), amplificationFinding(amp), ...unexplainedFindings(join)]);
  return { summary, sites: rankedSites(report, join), findings, join, amplification: amp };
}

/**
 * Every site with its line's bytes. Sites the profile cannot tell apart (same
 * line, same inline chain) each carry their group's bytes; heap sites the
 * run never reached carry 0; non-heap decisions carry none.
 */
function rankedSites(report: EscapeReport, join: EscapeJoin): SiteOutput[] {
  const joined = new Map<EscapeSite, { bytes: number; objects: number; function: string }>();
  for (const g of join.groups) {
    for (const s of g.sites) {
      const prev = joined.get(s) ?? { bytes: 0, objects: 0, function: g.frame.function };
      joined.set(s, { bytes: prev.bytes + g.bytes, objects: prev.objects + g.objects, function: prev.function });
    }
  }
  const rows = report.sites.map((s, i) => {
    const j = joined.get(s);
    const cost = j ? { bytes: j.bytes, objects: j.objects } : isHeapDecision(s.decision) ? { bytes: 0, objects: 0 } : undefined;
    return { i, row: siteOutput(s, cost, j?.function) };
  });
  rows.sort((a, b) => (b.row.allocBytes ?? -1) - (a.row.allocBytes ?? -1) || a.i - b.i);
  return rows.map((r) => r.row);
}

function siteOutput(s: EscapeSite, cost?: { bytes: number; objects: number }, profileFunction?: string): SiteOutput {
  const out: SiteOutput = { file: s.file, line: s.line, column: s.column, expr: s.expr, decision: s.decision };
  if (s.reasons?.length) out.reasons = s.reasons;
  const fn = profileFunction || s.function;
  if (fn) out.function = fn;
  if (cost) {
    out.allocBytes = cost.bytes;
    out.allocObjects = cost.objects;
  }
  return out;
}
