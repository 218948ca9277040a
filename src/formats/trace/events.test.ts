import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SchedContext } from './events.js';
import { NONE } from './varint.js';

test('SchedContext.CHANGES names exactly the event types apply acts on (the merge skips the others)', () => {
  for (let type = 0; type < 256; type++) {
    const ctx = new SchedContext();
    const s = ctx.state(1);
    const other = ctx.state(2);
    s.g = 7;
    s.p = 3;
    other.p = 5;
    // Arguments every case acts on: P or goroutine 5; status 1 (a running P) or M 1 (GoStatus: on this M);
    // goroutine status 2 (running), or victim M 2 (ProcSteal, holding P 5).
    ctx.apply(s, type, Float64Array.from([5, 1, 2, 0]));
    const changed = s.g !== 7 || s.p !== 3 || other.g !== NONE || other.p !== 5;
    assert.equal(changed, SchedContext.CHANGES[type] === 1, `type ${type}`);
  }
});
