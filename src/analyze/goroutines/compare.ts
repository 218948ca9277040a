import { compareAnalyses, type Headline, type Named } from '../compare.js';
import { diffGroups } from './diff.js';
import type { GoroutineAnalysis, GoroutinesComparison } from './types.js';

/** A goroutine reading's headline figures: how many, in how many groups, the stack memory, and how many wait on a pile-up. */
export function goroutineHeadlines(a: GoroutineAnalysis): Headline[] {
  return [
    { label: 'goroutines', value: a.total, unit: 'goroutines' },
    { label: 'runtime-internal goroutines', value: a.system, unit: 'goroutines' },
    { label: 'groups', value: a.groups.length, unit: 'count' },
    { label: 'stack memory', value: a.stackMemory.totalBytes, unit: 'bytes' },
    { label: 'waiting in lock pile-ups', value: a.pileups.reduce((s, p) => s + p.waiters, 0), unit: 'goroutines' },
  ];
}

/**
 * Two goroutine readings side by side (two runs, builds or processes): the
 * findings matched, the headline figures, and every group's count before and
 * after (groups matched by stack, and by creator when both are dumps). No
 * growth finding is drawn from the groups: across processes a group that grew
 * is a difference, not a leak in progress.
 */
export function compareGoroutineRuns(before: Named<GoroutineAnalysis>, after: Named<GoroutineAnalysis>): GoroutinesComparison {
  const bothDumps = before.analysis.source === 'dump' && after.analysis.source === 'dump';
  return { ...compareAnalyses(before, after, goroutineHeadlines), groups: diffGroups([before.analysis.groups, after.analysis.groups], bothDumps) };
}
