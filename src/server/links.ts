import type { Finding, FindingKind } from '../analyze/finding.js';
import type { Datasets } from './datasets.js';

/** The views the data allows, in the order the app shows them as tabs. */
export type ViewName = 'store' | 'findings' | 'flame' | 'timeline' | 'trace' | 'goroutines';

/** Where the app shows a finding's evidence: a view, which of its inputs, and what to search for there. */
export interface ViewLink {
  view: ViewName;
  /** Index of the profile, log or trace within the view's list. */
  dataset: number;
  /** A sample type to select (flame graph). */
  sampleType?: string;
  /** Highlight this function (a regular expression matching its name exactly). */
  search?: string;
}

export interface LinkedFinding {
  finding: Finding;
  /** The input (or capture) the finding came from. */
  from: string;
  /** Undefined when no loaded input can show it. */
  link?: ViewLink;
}

/** Profile kinds whose flame graph shows a finding kind's evidence, best first, with the sample type to pick. */
const PROFILE_EVIDENCE: Partial<Record<FindingKind, { kinds: string[]; sampleType: string }>> = {
  'heap-growth': { kinds: ['heap'], sampleType: 'inuse_space' },
  'small-object-accumulation': { kinds: ['heap'], sampleType: 'inuse_objects' },
  'large-object-retention': { kinds: ['heap'], sampleType: 'inuse_space' },
  'allocation-churn': { kinds: ['allocs', 'heap'], sampleType: 'alloc_space' },
  'memory-not-returned': { kinds: ['heap'], sampleType: 'inuse_space' },
  'heap-fragmentation': { kinds: ['heap'], sampleType: 'inuse_space' },
  'lock-contention': { kinds: ['block', 'mutex', 'contention'], sampleType: 'delay' },
  'escape-hotspot': { kinds: ['allocs', 'heap'], sampleType: 'alloc_space' },
  'unexplained-allocation': { kinds: ['allocs', 'heap'], sampleType: 'alloc_space' },
};

const GOROUTINE_KINDS: FindingKind[] = ['goroutine-leak', 'goroutine-leak-proven', 'goroutine-pileup', 'deadlock'];

/** The profile kinds that show a finding kind's evidence, best first, and the sample type to pick; undefined when no profile does. */
export function evidenceProfiles(kind: FindingKind): { kinds: string[]; sampleType?: string } | undefined {
  return PROFILE_EVIDENCE[kind] ?? (GOROUTINE_KINDS.includes(kind) ? { kinds: ['goroutine'] } : undefined);
}

/** A regular expression (RE2) matching exactly one function name. */
export function exactName(name: string): string {
  return `^${name.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&')}$`;
}

/**
 * The view that shows a finding's evidence: the input it came from when
 * known (`origin`), else the best loaded input for its kind (a capture's
 * merged findings), or none.
 */
export function linkFor(f: Finding, data: Datasets, origin?: ViewLink): ViewLink | undefined {
  const search = f.location ? { search: exactName(f.location.function) } : {};
  const evidence = PROFILE_EVIDENCE[f.kind];
  if (origin?.view === 'flame') {
    const types = data.profiles[origin.dataset]!.profile.sampleTypes;
    const sampleType = evidence && types.some((t) => t.type === evidence.sampleType) ? { sampleType: evidence.sampleType } : {};
    return { ...origin, ...sampleType, ...search };
  }
  if (origin) return { ...origin, ...search };
  if (evidence) {
    for (const kind of evidence.kinds) {
      const i = data.profiles.findIndex((p) => p.kind === kind);
      if (i >= 0) return { view: 'flame', dataset: i, sampleType: evidence.sampleType, ...search };
    }
  }
  if (GOROUTINE_KINDS.includes(f.kind) && data.goroutines.length) return { view: 'goroutines', dataset: 0, ...search };
  if (f.kind.startsWith('gc-') || f.kind === 'live-heap-growth') {
    if (data.gcLogs.length) return { view: 'timeline', dataset: 0 };
    if (data.traces.length) return { view: 'trace', dataset: 0 };
  }
  // A goroutine finding with no dump loaded still has a goroutine profile's flame graph.
  const goroutineProfile = data.profiles.findIndex((p) => p.kind === 'goroutine');
  if (GOROUTINE_KINDS.includes(f.kind) && goroutineProfile >= 0) return { view: 'flame', dataset: goroutineProfile, ...search };
  return undefined;
}

/** Findings of several inputs, each with its link, most severe first (a stable sort: each input's own ranking holds). */
export function linkedFindings(sources: { from: string; findings: Finding[]; origin?: ViewLink }[], data: Datasets): LinkedFinding[] {
  const order = { high: 0, medium: 1, low: 2, info: 3 };
  return sources
    .flatMap((s) => s.findings.map((finding) => ({ finding, from: s.from, link: linkFor(finding, data, s.origin) })))
    .sort((a, b) => order[a.finding.severity] - order[b.finding.severity]);
}
