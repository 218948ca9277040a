import { WrongInputError } from '../../model/errors.js';
import { compareAnalyses, type Comparison, type Headline, type Named } from '../compare.js';
import type { ContentionAnalysis } from './types.js';

/** A mutex or block profile's headline figures: the delay it records, how many waits, and the mean wait. */
export function contentionHeadlines(a: ContentionAnalysis): Headline[] {
  return [
    { label: 'delay', value: a.totalDelayNanos, unit: 'ns' },
    { label: 'contentions', value: a.totalContentions, unit: 'count' },
    { label: 'mean delay per contention', value: a.totalContentions > 0 ? a.totalDelayNanos / a.totalContentions : null, unit: 'ns' },
  ];
}

/** Two profiles of the same kind (mutex with mutex, block with block) side by side; a WrongInputError otherwise. */
export function compareContentionRuns(before: Named<ContentionAnalysis>, after: Named<ContentionAnalysis>): Comparison {
  if (before.analysis.kind !== after.analysis.kind) {
    throw new WrongInputError(`is a ${after.analysis.kind} profile and ${before.source} a ${before.analysis.kind} profile: compare like with like`, after.source);
  }
  return compareAnalyses(before, after, contentionHeadlines);
}
