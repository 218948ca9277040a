import { sortFindings, type Finding } from '../finding.js';
import { diffGroups, growthFindings } from './diff.js';
import { entriesFromDump, entriesFromProfile, type GoroutineEntries } from './entries.js';
import { leakFindings, provenLeakFindings } from './findings.js';
import { formLimits } from './limits.js';
import { groupGoroutines } from './group.js';
import { deadlockFindings, findPileups, pileupFindings } from './locks.js';
import { measureStacks } from './memory.js';
import { requestScopeFindings } from './request-scope.js';
import type { GoroutineInput } from '../../model/goroutines.js';
import type { GoroutineAnalysis, GoroutineDiff, GoroutineDumpsReport, GoroutineGroup, GoroutineOptions, GoroutinesReport } from './types.js';

export type * from './types.js';
export { compareGoroutineRuns, goroutineHeadlines } from './compare.js';

export function toEntries(source: GoroutineInput): GoroutineEntries {
  return source.kind === 'dump' ? entriesFromDump(source.dump) : entriesFromProfile(source.profile);
}

/**
 * Groups the goroutines, measures their stacks and raises findings: leaks
 * the runtime proved, leaks footprint suspects, pile-ups and deadlocks.
 */
export function analyzeGoroutines(source: GoroutineInput, options: GoroutineOptions = {}): GoroutineAnalysis {
  const entries = toEntries(source);
  const { groups, stackMemory } = measureStacks(groupGoroutines(entries, options.similarity), options.memStats);
  const pileups = findPileups(entries);
  const reason = source.kind === 'dump' ? source.dump.reason : [];
  const detectorRan = entries.entries.some((e) => e.leaked);
  const findings = sortFindings([
    ...deadlockFindings(entries, reason),
    ...provenLeakFindings(groups, stackMemory),
    ...pileupFindings(pileups),
    ...leakFindings(groups, stackMemory, detectorRan),
    ...requestScopeFindings(entries, groups),
  ]);
  return {
    source: source.kind,
    ...(source.kind === 'profile' ? { profile: { form: source.profile.form, name: source.profile.name } } : { lines: source.dump.lines }),
    limits: formLimits(source, entries),
    reason,
    total: groups.reduce((s, g) => s + g.count, 0),
    system: groups.filter((g) => g.system).reduce((s, g) => s + g.count, 0),
    groups,
    stackMemory,
    states: countStates(groups),
    pileups,
    findings,
    truncated: source.kind === 'dump' && source.dump.truncated,
  };
}

function countStates(groups: readonly GoroutineGroup[]): { state: string; count: number }[] {
  const m = new Map<string, number>();
  for (const g of groups) m.set(g.state, (m.get(g.state) ?? 0) + g.count);
  return [...m].map(([state, count]) => ({ state, count })).sort((a, b) => b.count - a.count || (a.state < b.state ? -1 : 1));
}

/**
 * Two or more looks at one process, in time order: first against last, with
 * every count in between; growth findings for groups that never shrank.
 */
export function compareGoroutines(analyses: readonly GoroutineAnalysis[]): { diff: GoroutineDiff; findings: Finding[] } {
  const last = analyses[analyses.length - 1]!;
  const allDumps = analyses.every((a) => a.source === 'dump');
  const diff = diffGroups(
    analyses.map((a) => a.groups),
    allDumps,
  );
  return { diff, findings: sortFindings([...growthFindings(diff), ...last.findings]) };
}

/** One or more looks at one process, named: what `footprint goroutines` reports (see GoroutinesReport). */
export function goroutinesReport(looks: readonly { file: string; analysis: GoroutineAnalysis }[]): GoroutinesReport {
  const last = looks[looks.length - 1]!.analysis;
  const files = looks.map((l) => l.file);
  if (looks.length < 2) return { files, ...last };
  const { diff, findings } = compareGoroutines(looks.map((l) => l.analysis));
  return { files, ...last, findings, diff };
}

/** Several dumps of one file, each analysed on its own, in the file's order (see GoroutineDumpsReport). */
export function goroutineDumpsReport(file: string, analyses: readonly GoroutineAnalysis[]): GoroutineDumpsReport {
  return { files: [file], dumps: analyses.map((a, i) => ({ index: i + 1, ...a })) };
}
