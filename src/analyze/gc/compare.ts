import { compareAnalyses, type Comparison, type Headline, type Named } from '../compare.js';
import type { GcAnalysis } from './types.js';

const MiB = 2 ** 20;
const MS = 1e6;

/**
 * A gctrace log's headline figures: how long it covers (two logs of different
 * lengths have different cycle counts for that reason alone), how often and
 * at what CPU cost the GC ran, its pauses, and the heap it kept.
 */
export function gcHeadlines(a: GcAnalysis): Headline[] {
  const s = a.summary;
  return [
    { label: 'time covered', value: s.spanSeconds * 1e9, unit: 'ns' },
    { label: 'GC cycles', value: s.cycles, unit: 'count' },
    { label: 'GC cycles per second', value: s.gcPerSecond, unit: 'per-second' },
    { label: 'GC CPU', value: s.gcCpuFraction, unit: 'fraction' },
    { label: 'mark assists of GC CPU', value: s.markAssistShareOfGcCpu, unit: 'fraction' },
    { label: 'stop-the-world pause p99', value: s.pausesMs.p99 * MS, unit: 'ns' },
    { label: 'stop-the-world pause max', value: s.pausesMs.max * MS, unit: 'ns' },
    { label: 'peak heap', value: s.peakHeapMB * MiB, unit: 'bytes' },
    { label: 'live heap at the end', value: s.liveHeap.lastMB * MiB, unit: 'bytes' },
  ];
}

/** Two gctrace logs of different runs, builds or processes: findings matched, headline figures side by side. */
export function compareGcRuns(before: Named<GcAnalysis>, after: Named<GcAnalysis>): Comparison {
  return compareAnalyses(before, after, gcHeadlines);
}
