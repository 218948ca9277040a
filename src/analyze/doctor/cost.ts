import type { Finding, Severity } from '../finding.js';

/**
 * What a finding costs the process, to rank causes: memory it holds now
 * (bytes), then CPU (the GC's share, or an allocation rate standing in for
 * the GC work it causes).
 */
const SEVERITY_RANK: Record<Severity, number> = { high: 0, medium: 1, low: 2, info: 3 };
/** Evidence that measures memory a finding's cause holds now. */
const HELD_LABEL = /(?:^|: )(?:inuse at the last snapshot|inuse|stack memory\b.*)$/;

/** Most severe first; within a severity, what holds the most memory, then what costs the most CPU. */
export function rankByCost<F extends Finding>(findings: readonly F[]): F[] {
  return findings
    .map((f, i) => ({ f, i, held: heldBytes(f), cpu: cpuCost(f) }))
    .sort((a, b) => SEVERITY_RANK[a.f.severity] - SEVERITY_RANK[b.f.severity] || b.held - a.held || b.cpu - a.cpu || a.i - b.i)
    .map(({ f }) => f);
}

export function heldBytes(f: Finding): number {
  const num = (label: string) => {
    const e = f.evidence.find((x) => x.label === label);
    return e && typeof e.value === 'number' ? e.value : undefined;
  };
  if (f.kind === 'memory-not-returned') return Math.max(0, (num('HeapIdle') ?? 0) - (num('HeapReleased') ?? 0));
  if (f.kind === 'heap-fragmentation') return Math.max(0, (num('HeapInuse') ?? 0) - (num('HeapAlloc') ?? 0));
  let sum = 0;
  for (const e of f.evidence) if (e.unit === 'bytes' && typeof e.value === 'number' && HELD_LABEL.test(e.label)) sum += e.value;
  return sum;
}

export function cpuCost(f: Finding): number {
  const gc = f.evidence.find((e) => e.unit === 'fraction' && /^GC share/.test(e.label));
  if (gc && typeof gc.value === 'number') return gc.value;
  const rate = f.evidence.find((e) => e.unit === 'bytes/s');
  // An allocation rate costs GC work in proportion; scaled far below any measured GC share.
  return rate && typeof rate.value === 'number' ? rate.value / 1e12 : 0;
}

