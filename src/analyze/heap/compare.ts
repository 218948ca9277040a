import { compareAnalyses, type Comparison, type Headline, type Named } from '../compare.js';
import type { HeapAnalysis, MemStatsField } from './types.js';

/**
 * The heap's headline figures: what is in use (the profile's whole inuse,
 * as `footprint top` totals it), what was allocated since the process
 * started, and, when MemStats came along, what the runtime holds.
 */
export function heapHeadlines(a: HeapAnalysis): Headline[] {
  const sum = (k: 'inuseBytes' | 'inuseObjects' | 'allocBytes' | 'allocObjects') => a.functions.reduce((s, f) => s + f[k], 0);
  const stat = (field: MemStatsField) => a.memstats?.[field] ?? null;
  return [
    { label: 'heap in use', value: sum('inuseBytes'), unit: 'bytes' },
    { label: 'objects in use', value: Math.round(sum('inuseObjects')), unit: 'objects' },
    { label: 'allocated since start', value: sum('allocBytes'), unit: 'bytes' },
    { label: 'objects allocated since start', value: Math.round(sum('allocObjects')), unit: 'objects' },
    ...(a.memstats
      ? ([
          { label: 'HeapInuse (MemStats)', value: stat('HeapInuse'), unit: 'bytes' },
          { label: 'Sys: held from the OS (MemStats)', value: stat('Sys'), unit: 'bytes' },
        ] satisfies Headline[])
      : []),
  ];
}

/** Two heap profiles (each read alone) of different runs, builds or processes: findings matched, headline figures side by side. */
export function compareHeapRuns(before: Named<HeapAnalysis>, after: Named<HeapAnalysis>): Comparison {
  return compareAnalyses(before, after, heapHeadlines);
}
