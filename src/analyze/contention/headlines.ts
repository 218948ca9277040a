import type { Headline } from '../compare.js';
import type { ContentionAnalysis } from './types.js';

/** A mutex or block profile's headline figures: the delay it records, how many waits, and the mean wait. */
export function contentionHeadlines(a: ContentionAnalysis): Headline[] {
  const heaviest = a.sites[0];
  return [
    { label: `${a.kind} delay`, value: a.totalDelayNanos, unit: 'ns' },
    { label: 'contentions', value: a.totalContentions, unit: 'count' },
    { label: 'mean delay per contention', value: a.totalContentions > 0 ? a.totalDelayNanos / a.totalContentions : null, unit: 'ns' },
    { label: 'share of delay at the heaviest site', value: heaviest ? heaviest.delay.flatShare : null, unit: 'fraction' },
  ];
}
