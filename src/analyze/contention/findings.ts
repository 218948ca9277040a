import type { ContentionKind, ContentionSite } from './types.js';
import { formatFraction } from '../../model/units.js';
import type { Finding, Severity } from '../finding.js';
import { isUserFunction } from '../go-names.js';

/**
 * lock-contention findings: a site that takes a large share of the profile's
 * delay, placed at the program's own frame that calls into it, with advice
 * that depends on what the site is (a mutex, a channel, a WaitGroup …).
 */

/** A site below this share of all delay is not worth a finding: contention is spread thin. */
export const CONTENTION_MIN_SHARE = 0.1;
/** Above this share one site dominates the profile. */
export const CONTENTION_HIGH_SHARE = 0.5;
/** Under a millisecond of delay in all is noise, whatever the shares. */
export const CONTENTION_MIN_TOTAL_NANOS = 1e6;

interface AnalysisForFindings {
  kind: ContentionKind;
  totalDelayNanos: number;
  sites: ContentionSite[];
}

export function contentionFindings(a: AnalysisForFindings): Finding[] {
  if (a.totalDelayNanos < CONTENTION_MIN_TOTAL_NANOS) return [];
  const findings: Finding[] = [];
  for (const site of a.sites) {
    if (site.delay.flatShare < CONTENTION_MIN_SHARE) continue;
    const what = siteKind(site.name);
    const caller = userCaller(site);
    // A library's own goroutines waiting for work (net/http's connection loops) is how it works, not a finding.
    if (!caller && WAITING_FOR_WORK.has(what)) continue;
    const f: Finding = {
      kind: 'lock-contention',
      // Without a frame of the program's own, nothing on the stacks is the user's to change: worth seeing, not ranking.
      severity: caller ? severityFor(site, what) : 'low',
      title: `${formatFraction(site.delay.flatShare)} of ${a.kind === 'mutex' ? 'mutex' : 'blocking'} delay at ${site.name}${caller ? `, mostly from ${caller.name}` : ', with no frame of the program on its stacks'}`,
      evidence: [
        { label: 'contended at', value: site.name },
        { label: 'delay', value: site.delay.flat, unit: 'ns' },
        { label: 'share of delay', value: site.delay.flatShare, unit: 'fraction' },
        { label: 'contentions', value: site.contentions.flat, unit: 'count' },
        ...(site.contentions.flat > 0 ? [{ label: 'mean wait', value: site.delay.flat / site.contentions.flat, unit: 'ns' as const }] : []),
        ...site.callers.slice(0, 3).map((c) => ({ label: `share called from ${c.name}`, value: c.percent / 100, unit: 'fraction' as const })),
      ],
      advice: adviceFor(what, a.kind, site),
    };
    if (caller) f.location = { function: caller.name, ...(caller.file ? { file: caller.file, line: caller.line } : {}) };
    findings.push(f);
  }
  return findings;
}

type SiteKind = 'mutex' | 'rwmutex' | 'channel' | 'waitgroup' | 'cond' | 'runtime' | 'other';

function siteKind(name: string): SiteKind {
  if (/RWMutex/.test(name)) return 'rwmutex';
  if (/sync\.\(\*Mutex\)|SemacquireMutex/.test(name)) return 'mutex';
  if (/^runtime\.(?:chanrecv|chansend|selectgo)|^reflect\.rselect/.test(name)) return 'channel';
  if (/WaitGroup/.test(name)) return 'waitgroup';
  if (/sync\.\(\*Cond\)/.test(name)) return 'cond';
  if (name.startsWith('runtime.')) return 'runtime';
  return 'other';
}

function severityFor(site: ContentionSite, what: SiteKind): Severity {
  // Channel, WaitGroup and Cond waits are usually goroutines waiting for work: worth a look, rarely the problem.
  if (what === 'channel' || what === 'waitgroup' || what === 'cond') return 'low';
  return site.delay.flatShare >= CONTENTION_HIGH_SHARE ? 'high' : 'medium';
}

/** The heaviest chain's first frame in the program's own code, with the line it calls from: where the program takes the lock. */
function userCaller(site: ContentionSite): { name: string; file?: string; line?: number } | undefined {
  for (const chain of site.chains) {
    const i = chain.callers.findIndex((c) => isUserFunction(c));
    if (i >= 0) return { name: chain.callers[i]!, ...chain.positions[i] };
  }
  return undefined;
}

const WAITING_FOR_WORK = new Set<SiteKind>(['channel', 'waitgroup', 'cond']);

/** Most of the site's delay comes through sync.(*Pool).pinSlow: the lock is the runtime's registry of pools, taken when a new pool is first used on a P. */
function poolRegistration(site: ContentionSite): boolean {
  const through = site.chains.filter((c) => c.callers.includes('sync.(*Pool).pinSlow')).reduce((s, c) => s + c.share, 0);
  return through >= 0.5;
}

function adviceFor(what: SiteKind, kind: ContentionKind, site: ContentionSite): string {
  if (poolRegistration(site)) {
    return (
      'The lock is the runtime\'s registry of sync.Pools (sync.(*Pool).pinSlow): a new pool takes it the first time it is used on each P, ' +
      'so pools made again and again (one per request or per call) queue here. Make the pool once — a package-level variable or a field ' +
      'of a long-lived struct — and share it.'
    );
  }
  // The program's own callers on the chains that carry real weight: sync.(*Pool).pinSlow is the runtime's, not a free list.
  const callers = site.chains.filter((c) => c.share >= CONTENTION_MIN_SHARE).flatMap((c) => c.callers.filter(isUserFunction));
  const poolLike = callers.some((c) => /pool|cache|free|buf|alloc/i.test(c));
  switch (what) {
    case 'mutex':
    case 'rwmutex':
      return [
        kind === 'mutex'
          ? 'These stacks are the unlockers: the lock was held long here. Shorten the critical section (copy what you need, unlock, then work) and do no I/O, sleeps or channel operations while holding it.'
          : 'Goroutines waited here to take the lock. Shorten what the holders do under it, and do no I/O while holding it.',
        'Shard the lock by key (N locks, hash the key) so unrelated callers do not queue behind each other.',
        what === 'rwmutex'
          ? 'Writers stall every reader of an RWMutex: batch writes, or publish read-mostly data through atomic.Pointer (copy on write).'
          : 'For read-mostly data, a sync.RWMutex or an atomic.Pointer snapshot lets readers run in parallel.',
        poolLike ? 'The callers look like a free list or cache under a lock: sync.Pool keeps per-P caches and needs no lock.' : '',
      ]
        .filter(Boolean)
        .join(' ');
    case 'channel':
      return 'Time spent waiting on channels: often idle workers waiting for work, which is fine. On a hot path, buffer the channel, batch sends, or give each producer its own channel.';
    case 'waitgroup':
      return 'Waiting for the slowest of a group of goroutines: balance the work between them, or stream results as they finish instead of waiting for all.';
    case 'cond':
      return 'Goroutines waiting on a sync.Cond: check that Broadcast/Signal are not delayed behind a long critical section.';
    case 'runtime':
      return 'Contention on a runtime-internal lock. Run with GODEBUG=runtimecontentionstacks=1 to see the callers; frequent causes are many goroutines allocating large objects or creating timers at once.';
    default:
      return 'Look at the callers above: shorten what is done while others wait here, or split the shared resource.';
  }
}
