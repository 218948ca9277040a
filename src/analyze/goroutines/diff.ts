import { stateClass, waitsOnOtherGoroutines } from './state.js';
import type { Finding } from '../finding.js';
import type { Change, GoroutineDiff, GoroutineGroup, GroupChange } from './types.js';

/**
 * Groups matched between two dumps or profiles of one process by their
 * canonical stack (function, file, line of every frame), and by where they
 * were created when both are dumps (profiles do not say), so a debug=2 dump
 * can also be compared with a later proto profile: groups that grew, shrank,
 * appeared or vanished.
 */

/** A group must gain at least this many goroutines to be called growing (a server's request goroutines come and go by a few). */
export const GROWTH_MIN_GOROUTINES = 10;
/** ... and at least this fraction of what it had, so a 10,000-goroutine pool breathing by 10 is not a leak. */
export const GROWTH_MIN_FRACTION = 0.1;
/** Growth of this many goroutines between two looks is serious whatever the shares. */
export const GROWTH_HIGH_GOROUTINES = 100;

export function stackKey(g: GoroutineGroup, withCreator = false): string {
  const stack = g.frames.map((f) => `${f.func} ${f.file}:${f.line}`).join('\n');
  return withCreator && g.creator ? `${stack}\ncreated by ${g.creator.func} ${g.creator.file}:${g.creator.line}` : stack;
}

/** First against last of several looks at one process (in time order); the counts in between are kept as a series. */
export function diffGroups(looks: readonly (readonly GoroutineGroup[])[], byCreator = false): GoroutineDiff {
  const sums = looks.map((gs) => sumByStack(gs, byCreator));
  const a = sums[0]!;
  const b = sums[sums.length - 1]!;
  const seriesOf = (key: string) => sums.map((m) => m.get(key)?.count ?? 0);
  const changes: GroupChange[] = [];
  for (const [key, later] of b) changes.push(change(seriesOf(key), later.group));
  for (const [key, earlier] of a) {
    if (!b.has(key)) changes.push(change(seriesOf(key), earlier.group));
  }
  changes.sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta) || y.after - x.after);
  const total = (gs: readonly GoroutineGroup[]) => gs.reduce((s, g) => s + g.count, 0);
  return { totalBefore: total(looks[0]!), totalAfter: total(looks[looks.length - 1]!), changes };
}

function sumByStack(groups: readonly GoroutineGroup[], byCreator: boolean): Map<string, { count: number; group: GoroutineGroup }> {
  const m = new Map<string, { count: number; group: GoroutineGroup }>();
  for (const g of groups) {
    const key = stackKey(g, byCreator);
    const found = m.get(key);
    if (found) found.count += g.count;
    else m.set(key, { count: g.count, group: g });
  }
  return m;
}

function change(series: number[], group: GoroutineGroup): GroupChange {
  const before = series[0]!;
  const after = series[series.length - 1]!;
  const c: Change = before === 0 ? 'appeared' : after === 0 ? 'vanished' : after > before ? 'grew' : after < before ? 'shrank' : 'same';
  return { change: c, before, after, delta: after - before, state: group.state, group, series };
}

/** Never fewer than in the look before: a leak only grows, a busy pool goes up and down. */
function neverShrinks(series: readonly number[]): boolean {
  return series.every((n, i) => i === 0 || n >= series[i - 1]!);
}

export function growthFindings(diff: GoroutineDiff): Finding[] {
  const findings: Finding[] = [];
  for (const c of diff.changes) {
    if (c.group.system || c.delta < GROWTH_MIN_GOROUTINES || c.delta < c.before * GROWTH_MIN_FRACTION || !neverShrinks(c.series)) continue;
    const where = c.group.topFrame;
    // Goroutines queueing on a lock come and go with the holder: more of them is a pile-up, not a leak.
    const queued = stateClass(c.state) === 'lock';
    // Sleeping, in I/O or running, they end by themselves: more of them is a backlog or work outliving its caller, maybe not a leak.
    const wakes = !waitsOnOtherGoroutines(c.state) && stateClass(c.state) !== 'forever';
    const f: Finding = {
      kind: queued ? 'goroutine-pileup' : 'goroutine-leak',
      severity: wakes ? 'low' : c.delta >= GROWTH_HIGH_GOROUTINES ? 'high' : 'medium',
      title:
        `${c.delta} more goroutines ${queued ? 'queued in' : 'in'} ${c.state} at ${where?.func ?? '?'} (${c.before} → ${c.after})` +
        (wakes ? ': they wake by themselves, so a backlog or work that outlives its caller, not necessarily a leak' : ''),
      evidence: [
        { label: 'before', value: c.before, unit: 'goroutines' },
        { label: 'after', value: c.after, unit: 'goroutines' },
        ...c.series.slice(1, -1).map((n, i) => ({ label: `at look ${i + 2} of ${c.series.length}`, value: n, unit: 'goroutines' as const })),
        { label: 'state', value: c.state },
        ...(c.group.creator ? [{ label: 'created by', value: `${c.group.creator.func} (${c.group.creator.file}:${c.group.creator.line})` }] : []),
      ],
      advice: queued
        ? 'More goroutines wait on this lock than before: whoever holds it holds it too long for the rate of callers. ' +
          'Shorten the critical section (no I/O, sleeps or slow work under the lock), split the lock, or use a read lock where callers only read.'
        : 'A group that keeps growing between two looks at one process is a leak in progress: find what should end these goroutines ' +
          '(a cancelled context, a closed channel, a stopped ticker) and make sure every path reaches it. Take a third dump to confirm the trend.',
    };
    if (where) f.location = { function: where.func, file: where.file, line: where.line };
    findings.push(f);
  }
  return findings;
}
