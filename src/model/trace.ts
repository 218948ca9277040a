/**
 * What an execution trace is made of, as the analyses see it: events by
 * type, each with its time, thread, goroutine and P, and its arguments.
 */

/**
 * Event types of the Go 1.22+ execution trace, numbered as the wire format
 * numbers them (`internal/trace/tracev2/events.go`, Go 1.26; the 1.22–1.25
 * formats use the same numbers for the events they have). The decoder's
 * tables of argument counts per Go version are in formats/trace/spec.ts.
 */
export const enum Ev {
  EventBatch = 1,
  Stacks = 2,
  Stack = 3,
  Strings = 4,
  String = 5,
  CPUSamples = 6,
  CPUSample = 7,
  Frequency = 8,
  ProcsChange = 9,
  ProcStart = 10,
  ProcStop = 11,
  ProcSteal = 12,
  ProcStatus = 13,
  GoCreate = 14,
  GoCreateSyscall = 15,
  GoStart = 16,
  GoDestroy = 17,
  GoDestroySyscall = 18,
  GoStop = 19,
  GoBlock = 20,
  GoUnblock = 21,
  GoSyscallBegin = 22,
  GoSyscallEnd = 23,
  GoSyscallEndBlocked = 24,
  GoStatus = 25,
  STWBegin = 26,
  STWEnd = 27,
  GCActive = 28,
  GCBegin = 29,
  GCEnd = 30,
  GCSweepActive = 31,
  GCSweepBegin = 32,
  GCSweepEnd = 33,
  GCMarkAssistActive = 34,
  GCMarkAssistBegin = 35,
  GCMarkAssistEnd = 36,
  HeapAlloc = 37,
  HeapGoal = 38,
  GoLabel = 39,
  UserTaskBegin = 40,
  UserTaskEnd = 41,
  UserRegionBegin = 42,
  UserRegionEnd = 43,
  UserLog = 44,
  GoSwitch = 45,
  GoSwitchDestroy = 46,
  GoCreateBlocked = 47,
  GoStatusStack = 48,
  ExperimentalBatch = 49,
  Sync = 50,
  ClockSnapshot = 51,
  EndOfGeneration = 52,
}

/** Goroutine status values in GoStatus records (tracev2 GoStatus); Running and Syscall are "executing". */
export const GoState = { Runnable: 1, Running: 2, Syscall: 3, Waiting: 4 } as const;

/**
 * One event as a visitor sees it. The object is reused for every event: read
 * what you need inside the callback, never keep it or write to it (the merge
 * keeps its clock in `time`).
 */
export interface TraceEvent {
  type: number;
  /** Nanoseconds on the trace clock, strictly increasing as the Go reader makes them. */
  time: number;
  /** The OS thread that wrote it (-1 for the runtime's own batches), and the goroutine and P it was running (-1: none). */
  m: number;
  g: number;
  p: number;
  /** Arguments after the timestamp delta, in spec order. */
  args: Float64Array;
  gen: number;
  /** The generation's string for a string ID ('' when unknown). */
  string(id: number): string;
  /** The function of a stack's first frame (for GoCreate's new_stack: the goroutine's entry function). */
  stackFunction(id: number): string;
  /** Every frame's function of a stack, leaf first ([] when the stack is unknown). */
  stackFunctions(id: number): string[];
}

/** An argument the runtime wrote as "none" (^uint64(0): no goroutine, no P, no stack); the decoder gives it as -1. */
export const NONE = -1;

/** A 256-entry table by event type: 1 for the listed types, 0 for the rest. */
export function typeTable(types: readonly number[]): Uint8Array {
  const table = new Uint8Array(256);
  for (const type of types) table[type] = 1;
  return table;
}
