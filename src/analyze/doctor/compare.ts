import { compareAnalyses, type Comparison, type Headline, type Named } from '../compare.js';
import type { Diagnosis } from './types.js';

/**
 * Two captures of one service, before and after a change ("did my fix
 * work"): the shared comparison (analyze/compare.ts) of the ranked causes,
 * with the doctor's figures per domain as headlines.
 */
export function compareDiagnoses(before: Named<Diagnosis>, after: Named<Diagnosis>): Comparison {
  return compareAnalyses(before, after, doctorHeadlines);
}

export function doctorHeadlines(d: Diagnosis): Headline[] {
  const f = d.figures;
  return [
    { label: 'RSS', value: d.rss?.bytes ?? null, unit: 'bytes' },
    { label: 'heap in use at the end', value: f.heap?.inuseBytes.at(-1)?.bytes ?? null, unit: 'bytes' },
    { label: 'allocation rate', value: f.heap?.allocatedBytesPerSecond ?? null, unit: 'bytes/s' },
    { label: 'goroutines at the end', value: f.goroutines?.end ?? null, unit: 'goroutines' },
    { label: 'GC cycles per second', value: f.gc?.cyclesPerSecond ?? null, unit: 'per-second' },
    { label: 'GC share of the CPU used', value: f.gc?.cpuFraction ?? null, unit: 'fraction' },
    { label: 'mutex delay per second', value: f.contention?.mutexDelayNs ?? null, unit: 'ns' },
    { label: 'blocked per second', value: f.contention?.blockDelayNs ?? null, unit: 'ns' },
  ];
}
