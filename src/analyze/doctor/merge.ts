import type { Evidence, Finding, FindingKind, Severity } from '../finding.js';
import type { GoroutineAnalysis, GoroutineGroup } from '../goroutines/types.js';
import { isUserFunction } from '../go-names.js';
import { stateClass } from '../goroutines/state.js';
import type { SeenFinding } from './domains.js';
import type { DoctorFinding } from './types.js';

/**
 * One root cause seen from several domains is one finding. Findings are
 * linked when they describe the same cause — the rules below, each a thing
 * the runtime makes true — and every linked group becomes one finding led
 * by its most important member, with the others' headline figures as
 * evidence and the domains that saw it listed.
 */

/** Kinds that can describe one cause, seen from different domains. */
const FAMILY: Partial<Record<FindingKind, string>> = {
  'goroutine-leak-proven': 'held',
  'goroutine-leak': 'held',
  'request-scope-escape': 'held',
  'init-retention': 'held',
  'pool-oversized': 'held',
  'heap-growth': 'held',
  'small-object-accumulation': 'held',
  'large-object-retention': 'held',
  'lock-contention': 'lock',
  'goroutine-pileup': 'lock',
  'allocation-churn': 'churn',
  'pool-miss': 'churn',
  'gc-pressure': 'churn',
  'gc-assist-heavy': 'churn',
};

/** Within one cause and one severity, which kind names it: the symptom the user came with, before the mechanism. */
const LEAD_ORDER: readonly FindingKind[] = [
  'goroutine-leak-proven',
  'goroutine-leak',
  'request-scope-escape',
  'init-retention',
  'pool-oversized',
  'heap-growth',
  'small-object-accumulation',
  'large-object-retention',
  'memory-not-returned',
  'heap-fragmentation',
  'lock-contention',
  'goroutine-pileup',
  'gc-pressure',
  'pool-miss',
  'allocation-churn',
  'gc-assist-heavy',
];

const SEVERITY_RANK: Record<Severity, number> = { high: 0, medium: 1, low: 2, info: 3 };

export interface MergeContext {
  goroutines?: GoroutineAnalysis;
}


export function mergeCauses(seen: readonly SeenFinding[], ctx: MergeContext): DoctorFinding[] {
  const links = new UnionFind(seen.length);
  const kind = (i: number) => seen[i]!.finding.kind;
  for (let i = 0; i < seen.length; i++) {
    for (let j = i + 1; j < seen.length; j++) {
      if (sameCause(seen[i]!, seen[j]!, ctx)) links.join(i, j);
    }
  }
  // The runtime's g structs (runtime.malg) are what leaked goroutines hold on the heap: the largest leak owns them.
  // Without a leak in the goroutines, goroutines created and queued on a lock are what the descriptors are.
  const leak = largest(seen, 'goroutine-leak') ?? largest(seen, 'goroutine-pileup');
  if (leak !== undefined) {
    seen.forEach((s, i) => {
      if (s.domain === 'heap profile' && kind(i) === 'goroutine-leak') links.join(i, leak);
    });
  }
  // One process has one GC: every domain's view of its cost is one cause, driven by what the program allocates most.
  const gc = seen.flatMap((s, i) => (s.finding.kind === 'gc-pressure' || s.finding.kind === 'gc-assist-heavy' ? [i] : []));
  for (const i of gc.slice(1)) links.join(gc[0]!, i);
  const churn = topChurn(seen);
  if (churn !== undefined && gc.length) links.join(gc[0]!, churn);
  return links.groups().map((members) => combine(members.map((i) => seen[i]!)));
}

function sameCause(a: SeenFinding, b: SeenFinding, ctx: MergeContext): boolean {
  if (heldByWaiters(a, b, ctx) || heldByWaiters(b, a, ctx)) return true;
  const fa = a.finding;
  const fb = b.finding;
  const familyA = FAMILY[fa.kind];
  const familyB = FAMILY[fb.kind];
  if (familyA === undefined || familyB === undefined || familyA !== familyB) return false;
  const at = (f: Finding) => f.location?.function;
  if (at(fa) !== undefined && at(fa) === at(fb)) return true;
  if (familyA === 'held') return heldByGoroutines(a, b, ctx) || heldByGoroutines(b, a, ctx);
  if (familyA === 'lock') return sameLock(a, b, ctx);
  return false;
}

/**
 * Heap allocated where leaked goroutines are created or run is what they
 * keep alive: their request, their channel, their buffers.
 */
function heldByGoroutines(leak: SeenFinding, heap: SeenFinding, ctx: MergeContext): boolean {
  if (leak.finding.kind !== 'goroutine-leak' || leak.domain !== 'goroutines' || heap.domain !== 'heap profile') return false;
  const where = heap.finding.location?.function;
  if (where === undefined) return false;
  const group = groupAt(ctx, leak.finding.location?.function);
  return group !== undefined && (group.creator?.func === where || group.frames.some((f) => f.func === where));
}

/**
 * Heap allocated on the stacks of goroutines queued on a lock is held until
 * they get it: part of the pile-up, not a leak of its own.
 */
function heldByWaiters(lock: SeenFinding, heap: SeenFinding, ctx: MergeContext): boolean {
  if (FAMILY[lock.finding.kind] !== 'lock' || FAMILY[heap.finding.kind] !== 'held' || heap.domain !== 'heap profile') return false;
  const where = heap.finding.location?.function;
  const group = groupAt(ctx, lock.finding.location?.function);
  return where !== undefined && group !== undefined && stateClass(group.state) === 'lock' && group.frames.some((f) => f.func === where);
}

/**
 * Waiters and holders of one lock: the block profile and the goroutines
 * show where goroutines wait, the mutex profile where the lock was held.
 * They are one cause when a pile-up names the holder's function, when heap
 * is allocated on the waiters' stacks, or when both profiles are dominated
 * (half of their delay or more) by the same kind of lock.
 */
function sameLock(a: SeenFinding, b: SeenFinding, ctx: MergeContext): boolean {
  const [mutex, other] = a.domain === 'mutex profile' ? [a, b] : b.domain === 'mutex profile' ? [b, a] : [undefined, undefined];
  if (mutex && other) {
    const holder = mutex.finding.location?.function;
    const pileup = ctx.goroutines?.pileups.find((p) => p.site?.func === other.finding.location?.function);
    if (holder !== undefined && pileup?.holders.some((h) => h.frame?.func === holder)) return true;
    if (other.domain === 'block profile' && dominant(mutex.finding) && dominant(other.finding)) return lockKind(mutex.finding) === lockKind(other.finding) && lockKind(mutex.finding) !== undefined;
  }
  // A pile-up seen in the goroutines and a block-profile finding at the same waiting site (same function, handled above) or line.
  return false;
}


const DOMINANT_SHARE = 0.5;

function dominant(f: Finding): boolean {
  const share = f.evidence.find((e) => e.label === 'share of delay');
  return share !== undefined && typeof share.value === 'number' && share.value >= DOMINANT_SHARE;
}

/** Mutex or RWMutex, from where the contention sits; undefined for channels and the rest. */
function lockKind(f: Finding): 'mutex' | 'rwmutex' | undefined {
  const site = f.evidence.find((e) => e.label === 'contended at')?.value;
  if (typeof site !== 'string') return undefined;
  if (/RWMutex/.test(site)) return 'rwmutex';
  if (/sync\.\(\*Mutex\)|SemacquireMutex/.test(site)) return 'mutex';
  return undefined;
}

function groupAt(ctx: MergeContext, func: string | undefined): GoroutineGroup | undefined {
  if (func === undefined) return undefined;
  return ctx.goroutines?.groups.find((g) => g.topFrame?.func === func && stateClass(g.state) !== 'active');
}

/** The allocation-churn finding that allocates the most bytes (not a low one: that one drives nothing). */
function topChurn(seen: readonly SeenFinding[]): number | undefined {
  let best: number | undefined;
  let most = 0;
  seen.forEach((s, i) => {
    if (s.finding.kind !== 'allocation-churn' || s.finding.severity === 'low') return;
    const bytes = s.finding.evidence.find((e) => e.label === 'allocated')?.value;
    if (typeof bytes === 'number' && bytes > most) {
      most = bytes;
      best = i;
    }
  });
  return best;
}

/** The goroutines-domain finding of `kind` with the most goroutines. */
function largest(seen: readonly SeenFinding[], kind: 'goroutine-leak' | 'goroutine-pileup'): number | undefined {
  let best: number | undefined;
  let most = 0;
  seen.forEach((s, i) => {
    if (s.domain !== 'goroutines' || s.finding.kind !== kind) return;
    const n = s.finding.evidence.find((e) => e.unit === 'goroutines' && ['goroutines', 'after', 'waiting'].includes(e.label))?.value;
    if (typeof n === 'number' && n > most) {
      most = n;
      best = i;
    }
  });
  return best;
}

/**
 * The group's finding: its lead, placed at a program frame, with what the
 * others add. Between equals the waiting side leads a lock's group (where
 * goroutines queue is where the user sees the problem; the holder is named).
 */
function combine(members: readonly SeenFinding[]): DoctorFinding {
  if (members.length === 1) return { ...members[0]!.finding, seenIn: [members[0]!.domain], merged: [] };
  const ordered = [...members].sort(
    (a, b) => rank(a.finding) - rank(b.finding) || Number(userLocated(b.finding)) - Number(userLocated(a.finding)) || Number(a.domain === 'mutex profile') - Number(b.domain === 'mutex profile'),
  );
  const [lead, ...others] = ordered as [SeenFinding, ...SeenFinding[]];
  const domains = [...new Set(ordered.map((m) => m.domain))];
  // The program's own function, when the lead names a library's (runtime.malg) or none (GC pressure).
  const borrowed = userLocated(lead.finding) ? undefined : others.find((o) => userLocated(o.finding));
  const location = borrowed?.finding.location ?? lead.finding.location;
  const severity = lead.finding.severity;
  const holder = lockHolder(lead, others);
  const evidence: Evidence[] = [
    ...lead.finding.evidence,
    ...(holder ? [{ label: 'lock held by', value: holder }] : []),
    ...others.flatMap((o) => alsoSeen(o)),
  ];
  return {
    ...lead.finding,
    severity,
    ...(location ? { location } : {}),
    title: holder
      ? `${lead.finding.title}; the lock is held by ${holder}`
      : borrowed && lead.finding.kind === 'gc-pressure'
        ? `${lead.finding.title}, driven by allocation in ${borrowed.finding.location!.function}`
        : lead.finding.title,
    evidence,
    seenIn: domains,
    merged: others.map((o) => ({ kind: o.finding.kind, domain: o.domain, title: o.finding.title })),
  };
}

function userLocated(f: Finding): boolean {
  return f.location !== undefined && isUserFunction(f.location.function);
}

function rank(f: Finding): number {
  const kindAt = LEAD_ORDER.indexOf(f.kind);
  return SEVERITY_RANK[f.severity] * 100 + (kindAt < 0 ? LEAD_ORDER.length : kindAt);
}

/** The mutex profile charges the unlocker: where a lock group's lock was held. */
function lockHolder(lead: SeenFinding, others: readonly SeenFinding[]): string | undefined {
  const mutex = [lead, ...others].find((m) => m.domain === 'mutex profile' && m.finding.location);
  const waitAt = lead.finding.location?.function;
  const holder = mutex?.finding.location?.function;
  return holder !== undefined && holder !== waitAt ? holder : undefined;
}

/** A merged member's first quantity, labelled with its domain and kind. */
function alsoSeen(m: SeenFinding): Evidence[] {
  const where = m.finding.location?.function;
  const label = `${m.domain} (${m.finding.kind}${where ? ` at ${where}` : ''})`;
  // A change over the window reads as both ends; anything else by its first quantity.
  const before = m.finding.evidence.find((e) => e.label === 'before');
  const q = m.finding.evidence.find((e) => e.unit !== undefined && e !== before);
  if (!q || q.unit === undefined) return [{ label, value: m.finding.title }];
  return [...(before && before.unit !== undefined ? [{ ...before, label: `${label}: before` }] : []), { label: `${label}: ${q.label}`, value: q.value, unit: q.unit }];
}

class UnionFind {
  private readonly parent: number[];

  constructor(n: number) {
    this.parent = Array.from({ length: n }, (_, i) => i);
  }

  find(i: number): number {
    while (this.parent[i] !== i) {
      this.parent[i] = this.parent[this.parent[i]!]!;
      i = this.parent[i]!;
    }
    return i;
  }

  join(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }

  /** Groups in order of their first member. */
  groups(): number[][] {
    const by = new Map<number, number[]>();
    for (let i = 0; i < this.parent.length; i++) {
      const r = this.find(i);
      const g = by.get(r);
      if (g) g.push(i);
      else by.set(r, [i]);
    }
    return [...by.values()];
  }
}
