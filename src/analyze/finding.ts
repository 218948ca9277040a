/**
 * The one shape every analysis reports in (DESIGN §3). Kinds are stable
 * names once released: add new ones, never rename.
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

export interface Evidence {
  label: string;
  value: number | string;
  unit?: string;
}

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

/** Most important first: by severity, keeping each analysis's own order within a severity. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => SEVERITY_RANK[a.f.severity] - SEVERITY_RANK[b.f.severity] || a.i - b.i)
    .map(({ f }) => f);
}
