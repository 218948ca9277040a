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
  | 'goroutine-leak-proven'
  | 'goroutine-pileup'
  | 'deadlock'
  | 'lock-contention'
  | 'gc-pressure'
  | 'gc-assist-heavy'
  | 'gc-memory-limit'
  | 'live-heap-growth'
  | 'gc-long-pause'
  | 'gc-forced'
  | 'pool-miss'
  | 'pool-oversized'
  | 'init-retention'
  | 'request-scope-escape'
  | 'escape-hotspot'
  | 'unexplained-allocation'
  | 'binary-debug-info'
  | 'binary-dominant-dependency'
  | 'binary-duplicate-module'
  | 'binary-large-data'
  | 'retained-by';

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

/**
 * One finding per root cause within a function: findings of one family
 * (`familyOf`, e.g. heap-growth and small-object-accumulation are one) at
 * the same function become the most severe of them (first on a tie), and
 * each other line joins its evidence with its first quantity. A leaking map
 * shows on the line that makes the key and the line that makes the value;
 * a user reads one finding about that function.
 */
export function mergeAtFunction(
  findings: readonly Finding[],
  familyOf: (f: Finding) => string = (f) => f.kind,
  headline: (f: Finding) => Evidence | undefined = (f) => f.evidence.find((e) => e.unit !== undefined),
): Finding[] {
  const groups = new Map<string, Finding[]>();
  const loose: Finding[] = [];
  for (const f of findings) {
    if (!f.location) {
      loose.push(f);
      continue;
    }
    const key = `${familyOf(f)}\0${f.location.function}`;
    const group = groups.get(key);
    if (group) group.push(f);
    else groups.set(key, [f]);
  }
  const merged = [...groups.values()].map((group) => {
    if (group.length === 1) return group[0]!;
    const lead = group.reduce((best, f) => (SEVERITY_RANK[f.severity] < SEVERITY_RANK[best.severity] ? f : best));
    const others = group.filter((f) => f !== lead);
    const extra = others.flatMap((f): Evidence[] => {
      const q = headline(f);
      const where = f.location?.line !== undefined ? `line ${f.location.line}` : f.title;
      return q && q.unit !== undefined ? [{ label: `also at ${where} (${f.kind}): ${q.label}`, value: q.value, unit: q.unit }] : [];
    });
    return { ...lead, title: `${lead.title} (and ${others.length} more line${others.length === 1 ? '' : 's'} in ${lead.location!.function})`, evidence: [...lead.evidence, ...extra] };
  });
  return [...merged, ...loose];
}
