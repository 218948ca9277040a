import { formatCount } from '../../model/units.js';
import type { Finding } from '../finding.js';
import type { GoroutineEntries } from './entries.js';
import type { GoroutineGroup } from './types.js';

/**
 * request-scope-escape (seed 4.3): goroutines a net/http handler started
 * that are still alive though their requests are done. A dump names each
 * goroutine's parent (`created by F in goroutine N`); when the parents are
 * connection goroutines (net/http.(*conn).serve on their stacks), the group
 * was started while serving requests. More of them alive than requests in
 * flight in the starting function (goroutines with it on their stacks) means
 * they outlive the requests: a goroutine per request, detached from it.
 * Thresholds: ≥ 20 alive and over twice the requests in flight; high from
 * 1,000. Dumps only: profiles do not name parents.
 */
export const REQUEST_SCOPE_MIN = 20;
export const REQUEST_SCOPE_HIGH = 1000;
const CONN_SERVE = 'net/http.(*conn).serve';

export function requestScopeFindings(entries: GoroutineEntries, groups: readonly GoroutineGroup[]): Finding[] {
  if (!entries.fromDump) return [];
  const stackOf = new Map<number, string[]>();
  for (const e of entries.entries) if (e.id !== undefined) stackOf.set(e.id, e.frames.map((f) => entries.frames[f]!.func));
  const serving = (id: number) => stackOf.get(id)?.includes(CONN_SERVE) ?? false;
  const out: Finding[] = [];
  for (const g of groups) {
    if (g.system || g.count < REQUEST_SCOPE_MIN || !g.creator || g.frames.some((f) => f.func === CONN_SERVE)) continue;
    const known = g.parents.filter((id) => stackOf.has(id));
    const fromRequests = known.filter(serving);
    if (fromRequests.length === 0 || fromRequests.length < known.length / 2) continue;
    const creator = g.creator.func;
    const inFlight = [...stackOf.values()].filter((s) => s.includes(CONN_SERVE) && s.includes(creator)).length;
    if (g.count <= 2 * inFlight) continue;
    const where = g.topFrame;
    out.push({
      kind: 'request-scope-escape',
      severity: g.count >= REQUEST_SCOPE_HIGH ? 'high' : 'medium',
      title: `${formatCount(g.count)} goroutines started by ${creator} while serving requests are still alive (${g.state}), with ${formatCount(inFlight)} of its requests in flight`,
      ...(where ? { location: { function: where.func, file: where.file, line: where.line } } : {}),
      evidence: [
        { label: 'goroutines', value: g.count, unit: 'goroutines' },
        { label: 'state', value: g.state },
        { label: 'created by', value: `${creator} (${g.creator.file}:${g.creator.line})` },
        { label: 'requests in flight in it', value: inFlight, unit: 'goroutines' },
        { label: 'started on connections', value: fromRequests.length, unit: 'count' },
      ],
      advice:
        `Work started for a request should end with it: pass the request's context (r.Context()) to ${where?.func ?? 'the goroutine'} and ` +
        'return on ctx.Done(), or do the work before answering. Work that must outlive the request belongs on a bounded ' +
        'queue with its own workers and its own lifetime, not a goroutine per request.',
    });
  }
  return out;
}
