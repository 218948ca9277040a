import { formatBytes, formatFraction } from '../../model/units.js';
import type { Evidence, Finding, Severity } from '../finding.js';
import type { ChainStep, Retainer } from './types.js';

/**
 * `retained-by`: one root keeps a large share of the reachable heap alive.
 * Thresholds, and why: a root retaining ≥ 10% of the reachable heap and
 * ≥ 1 MiB is worth knowing (low); ≥ 20% is where the heap's size is mostly
 * that one decision (medium); ≥ 50%, the heap *is* that root (high). Below
 * 1 MiB nothing is worth a finding whatever its share: a small program's
 * runtime globals hold a large share of a tiny heap.
 */
export const RETAINED_BY_THRESHOLDS = {
  minBytes: 1 << 20,
  low: 0.1,
  medium: 0.2,
  high: 0.5,
  /** An object of this size or more, pinned through a pointer into its middle, gets the sub-slice advice. */
  pinnedObjectBytes: 64 << 10,
} as const;

const T = RETAINED_BY_THRESHOLDS;

export function retainedByFindings(retainers: readonly Retainer[]): Finding[] {
  return retainers.flatMap((r) => {
    const severity = severityOf(r);
    return severity ? [finding(r, severity)] : [];
  });
}

function severityOf(r: Retainer): Severity | undefined {
  if (r.retainedBytes < T.minBytes) return undefined;
  if (r.share >= T.high) return 'high';
  if (r.share >= T.medium) return 'medium';
  if (r.share >= T.low) return 'low';
  return undefined;
}

function finding(r: Retainer, severity: Severity): Finding {
  const target = r.chain.at(-1);
  const pinned = pinnedInterior(r.chain);
  const site = target?.site;
  const location = site ? { function: site.function, file: site.file, line: site.line } : r.root.goroutine?.function ? { function: r.root.goroutine.function } : undefined;
  const evidence: Evidence[] = [
    { label: 'retained', value: r.retainedBytes, unit: 'bytes' },
    { label: 'share of the reachable heap', value: r.share, unit: 'fraction' },
    { label: 'objects retained', value: r.retainedObjects, unit: 'objects' },
    { label: 'root', value: rootText(r) },
    { label: 'reference chain', value: chainText(r) },
    ...(target?.size !== undefined ? [{ label: 'object at the end of the chain', value: target.size, unit: 'bytes' } as const] : []),
    ...(pinned ? [{ label: 'pointer lands inside it at byte', value: pinned.into, unit: 'bytes' } as const] : []),
    ...(site ? [{ label: 'allocated at', value: `${site.function} (${site.file}:${site.line})` }] : []),
    ...(r.recursive ? [{ label: 'alike objects after it, each holding the next', value: r.recursive, unit: 'objects' } as const] : []),
  ];
  return {
    kind: 'retained-by',
    severity,
    title: `${titleName(r)} keeps ${formatBytes(r.retainedBytes)} alive (${formatFraction(r.share)} of the reachable heap)`,
    ...(location ? { location } : {}),
    evidence,
    advice: advice(r, pinned),
  };
}

/** The last step when a pointer lands inside a big object rather than at its start: a small slice pinning a large array. */
function pinnedInterior(chain: readonly ChainStep[]): { into: number; size: number } | undefined {
  const last = chain.at(-1);
  if (!last?.via || last.via.into <= 0 || (last.size ?? 0) < T.pinnedObjectBytes) return undefined;
  return { into: last.via.into, size: last.size! };
}

function titleName(r: Retainer): string {
  const g = r.root.goroutine;
  if (r.root.kind === 'goroutine' && g) return `${r.root.name} (${[g.function, g.state].filter(Boolean).join(', ')})`;
  if (r.root.kind === 'finalizer' && r.root.finalizer?.function) return `${r.root.name} (${r.root.finalizer.function})`;
  if (r.root.kind === 'several') return `what ${r.root.name} share`;
  return r.root.name;
}

function rootText(r: Retainer): string {
  const kind = { global: 'global variable', goroutine: 'goroutine stack', frame: 'stack frame', finalizer: 'finalizer', other: 'runtime root', several: 'several roots' }[r.root.kind];
  return `${kind}: ${r.root.name}`;
}

/** The chain as names and addresses: `main.header → 0xc000400000`. */
export function chainText(r: Retainer): string {
  const names = r.chain.map((s) => s.name);
  if (r.elidedSteps) names.splice(r.chain.length / 2, 0, `… ${r.elidedSteps} more`);
  return names.join(' → ');
}

function advice(r: Retainer, pinned: { into: number; size: number } | undefined): string {
  if (pinned) {
    return `A pointer ${pinned.into} bytes into a ${formatBytes(pinned.size)} object keeps all of it alive: copy out the part you keep (bytes.Clone, strings.Clone, append to a new slice) and drop the reference to the big buffer.`;
  }
  switch (r.root.kind) {
    case 'global':
      return `${r.root.name} holds this for the life of the process: bound it (evict old entries, cap its size) or set it to nil when it is no longer needed.`;
    case 'goroutine':
      return `The goroutine keeps this on its stack while it waits${r.root.goroutine?.state ? ` (${r.root.goroutine.state})` : ''}: if it never returns, it leaks — give it a way out (close a channel, cancel a context), or let go of the data before it blocks.`;
    case 'finalizer':
      return 'A finalizer keeps its function (and what the function captures) for as long as its object lives, and an unreachable object with a finalizer for at least one more GC cycle: release resources explicitly (Close) rather than through finalizers, and do not capture large values in the finalizer function.';
    case 'several':
      return `This is held by ${r.root.roots?.length ?? 'several'} roots at once; it is freed only when all of them let go.`;
    default:
      return 'Find what holds this root and release it when it is no longer needed.';
  }
}
