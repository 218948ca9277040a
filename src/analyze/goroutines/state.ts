/**
 * Goroutine states: what a profile's stack says the goroutine waits on (a
 * profile has no header to read it from), and how the analyses class states.
 * States are an open set of strings (new wait reasons arrive with new Go
 * versions), so classes are by known names and everything else is "other".
 */

/**
 * The runtime or library function a goroutine parks in, innermost first, and
 * the wait reason the runtime prints for it (runtime2.go waitReason strings).
 * The innermost frame that matches decides, as the runtime's own wait reason
 * is set by the call that parked.
 */
const PARKING_FUNCS: readonly [RegExp, string][] = [
  [/^sync\.(?:runtime_SemacquireRWMutexR|\(\*RWMutex\)\.RLock)$/, 'sync.RWMutex.RLock'],
  [/^sync\.(?:runtime_SemacquireRWMutex|\(\*RWMutex\)\.Lock)$/, 'sync.RWMutex.Lock'],
  [/^(?:internal\/)?sync\.(?:\(\*Mutex\)\.(?:lockSlow|Lock)|runtime_SemacquireMutex)$/, 'sync.Mutex.Lock'],
  [/^sync\.(?:\(\*WaitGroup\)\.Wait|runtime_SemacquireWaitGroup)$/, 'sync.WaitGroup.Wait'],
  [/^sync\.(?:\(\*Cond\)\.Wait|runtime_notifyListWait)$/, 'sync.Cond.Wait'],
  [/^sync\.runtime_Semacquire$/, 'semacquire'],
  [/^runtime\.chanrecv[12]?$/, 'chan receive'],
  [/^runtime\.chansend1?$/, 'chan send'],
  [/^runtime\.block$/, 'select (no cases)'],
  [/^(?:runtime\.selectgo|reflect\.rselect)$/, 'select'],
  [/^(?:time\.Sleep|runtime\.timeSleep)$/, 'sleep'],
  [/^(?:internal\/poll\.runtime_pollWait|runtime\.netpollblock)$/, 'IO wait'],
  [/^(?:syscall|internal\/runtime\/syscall|golang\.org\/x\/sys\/unix)\.(?:Raw)?Syscall\d*$/, 'syscall'],
  [/^(?:runtime\/pprof\.writeRuntimeProfile|runtime\/pprof\.writeGoroutineStacks|runtime\.Stack|runtime\.goroutineProfileWithLabels)$/, 'running'],
];

/** The state a profile's stack implies, or `unknown` (e.g. debug=1 text hides the runtime frames of channel waits). */
export function inferState(funcs: readonly string[]): string {
  for (const f of funcs) {
    for (const [re, state] of PARKING_FUNCS) if (re.test(f)) return state;
  }
  return 'unknown';
}

/** Waits only another goroutine can end: a leak or a deadlock if nobody will. */
const CHANNEL_WAITS = new Set(['chan receive', 'chan send', 'select', 'chan receive (durable)', 'chan send (durable)', 'select (durable)']);
/** Waits that can never end at all. */
const FOREVER_WAITS = new Set(['chan receive (nil chan)', 'chan send (nil chan)', 'select (no cases)']);
const LOCK_WAITS = new Set(['sync.Mutex.Lock', 'sync.RWMutex.RLock', 'sync.RWMutex.Lock', 'semacquire']);
const SYNC_WAITS = new Set(['sync.WaitGroup.Wait', 'sync.Cond.Wait', 'sync.WaitGroup.Wait (durable)']);

export type StateClass = 'channel' | 'forever' | 'lock' | 'sync' | 'timer' | 'io' | 'active' | 'runtime' | 'other';

export function stateClass(state: string): StateClass {
  if (CHANNEL_WAITS.has(state)) return 'channel';
  if (FOREVER_WAITS.has(state)) return 'forever';
  if (LOCK_WAITS.has(state)) return 'lock';
  if (SYNC_WAITS.has(state)) return 'sync';
  if (state === 'sleep') return 'timer';
  if (state === 'IO wait' || state === 'syscall') return 'io';
  if (state === 'running' || state === 'runnable' || state === 'preempted') return 'active';
  if (/^(?:GC |force gc|finalizer wait|cleanup wait|trace |wait for GC|GOMAXPROCS updater|idle$)/.test(state)) return 'runtime';
  return 'other';
}

/**
 * True when nothing outside the process can wake the goroutine: it waits on
 * a channel, lock, WaitGroup or Cond, or on nothing at all. Sleeps, timers,
 * I/O and syscalls end by themselves.
 */
export function waitsOnOtherGoroutines(state: string): boolean {
  const c = stateClass(state);
  return c === 'channel' || c === 'forever' || c === 'lock' || c === 'sync';
}
