import type { Unit } from '../model/units.js';
import type { Evidence, Finding, FindingKind, Severity } from './finding.js';

/**
 * Before and after: two readings of the same kind (two heap profiles, two
 * gctrace logs, two goroutine dumps, two doctor captures …) of different runs,
 * builds or processes, compared finding by finding and figure by figure.
 * Every domain reports findings in one shape, so one mechanism serves them
 * all; a domain only says which figures head its reading (`Headline`).
 */

/** A figure at the head of a reading (heap in use, GC CPU, goroutines), to set two readings side by side. */
export interface Headline {
  label: string;
  /** null when this reading cannot give it (no MemStats, a log too short for a rate). */
  value: number | null;
  unit: Unit;
}

export interface HeadlineChange {
  label: string;
  unit: Unit;
  before: number | null;
  after: number | null;
  /** after − before, when both are known. */
  delta: number | null;
  /** delta ÷ |before|, when both are known and before is not 0. */
  relative: number | null;
}

/**
 * What became of a finding: `new` (only after), `gone` (only before), `worse`
 * / `better` (its severity rose / fell), `grew` / `shrank` (same severity, its
 * size moved by SIZE_CHANGE or more), `same`.
 */
export type FindingChangeKind = 'new' | 'gone' | 'worse' | 'better' | 'grew' | 'shrank' | 'same';

export interface FindingChange {
  change: FindingChangeKind;
  kind: FindingKind;
  /** The function the finding is about, when it names one: with the kind, what matches a finding to its earlier self. */
  function?: string;
  /** The later severity (the earlier one for a finding that is gone). */
  severity: Severity;
  before?: Finding;
  after?: Finding;
  /** The first quantity both findings give: what the finding measured then and now. */
  size?: { label: string; unit: Unit; before: number; after: number; relative: number | null };
}

/** One side of a comparison: where it came from, its findings and its headline figures. */
export interface Reading {
  source: string;
  findings: readonly Finding[];
  headlines: readonly Headline[];
}

export interface Comparison {
  before: string;
  after: string;
  headlines: HeadlineChange[];
  /** Regressions first (new, worse, grew), then improvements (gone, better, shrank), then the unchanged. */
  findings: FindingChange[];
  counts: Record<FindingChangeKind, number>;
}

/**
 * A finding whose size moved by less than this (relative) is the same
 * finding: heap profiles are sampled (one sample per 512 KiB allocated by
 * default) and goroutine counts and GC shares wander between runs, so a few
 * percent is noise, not a change worth a line.
 */
export const SIZE_CHANGE = 0.1;

const SEVERITY_RANK: Record<Severity, number> = { high: 0, medium: 1, low: 2, info: 3 };
const CHANGE_ORDER: readonly FindingChangeKind[] = ['new', 'worse', 'grew', 'gone', 'better', 'shrank', 'same'];

/** An analysis and the file (or capture) it read. */
export interface Named<A> {
  source: string;
  analysis: A;
}

/**
 * Two analyses of one domain side by side, given how the domain reads its
 * headline figures (heapHeadlines, gcHeadlines, goroutineHeadlines,
 * contentionHeadlines, or a caller's own).
 */
export function compareAnalyses<A extends { findings: readonly Finding[] }>(before: Named<A>, after: Named<A>, headlines: (a: A) => Headline[]): Comparison {
  const reading = (r: Named<A>): Reading => ({ source: r.source, findings: r.analysis.findings, headlines: headlines(r.analysis) });
  return compareReadings(reading(before), reading(after));
}

/** Two readings side by side: their headline figures and their findings, matched. */
export function compareReadings(before: Reading, after: Reading): Comparison {
  const findings = compareFindings(before.findings, after.findings);
  const counts = Object.fromEntries(CHANGE_ORDER.map((c) => [c, 0])) as Record<FindingChangeKind, number>;
  for (const f of findings) counts[f.change]++;
  return { before: before.source, after: after.source, headlines: compareHeadlines(before.headlines, after.headlines), findings, counts };
}

/**
 * Findings matched by kind and function (file and line move between builds;
 * the function a finding names does not). Where several share a kind and
 * function, each later finding takes the earlier one most like it: same
 * line, then the same names and states in its evidence.
 */
export function compareFindings(before: readonly Finding[], after: readonly Finding[]): FindingChange[] {
  const earlier = groupByIdentity(before);
  const taken = new Set<Finding>();
  const changes: { change: FindingChange; order: number }[] = [];
  after.forEach((a, order) => {
    const b = takeMostAlike(earlier.get(identity(a)) ?? [], a, taken);
    changes.push({ change: b ? pairChange(b, a) : single('new', a), order });
  });
  before.forEach((b, order) => {
    if (!taken.has(b)) changes.push({ change: single('gone', b), order });
  });
  return changes
    .sort((x, y) => changeRank(x.change) - changeRank(y.change) || SEVERITY_RANK[x.change.severity] - SEVERITY_RANK[y.change.severity] || x.order - y.order)
    .map((c) => c.change);
}

/** Headlines paired by label, in the earlier reading's order; one only one side gives has null on the other. */
export function compareHeadlines(before: readonly Headline[], after: readonly Headline[]): HeadlineChange[] {
  const labels = [...new Set([...before, ...after].map((h) => h.label))];
  return labels.map((label) => {
    const b = before.find((h) => h.label === label);
    const a = after.find((h) => h.label === label);
    const x = b?.value ?? null;
    const y = a?.value ?? null;
    const delta = x !== null && y !== null ? y - x : null;
    return { label, unit: (a ?? b)!.unit, before: x, after: y, delta, relative: delta !== null && x !== 0 ? delta / Math.abs(x!) : null };
  });
}

/** The later side of what got worse: new findings and findings whose severity rose (what a CI gate fails on). */
export function regressions(changes: readonly FindingChange[]): Finding[] {
  return changes.filter((c) => c.change === 'new' || c.change === 'worse').map((c) => c.after!);
}

function identity(f: Finding): string {
  return `${f.kind}\0${f.location?.function ?? ''}`;
}

function groupByIdentity(findings: readonly Finding[]): Map<string, Finding[]> {
  const m = new Map<string, Finding[]>();
  for (const f of findings) {
    const k = identity(f);
    const list = m.get(k);
    if (list) list.push(f);
    else m.set(k, [f]);
  }
  return m;
}

/** The earlier finding not yet `taken` that is most like `a` (the first on a tie), marked taken. */
function takeMostAlike(candidates: readonly Finding[], a: Finding, taken: Set<Finding>): Finding | undefined {
  let best: Finding | undefined;
  let bestScore = -1;
  for (const b of candidates) {
    if (taken.has(b)) continue;
    const score = likeness(b, a);
    if (score > bestScore) [best, bestScore] = [b, score];
  }
  if (best) taken.add(best);
  return best;
}

/** Same line counts most; then each name or state the two findings' evidence shares. */
function likeness(b: Finding, a: Finding): number {
  const sameLine = b.location?.line !== undefined && b.location.line === a.location?.line && b.location.file === a.location.file;
  const names = new Set(b.evidence.filter((e) => e.unit === undefined).map((e) => `${e.label}\0${e.value}`));
  const shared = a.evidence.filter((e) => e.unit === undefined && names.has(`${e.label}\0${e.value}`)).length;
  return (sameLine ? 1000 : 0) + shared;
}

function single(change: 'new' | 'gone', f: Finding): FindingChange {
  return {
    change,
    kind: f.kind,
    ...(f.location ? { function: f.location.function } : {}),
    severity: f.severity,
    ...(change === 'new' ? { after: f } : { before: f }),
  };
}

function pairChange(b: Finding, a: Finding): FindingChange {
  const size = sizeOf(b, a);
  const rise = SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity];
  const moved = size && (size.relative === null ? size.after !== size.before : Math.abs(size.relative) >= SIZE_CHANGE);
  const change: FindingChangeKind = rise > 0 ? 'worse' : rise < 0 ? 'better' : moved ? (size.after > size.before ? 'grew' : 'shrank') : 'same';
  return {
    change,
    kind: a.kind,
    ...(a.location ? { function: a.location.function } : {}),
    severity: a.severity,
    before: b,
    after: a,
    ...(size ? { size } : {}),
  };
}

function sizeOf(b: Finding, a: Finding): FindingChange['size'] {
  const quantities = (f: Finding) => f.evidence.filter((e): e is Extract<Evidence, { unit: Unit }> => e.unit !== undefined);
  const earlier = quantities(b);
  for (const q of quantities(a)) {
    const p = earlier.find((e) => e.label === q.label && e.unit === q.unit);
    if (p) return { label: q.label, unit: q.unit, before: p.value, after: q.value, relative: p.value !== 0 ? (q.value - p.value) / Math.abs(p.value) : null };
  }
  return undefined;
}

function changeRank(c: FindingChange): number {
  return CHANGE_ORDER.indexOf(c.change);
}
