import type { Profile } from '../../model/profile.js';
import { peekReport } from '../../report/peek.js';
import { Report, sampleIndexByName } from '../../report/report.js';
import { WrongInputError } from '../../model/errors.js';
import { scaleValues } from '../../model/transform.js';
import { topReport, type TopResult } from '../../report/top.js';
import { reverseChains } from './chains.js';
import { sampleFunctions } from '../stacks.js';
import { contentionFindings } from './findings.js';
import { programOnly } from '../program.js';
import type { ContentionAnalysis, ContentionKind, ContentionOptions, ContentionSite } from './types.js';

export type * from './types.js';
export { compareContentionRuns, contentionHeadlines } from './compare.js';

/**
 * Mutex and block profiles read from the callers' side: the top sites by
 * delay and by count (pprof's -top, same rows and numbers), and for the
 * heaviest sites who calls into them (pprof's -peek callers, plus longer
 * reverse chains), with lock-contention findings.
 */

/** Frames that only the unlocking side of a mutex profile shows as its leaf. */
const MUTEX_LEAF_RE = /^(?:(?:internal\/)?sync\.\(\*(?:RW)?Mutex\)\.(?:Unlock|RUnlock|unlockSlow|rUnlockSlow)|runtime\._LostContendedRuntimeLock|runtime\.unlock\w*)$/;
export const DEFAULT_SITES = 3;

export function analyzeContention(decoded: Profile, options: ContentionOptions = {}): ContentionAnalysis {
  checkSampleTypes(decoded, options.source);
  const text = decoded.contentionText;
  const kind = options.kind ?? text?.kind ?? inferKind(decoded);
  // pprof multiplies mutex text by its sampling period though the runtime already did (see formats/legacy/contention.ts).
  const pprofFactor = text?.kind === 'mutex' ? text.samplingPeriod : 1;
  const p = pprofFactor > 1 ? scaleValues(decoded, decoded.sampleTypes.map(() => 1 / pprofFactor)) : decoded;
  const byDelay = topReport(new Report(p, 'top', { sampleIndex: 'delay' }));
  const byCount = topReport(new Report(p, 'top', { sampleIndex: 'contentions' }));
  // The tables are pprof's, every sample; the sites explained are the program's: a profile served with
  // ?seconds= waits in net/http/pprof for the whole window, which is the profiler, not a contended lock.
  const program = programOnly(p);
  const programDelay = program === p ? byDelay : topReport(new Report(program, 'top', { sampleIndex: 'delay' }));
  const programCount = program === p ? byCount : topReport(new Report(program, 'top', { sampleIndex: 'contentions' }));
  const names = heaviestFlat(programDelay, options.sites ?? DEFAULT_SITES);
  const sites = names.length ? contendedSites(program, names, programDelay, programCount) : [];
  const analysis = {
    kind,
    totalDelayNanos: byDelay.total,
    totalContentions: byCount.total,
    byDelay,
    byCount,
    sites,
    pprofFactor,
    caveat: samplingCaveat(kind, text?.kind === 'mutex' ? text.samplingPeriod : undefined, pprofFactor),
  };
  return { ...analysis, findings: contentionFindings({ kind, sites, totalDelayNanos: programDelay.total }) };
}

function checkSampleTypes(p: Profile, source: string | undefined): void {
  const types = p.sampleTypes.map((t) => t.type);
  if (!types.includes('delay') || !types.includes('contentions')) {
    throw new WrongInputError(`not a mutex or block profile: its sample types are ${types.join(', ') || 'none'} (want contentions and delay)`, source);
  }
}

function inferKind(p: Profile): ContentionKind {
  for (let i = 0; i < p.samples.count; i++) {
    const leaf = sampleFunctions(p, i)[0];
    if (leaf !== undefined && MUTEX_LEAF_RE.test(leaf)) return 'mutex';
  }
  return 'block';
}

function heaviestFlat(top: TopResult, n: number): string[] {
  return top.rows
    .filter((r) => r.flat > 0)
    .slice(0, n)
    .map((r) => r.name);
}

function contendedSites(p: Profile, names: string[], byDelay: TopResult, byCount: TopResult): ContentionSite[] {
  const regex = `^(?:${names.map(escapeGoRegexp).join('|')})$`;
  const peek = peekReport(new Report(p, 'peek', { sampleIndex: 'delay' }), regex);
  const delayIndex = sampleIndexByName(p, 'delay');
  return names.map((name) => {
    const d = byDelay.rows.find((r) => r.name === name)!;
    const c = byCount.rows.find((r) => r.name === name);
    return {
      name,
      delay: { flat: d.flat, cum: d.cum, flatShare: byDelay.total ? d.flat / byDelay.total : 0 },
      contentions: { flat: c?.flat ?? 0, cum: c?.cum ?? 0 },
      callers: peek.entries.find((e) => e.name === name)?.callers ?? [],
      chains: reverseChains(p, name, delayIndex).chains,
    };
  });
}

function escapeGoRegexp(s: string): string {
  return s.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}

function samplingCaveat(kind: ContentionKind, period: number | undefined, pprofFactor: number): string {
  if (kind === 'mutex') {
    const sampled =
      period !== undefined
        ? `Sampled: 1 in ${period} contention events was recorded (runtime.SetMutexProfileFraction(${period})), and the runtime scales each record up by ${period}, so the figures are estimates.`
        : 'Sampled at the rate runtime.SetMutexProfileFraction set, and scaled up by the runtime, so the figures are estimates (the proto does not record the rate; the ?debug=1 text prints it as "sampling period").';
    const pprof =
      pprofFactor > 1
        ? ` go tool pprof (and footprint top) multiply this text's values by ${pprofFactor} once more and show ${pprofFactor}× these figures; this report does not.`
        : '';
    return `${sampled}${pprof} Stacks are those of the goroutine that unlocked, i.e. where the lock was held too long.`;
  }
  return 'Block profile: waits at least as long as the rate set by runtime.SetBlockProfileRate are all recorded, shorter ones are sampled and scaled up; the rate is not in the profile. Channel, select, WaitGroup and Cond waits count too, not only locks.';
}
