import type { Evidence, Finding, Severity } from '../finding.js';
import type { GoroutineGroup, StackMemory } from './types.js';
import { stateClass } from './state.js';

/**
 * goroutine-leak findings for single groups: many goroutines parked at one
 * place on something only another goroutine can end, for a long time.
 */

/** Fewer than this parked at one place is usually a worker pool or a server's idle connections. */
export const LEAK_MIN_GOROUTINES = 10;
/** This many at one place is a leak whatever the wait time says (pools are sized by CPUs, not thousands). */
export const LEAK_MANY_GOROUTINES = 1000;
/** With a minute printed, the goroutines have been parked since before a GC at least a minute ago. */
export const LEAK_LONG_MINUTES = 1;
/** Without wait times (profiles), only this many at one place is worth a word. */
export const LEAK_UNTIMED_GOROUTINES = 100;

/**
 * footprint's own suspicion: groups the runtime did not prove leaked. When
 * the runtime's leak detector ran on this input (`detectorRan`), it looked at
 * these goroutines too and could not prove them leaked (what they wait on is
 * still reachable); the finding says so.
 */
export function leakFindings(groups: readonly GoroutineGroup[], memory: StackMemory, detectorRan = false): Finding[] {
  const findings: Finding[] = [];
  groups.forEach((g) => {
    if (g.system || g.leaked) return;
    const severity = leakSeverity(g);
    if (!severity) return;
    const f = leakFinding(g, severity, memory);
    if (detectorRan) f.evidence.push({ label: 'runtime leak detector', value: 'ran, and could not prove these leaked: what they wait on is still reachable' });
    findings.push(f);
  });
  return findings;
}

/**
 * The runtime's own verdict (Go 1.26+, GOEXPERIMENT=goroutineleakprofile):
 * its GC found these goroutines blocked on channels or locks that nothing
 * reachable can ever touch. Certain, so always high, whatever their number.
 */
export function provenLeakFindings(groups: readonly GoroutineGroup[], memory: StackMemory): Finding[] {
  return groups
    .filter((g) => g.leaked)
    .map((g): Finding => {
      const where = g.topFrame;
      const f: Finding = {
        kind: 'goroutine-leak-proven',
        severity: 'high',
        title: `${g.count} goroutine${g.count === 1 ? '' : 's'} leaked${g.state === 'unknown' ? '' : ` in ${g.state}`} at ${where?.func ?? 'an unknown frame'}: proven by the Go runtime`,
        evidence: [
          { label: 'goroutines', value: g.count, unit: 'goroutines' },
          { label: 'state', value: g.state },
          { label: 'proven by', value: "the runtime's goroutine leak detector (GOEXPERIMENT=goroutineleakprofile): nothing reachable can wake them" },
          ...(g.creator ? [{ label: 'created by', value: `${g.creator.func} (${g.creator.file}:${g.creator.line})` }] : []),
          ...stackEvidence(g, memory),
        ],
        advice: provenAdvice(g.state),
      };
      if (where) f.location = { function: where.func, file: where.file, line: where.line };
      return f;
    });
}

function provenAdvice(state: string): string {
  const cls = stateClass(state);
  if (cls === 'lock' || cls === 'sync') {
    return 'The lock (or WaitGroup, Cond) they wait on is reachable from nothing but these goroutines: whoever should release it is gone. Find the path that took it without releasing it (defer the Unlock / Done), or the goroutine that was meant to signal and returned early.';
  }
  return (
    'The channel they wait on is reachable from nothing but these goroutines: nobody can ever send, receive or close it. ' +
    'Usually the other side returned early (a timeout, an error path): give the channel a buffer of 1 for a result nobody may read, ' +
    'or select on ctx.Done() next to the channel operation.'
  );
}

function leakSeverity(g: GoroutineGroup): Severity | undefined {
  const cls = stateClass(g.state);
  if (cls === 'forever') return g.state === 'select (no cases)' ? 'low' : 'medium';
  if (cls !== 'channel' && cls !== 'timer') return undefined;
  const long = g.waitMinutes.max >= LEAK_LONG_MINUTES;
  if (g.count >= LEAK_MANY_GOROUTINES) return 'high';
  if (long && g.count >= LEAK_UNTIMED_GOROUTINES) return 'high';
  if (long && g.count >= LEAK_MIN_GOROUTINES) return cls === 'timer' ? 'low' : 'medium';
  if (!long && g.count >= LEAK_UNTIMED_GOROUTINES) return 'low';
  return undefined;
}

function leakFinding(g: GoroutineGroup, severity: Severity, memory: StackMemory): Finding {
  const where = g.topFrame;
  const f: Finding = {
    kind: 'goroutine-leak',
    severity,
    title: `${g.count} goroutine${g.count === 1 ? '' : 's'} parked in ${g.state}${waitText(g)} at ${where?.func ?? 'an unknown frame'}`,
    evidence: [
      { label: 'goroutines', value: g.count, unit: 'goroutines' },
      { label: 'state', value: g.state },
      ...waitEvidence(g),
      ...(g.creator ? [{ label: 'created by', value: `${g.creator.func} (${g.creator.file}:${g.creator.line})` }] : []),
      ...(g.parents.length > 1 ? [{ label: 'started by goroutines', value: g.parents.length, unit: 'count' as const }] : []),
      ...stackEvidence(g, memory),
    ],
    advice: leakAdvice(g),
  };
  if (where) f.location = { function: where.func, file: where.file, line: where.line };
  return f;
}

export function stackEvidence(g: GoroutineGroup, memory: StackMemory): Evidence[] {
  return [
    { label: memory.basis === 'calibrated' ? 'stack memory (of StackInuse)' : 'stack memory (estimate)', value: g.stackBytes, unit: 'bytes' },
    ...(g.shareOfProcess !== null ? [{ label: 'share of process memory (Sys)', value: g.shareOfProcess, unit: 'fraction' as const }] : []),
  ];
}

/** The runtime prints whole minutes parked (a wait under a minute prints nothing). */
function waitEvidence(g: GoroutineGroup): Evidence[] {
  const { min, max } = g.waitMinutes;
  if (max === 0) return [];
  const minute = 60e9;
  return min === max
    ? [{ label: 'waiting', value: max * minute, unit: 'ns' }]
    : [
        { label: 'shortest wait', value: min * minute, unit: 'ns' },
        { label: 'longest wait', value: max * minute, unit: 'ns' },
      ];
}

function waitText(g: GoroutineGroup): string {
  if (g.waitMinutes.max === 0) return '';
  return ` for ${minutesRange(g)} minute${g.waitMinutes.max === 1 ? '' : 's'}`;
}

export function minutesRange(g: GoroutineGroup): string {
  const { min, max } = g.waitMinutes;
  return min === max ? String(max) : `${min}–${max}`;
}

function leakAdvice(g: GoroutineGroup): string {
  switch (g.state) {
    case 'chan receive (nil chan)':
    case 'chan send (nil chan)':
      return 'A nil channel blocks forever: the channel was never made (or was set to nil). Initialise it, or give the goroutine a context to return on.';
    case 'select (no cases)':
      return 'select {} never returns. Fine for main waiting forever; anywhere else, wait on a context or a done channel instead.';
    case 'sleep':
      return 'Long sleeps pin the goroutine and its stack. Use a time.Timer or ticker in a select with ctx.Done() so the goroutine can stop.';
    default:
      return (
        'Nobody will ever send or receive on this channel. Give every goroutine a way out: select on ctx.Done() (or a done channel) ' +
        'next to the channel operation, close channels the receivers range over, use a buffered channel of size 1 for a result nobody may read, ' +
        'and stop tickers (defer t.Stop()).'
      );
  }
}
