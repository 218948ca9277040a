import type { GoroutineDump } from '../../model/goroutines.js';
import type { MemStats, Profile } from '../../model/profile.js';
import { sortFindings, type Finding } from '../finding.js';
import { entriesFromDump, entriesFromProfile, type GoroutineEntries } from './entries.js';
import { leakFindings } from './findings.js';
import { groupGoroutines, type GoroutineGroup, type Similarity } from './group.js';
import { deadlockFindings, findPileups, pileupFindings, type Pileup } from './locks.js';
import { stackMemory, type StackMemory } from './memory.js';
import { diffGroups, growthFindings, type GoroutineDiff } from './diff.js';

export type { GoroutineGroup, Similarity } from './group.js';
export type { GoroutineDiff, GroupChange } from './diff.js';

/** A goroutine dump or a goroutine profile, already decoded. */
export type GoroutineSource = { kind: 'dump'; dump: GoroutineDump } | { kind: 'profile'; profile: Profile };

export interface GoroutineOptions {
  similarity?: Similarity;
  /** MemStats of the same process (heap ?debug=1 footer), to calibrate stack memory. */
  memStats?: MemStats;
}

export interface GoroutineAnalysis {
  source: 'dump' | 'profile';
  /** For dumps: why it was written (`panic: …`, `fatal error: …`, `SIGQUIT: quit`). */
  reason: string[];
  total: number;
  /** Runtime-internal goroutines (SIGQUIT and crash dumps show them). */
  system: number;
  groups: GoroutineGroup[];
  /** Parallel to `groups`. */
  stack: StackMemory;
  states: { state: string; count: number }[];
  pileups: Pileup[];
  findings: Finding[];
  truncated: boolean;
}

export function toEntries(source: GoroutineSource): GoroutineEntries {
  return source.kind === 'dump' ? entriesFromDump(source.dump) : entriesFromProfile(source.profile);
}

/** Groups the goroutines and raises leak, pile-up and deadlock findings. */
export function analyzeGoroutines(source: GoroutineSource, options: GoroutineOptions = {}): GoroutineAnalysis {
  const entries = toEntries(source);
  const groups = groupGoroutines(entries, options.similarity);
  const stack = stackMemory(groups, options.memStats);
  const pileups = findPileups(entries);
  const reason = source.kind === 'dump' ? source.dump.reason : [];
  const findings = sortFindings([...deadlockFindings(entries, reason), ...pileupFindings(pileups), ...leakFindings(groups, stack)]);
  return {
    source: source.kind,
    reason,
    total: groups.reduce((s, g) => s + g.count, 0),
    system: groups.filter((g) => g.system).reduce((s, g) => s + g.count, 0),
    groups,
    stack,
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
