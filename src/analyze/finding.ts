import type { Unit } from '../model/units.js';

/**
 * The one shape every analysis reports in (the README's "Findings" section).
 * Kinds are stable names once released: add new ones, never rename.
 */
export type FindingKind =
  | 'heap-growth'
  | 'allocation-churn'
  | 'large-object-retention'
  | 'small-object-accumulation'
  | 'memory-not-returned'
  | 'heap-fragmentation'
  | 'goroutine-leak'
  | 'goroutine-pileup'
  | 'deadlock'
  | 'lock-contention'
  | 'gc-pressure'
  | 'gc-assist-heavy'
  | 'gc-memory-limit'
  | 'live-heap-growth'
  | 'gc-long-pause'
  | 'gc-forced'
  | 'escape-hotspot'
  | 'unexplained-allocation';

export type Severity = 'high' | 'medium' | 'low' | 'info';

/**
 * One fact behind a finding. A quantity is a number with its unit, never a
 * formatted string (present/ writes it for people; JSON keeps the number);
 * a string value is a name or a state, and has no unit.
 */
export type Evidence = { label: string; value: number; unit: Unit } | { label: string; value: string; unit?: undefined };

export interface Finding {
  kind: FindingKind;
  severity: Severity;
  /** One line a person reads first. */
  title: string;
  location?: { function: string; file?: string; line?: number };
  evidence: Evidence[];
  /** What to do, concretely. */
  advice: string;
}

const SEVERITY_RANK: Record<Severity, number> = { high: 0, medium: 1, low: 2, info: 3 };

/**
 * Within a severity, what holds memory comes before what merely churns it:
 * footprint answers "why is this process this big" first. Kinds not listed
 * keep their analysis's own order after these.
 */
const KIND_RANK: Partial<Record<FindingKind, number>> = {
  'heap-growth': 0,
  'small-object-accumulation': 1,
  'memory-not-returned': 2,
  'large-object-retention': 3,
  'heap-fragmentation': 4,
  'allocation-churn': 5,
};

/** Most important first: by severity, then by kind as KIND_RANK says, then in each analysis's own order. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const kind = (f: Finding) => KIND_RANK[f.kind] ?? Object.keys(KIND_RANK).length;
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => SEVERITY_RANK[a.f.severity] - SEVERITY_RANK[b.f.severity] || kind(a.f) - kind(b.f) || a.i - b.i)
    .map(({ f }) => f);
}
