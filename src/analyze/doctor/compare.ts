import type { Severity } from '../finding.js';
import type { Diagnosis, DoctorFinding } from './types.js';

export interface FindingChange {
  change: 'gone' | 'new' | 'better' | 'worse' | 'same';
  before?: DoctorFinding;
  after?: DoctorFinding;
}

export interface FigureChange {
  domain: string;
  figure: string;
  before: number | null;
  after: number | null;
  unit: 'bytes' | 'bytes/s' | 'goroutines' | 'per-second' | 'fraction' | 'ns';
}

/** Two captures of one service, before and after a change: "did my fix work". */
export interface DiagnosisComparison {
  before: { target: string; startedAt: string };
  after: { target: string; startedAt: string };
  findings: FindingChange[];
  figures: FigureChange[];
}

const RANK: Record<Severity, number> = { high: 0, medium: 1, low: 2, info: 3 };

/**
 * Findings are the same cause when their kind and the function they name
 * agree; a cause is better or worse when its severity moved. Gone and new
 * first, then what changed, then the rest.
 */
export function compareDiagnoses(before: Diagnosis, after: Diagnosis): DiagnosisComparison {
  const key = (f: DoctorFinding) => `${f.kind}\0${f.location?.function ?? ''}`;
  const afterByKey = new Map(after.findings.map((f) => [key(f), f]));
  const beforeKeys = new Set(before.findings.map(key));
  const changes: FindingChange[] = [];
  for (const b of before.findings) {
    const a = afterByKey.get(key(b));
    if (!a) changes.push({ change: 'gone', before: b });
    else changes.push({ change: RANK[a.severity] > RANK[b.severity] ? 'better' : RANK[a.severity] < RANK[b.severity] ? 'worse' : 'same', before: b, after: a });
  }
  for (const a of after.findings) if (!beforeKeys.has(key(a))) changes.push({ change: 'new', after: a });
  const order = { new: 0, worse: 1, gone: 2, better: 3, same: 4 } as const;
  changes.sort((x, y) => order[x.change] - order[y.change]);
  return {
    before: { target: before.target, startedAt: before.window.startedAt },
    after: { target: after.target, startedAt: after.window.startedAt },
    findings: changes,
    figures: figureChanges(before, after),
  };
}

function figureChanges(b: Diagnosis, a: Diagnosis): FigureChange[] {
  const lastHeap = (d: Diagnosis) => d.figures.heap?.inuseBytes.at(-1)?.bytes ?? null;
  const rows: FigureChange[] = [
    { domain: 'heap', figure: 'in use at the end', before: lastHeap(b), after: lastHeap(a), unit: 'bytes' },
    { domain: 'heap', figure: 'allocation rate', before: b.figures.heap?.allocatedBytesPerSecond ?? null, after: a.figures.heap?.allocatedBytesPerSecond ?? null, unit: 'bytes/s' },
    { domain: 'goroutines', figure: 'at the end', before: b.figures.goroutines?.end ?? null, after: a.figures.goroutines?.end ?? null, unit: 'goroutines' },
    { domain: 'GC', figure: 'cycles per second', before: b.figures.gc?.cyclesPerSecond ?? null, after: a.figures.gc?.cyclesPerSecond ?? null, unit: 'per-second' },
    { domain: 'GC', figure: 'share of the CPU used', before: b.figures.gc?.cpuFraction ?? null, after: a.figures.gc?.cpuFraction ?? null, unit: 'fraction' },
    { domain: 'contention', figure: 'mutex delay per second', before: b.figures.contention?.mutexDelayNs ?? null, after: a.figures.contention?.mutexDelayNs ?? null, unit: 'ns' },
    { domain: 'contention', figure: 'blocked per second', before: b.figures.contention?.blockDelayNs ?? null, after: a.figures.contention?.blockDelayNs ?? null, unit: 'ns' },
    { domain: 'RSS', figure: 'resident', before: b.rss?.bytes ?? null, after: a.rss?.bytes ?? null, unit: 'bytes' },
  ];
  return rows.filter((r) => r.before !== null || r.after !== null);
}
