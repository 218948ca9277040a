/**
 * What every collector of one trace shares: which generation came first.
 * Status and "active" records of the first generation describe what existed
 * before the trace; later generations repeat them. Collectors only see the
 * event types they handle, so they cannot learn it from their own events.
 */
export interface TraceRun {
  firstGen: number | null;
}

/** A collector sees only the event types it lists, which saves a call per event for the rest. */
export interface TraceCollector {
  readonly types: readonly number[];
  event(e: import('../../model/trace.js').TraceEvent): void;
}
