import { Ev } from '../../model/trace.js';

export { Ev, GoState, typeTable } from '../../model/trace.js';

/**
 * The event table of the Go 1.22+ execution trace format, learned from
 * `internal/trace/tracev2/events.go` (Go 1.26) and
 * `internal/trace/event/go122/event.go` (Go 1.23). Names are exactly the ones
 * `go tool trace -d=2` (1.23) / `-d=wire` (1.26) prints.
 *
 * `args` counts the varints after the type byte, including the timestamp
 * delta of timed events; the wire does not store it, so an unknown type byte
 * leaves the rest of its batch undecodable.
 */

interface Spec {
  name: string;
  /** Varints after the type byte (timed events: dt first). */
  args: number;
  timed: boolean;
}

const timed = (name: string, args: number): Spec => ({ name, args, timed: true });
const plain = (name: string, args: number): Spec => ({ name, args, timed: false });

const SPECS: Record<number, Spec> = {
  [Ev.EventBatch]: plain('EventBatch', 4),
  [Ev.Stacks]: plain('Stacks', 0),
  [Ev.Stack]: plain('Stack', 2),
  [Ev.Strings]: plain('Strings', 0),
  [Ev.String]: plain('String', 1),
  [Ev.CPUSamples]: plain('CPUSamples', 0),
  [Ev.CPUSample]: plain('CPUSample', 5),
  [Ev.Frequency]: plain('Frequency', 1),
  [Ev.ProcsChange]: timed('ProcsChange', 3),
  [Ev.ProcStart]: timed('ProcStart', 3),
  [Ev.ProcStop]: timed('ProcStop', 1),
  [Ev.ProcSteal]: timed('ProcSteal', 4),
  [Ev.ProcStatus]: timed('ProcStatus', 3),
  [Ev.GoCreate]: timed('GoCreate', 4),
  [Ev.GoCreateSyscall]: timed('GoCreateSyscall', 2),
  [Ev.GoStart]: timed('GoStart', 3),
  [Ev.GoDestroy]: timed('GoDestroy', 1),
  [Ev.GoDestroySyscall]: timed('GoDestroySyscall', 1),
  [Ev.GoStop]: timed('GoStop', 3),
  [Ev.GoBlock]: timed('GoBlock', 3),
  [Ev.GoUnblock]: timed('GoUnblock', 4),
  [Ev.GoSyscallBegin]: timed('GoSyscallBegin', 3),
  [Ev.GoSyscallEnd]: timed('GoSyscallEnd', 1),
  [Ev.GoSyscallEndBlocked]: timed('GoSyscallEndBlocked', 1),
  [Ev.GoStatus]: timed('GoStatus', 4),
  [Ev.STWBegin]: timed('STWBegin', 3),
  [Ev.STWEnd]: timed('STWEnd', 1),
  [Ev.GCActive]: timed('GCActive', 2),
  [Ev.GCBegin]: timed('GCBegin', 3),
  [Ev.GCEnd]: timed('GCEnd', 2),
  [Ev.GCSweepActive]: timed('GCSweepActive', 2),
  [Ev.GCSweepBegin]: timed('GCSweepBegin', 2),
  [Ev.GCSweepEnd]: timed('GCSweepEnd', 3),
  [Ev.GCMarkAssistActive]: timed('GCMarkAssistActive', 2),
  [Ev.GCMarkAssistBegin]: timed('GCMarkAssistBegin', 2),
  [Ev.GCMarkAssistEnd]: timed('GCMarkAssistEnd', 1),
  [Ev.HeapAlloc]: timed('HeapAlloc', 2),
  [Ev.HeapGoal]: timed('HeapGoal', 2),
  [Ev.GoLabel]: timed('GoLabel', 2),
  [Ev.UserTaskBegin]: timed('UserTaskBegin', 5),
  [Ev.UserTaskEnd]: timed('UserTaskEnd', 3),
  [Ev.UserRegionBegin]: timed('UserRegionBegin', 4),
  [Ev.UserRegionEnd]: timed('UserRegionEnd', 4),
  [Ev.UserLog]: timed('UserLog', 5),
  [Ev.GoSwitch]: timed('GoSwitch', 3),
  [Ev.GoSwitchDestroy]: timed('GoSwitchDestroy', 3),
  [Ev.GoCreateBlocked]: timed('GoCreateBlocked', 4),
  [Ev.GoStatusStack]: timed('GoStatusStack', 5),
  [Ev.ExperimentalBatch]: plain('ExperimentalBatch', 4),
  [Ev.Sync]: plain('Sync', 0),
  [Ev.ClockSnapshot]: timed('ClockSnapshot', 4),
  [Ev.EndOfGeneration]: plain('EndOfGeneration', 0),
  // The AllocFree experiment (GODEBUG=traceallocfree=1) writes these into ordinary batches.
  128: timed('Span', 4),
  129: timed('SpanAlloc', 4),
  130: timed('SpanFree', 2),
  131: timed('HeapObject', 3),
  132: timed('HeapObjectAlloc', 3),
  133: timed('HeapObjectFree', 2),
  134: timed('GoroutineStack', 3),
  135: timed('GoroutineStackAlloc', 3),
  136: timed('GoroutineStackFree', 2),
};

/** The highest ordinary event type each format version defines (tracev2 version.go). */
const LAST_EVENT_OF: Record<number, Ev> = {
  22: Ev.UserLog,
  23: Ev.ExperimentalBatch,
  25: Ev.ClockSnapshot,
  26: Ev.EndOfGeneration,
};

/** Go minor versions whose traces use this format. Go 1.24 writes `go 1.23 trace`. */
export const SUPPORTED_MINORS: readonly number[] = Object.keys(LAST_EVENT_OF).map(Number);

/** Number of varints after the type byte, per type; -1 where the version does not define the type. */
function argCountTable(minor: number): Int8Array {
  const table = new Int8Array(256).fill(-1);
  const last = LAST_EVENT_OF[minor] ?? Ev.EndOfGeneration;
  for (const [type, spec] of Object.entries(SPECS)) {
    const t = Number(type);
    if (t <= last || (t >= 128 && minor >= 23)) table[t] = spec.args;
  }
  return table;
}

/** Like argCountTable, with -1 also for the types that are not timed events (which an event batch cannot hold). */
export function timedArgCountTable(minor: number): Int8Array {
  const table = argCountTable(minor);
  for (let t = 0; t < 256; t++) if (!isTimed(t)) table[t] = -1;
  return table;
}

/** True for events carrying a timestamp delta (the ones that can appear in an event batch). */
function isTimed(type: number): boolean {
  return SPECS[type]?.timed === true;
}

/** The name go tool trace prints for a record type. */
export function eventName(type: number): string {
  return SPECS[type]?.name ?? `Invalid(${type})`;
}
