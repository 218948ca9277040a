import type { GoroutineInput } from '../../model/goroutines.js';
import type { GoroutineEntries } from './entries.js';
import type { FormLimit } from './types.js';

/**
 * What an input cannot show, said once per report instead of leaving the
 * user to wonder why a debug=1 text and a debug=2 dump of the same moment
 * differ. The profile forms list stacks with counts; a debug=2 dump adds, per
 * goroutine, the wait reason, minutes parked, creator, id and arguments.
 */
export function formLimits(source: GoroutineInput, entries: GoroutineEntries): FormLimit[] {
  if (source.kind === 'dump') {
    const d = source.dump;
    if (d.kind !== 'panic' || d.goroutines.length !== 1) return [];
    return [
      {
        missing: 'other-goroutines',
        text: 'the panic printed only the goroutine that panicked (GOTRACEBACK=single, the default); run with GOTRACEBACK=all to see the others',
      },
    ];
  }
  const { form, name } = source.profile;
  const limits: FormLimit[] = [];
  if (name === 'goroutineleak') {
    limits.push({
      missing: 'other-goroutines',
      text: 'a goroutineleak profile lists only the goroutines the runtime proved leaked; goroutineleak?debug=2 shows every goroutine, the proven ones marked (leaked)',
    });
  }
  const unknown = entries.entries.filter((e) => !e.system && e.state === 'unknown').reduce((s, e) => s + e.count, 0);
  limits.push(
    form === 'debug=1'
      ? {
          missing: 'wait-reasons',
          text:
            'debug=1 prints no line for the runtime frames that say what a goroutine waits on (a channel, select, a timer): ' +
            'those states are unknown; waits in sync, time.Sleep, I/O and syscalls are read from the frames it shows',
          goroutines: unknown,
        }
      : {
          missing: 'wait-reasons',
          text: 'states are read from the runtime frames of each stack, not printed by the runtime: a wait on a nil channel looks like any other channel wait',
          goroutines: unknown,
        },
    { missing: 'wait-times', text: 'no minutes parked: leaks are judged by how many goroutines wait at one place, not for how long' },
    { missing: 'creators', text: 'no "created by" and no goroutine ids: goroutines started at different places with the same stack share a group' },
    {
      missing: 'arguments',
      text: 'no call arguments: a lock pile-up is told by where its waiters wait, not by the lock\'s address, and its holder cannot be named',
    },
  );
  return limits;
}
