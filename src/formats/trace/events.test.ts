import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SchedContext, SchedRole } from './events.js';
import { Ev } from './spec.js';
import { NONE } from './varint.js';

/** Applies `role` with `args` to M 1 (goroutine 7 on P 3) beside M 2 (holding P 5); returns both states after. */
function after(role: number, args: number[]): { g: number; p: number; otherG: number; otherP: number } {
  const ctx = new SchedContext();
  const s = ctx.state(1);
  const other = ctx.state(2);
  s.g = 7;
  s.p = 3;
  other.p = 5;
  ctx.apply(s, role, Float64Array.from(args));
  return { g: s.g, p: s.p, otherG: other.g, otherP: other.p };
}

test('SchedContext roles: each changes the context as its events mean, None changes nothing', () => {
  const unchanged = { g: 7, p: 3, otherG: NONE, otherP: 5 };
  assert.deepEqual(after(SchedRole.None, [5, 1, 2, 0]), unchanged);
  assert.deepEqual(after(SchedRole.ProcStart, [9, 0, 0, 0]), { ...unchanged, p: 9 });
  assert.deepEqual(after(SchedRole.ProcStop, [0, 0, 0, 0]), { ...unchanged, p: NONE });
  assert.deepEqual(after(SchedRole.ProcSteal, [5, 0, 2, 0]), { ...unchanged, otherP: NONE });
  assert.deepEqual(after(SchedRole.ProcSteal, [4, 0, 2, 0]), unchanged, 'the victim holds another P by now');
  assert.deepEqual(after(SchedRole.ProcStatus, [9, 1, 0, 0]), { ...unchanged, p: 9 });
  assert.deepEqual(after(SchedRole.ProcStatus, [9, 2, 0, 0]), unchanged, 'an idle P is nobody\'s');
  assert.deepEqual(after(SchedRole.GoOn, [9, 0, 0, 0]), { ...unchanged, g: 9 });
  assert.deepEqual(after(SchedRole.GoOff, [9, 0, 0, 0]), { ...unchanged, g: NONE });
  assert.deepEqual(after(SchedRole.GoStatus, [9, 2, 2, 0]), { ...unchanged, otherG: 9 });
  assert.deepEqual(after(SchedRole.GoStatus, [9, 2, 3, 0]), { ...unchanged, otherG: 9 }, 'in a syscall, still on its M');
  assert.deepEqual(after(SchedRole.GoStatus, [9, 2, 4, 0]), unchanged, 'a waiting goroutine is on no M');
});

test('SchedContext.ROLES: the scheduling events have their role, the commonest events none', () => {
  const R = SchedContext.ROLES;
  assert.equal(R[Ev.GoStart], SchedRole.GoOn);
  assert.equal(R[Ev.GoSwitchDestroy], SchedRole.GoOn, 'switches to args[0], destroying the current goroutine');
  assert.equal(R[Ev.GoBlock], SchedRole.GoOff);
  assert.equal(R[Ev.GoStatusStack], SchedRole.GoStatus);
  for (const t of [Ev.HeapAlloc, Ev.GCSweepBegin, Ev.GCSweepEnd, Ev.GoUnblock, Ev.GoCreate]) assert.equal(R[t], SchedRole.None, `type ${t}`);
});
