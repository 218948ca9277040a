import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GoFrame } from '../../model/goroutines.js';
import type { Finding, FindingKind, Severity } from '../finding.js';
import type { GoroutineAnalysis, GoroutineGroup } from '../goroutines/types.js';
import type { SeenFinding } from './domains.js';
import { mergeCauses } from './merge.js';
import type { Domain } from './types.js';

/** Each rule of merge.ts on the smallest input that shows it (the live zoo shows them on real services). */

function seen(domain: Domain, kind: FindingKind, fn: string | undefined, severity: Severity = 'high', evidence: Finding['evidence'] = []): SeenFinding {
  return { domain, finding: { kind, severity, title: `${kind} at ${fn ?? '-'}`, ...(fn ? { location: { function: fn } } : {}), evidence, advice: '' } };
}

const frame = (func: string): GoFrame => ({ func, file: 'main.go', line: 1, inlined: false });

function group(state: string, top: string, frames: string[], creator?: string): GoroutineGroup {
  return {
    count: 100, state, stateInferred: false, waitMinutes: { min: 0, max: 0 }, lockedToThread: 0,
    frames: frames.map(frame), args: undefined, topFrame: frame(top), creator: creator ? frame(creator) : undefined,
    parents: [], ids: [], maxDepth: frames.length, elided: false, system: false, stackBytes: 0, shareOfProcess: null, leaked: false,
  };
}

function goroutines(groups: GoroutineGroup[], pileups: GoroutineAnalysis['pileups'] = []): GoroutineAnalysis {
  return { groups, pileups } as unknown as GoroutineAnalysis;
}

test('a leak seen in the goroutines and at runtime.malg in the heap, and heap its goroutines were created to hold, is one finding at the user function', () => {
  const ctx = { goroutines: goroutines([group('chan receive', 'main.wait', ['runtime.gopark', 'main.wait'], 'main.handle')]) };
  const out = mergeCauses(
    [
      seen('goroutines', 'goroutine-leak', 'main.wait', 'medium', [{ label: 'goroutines', value: 500, unit: 'goroutines' }]),
      seen('heap profile', 'goroutine-leak', 'runtime.malg', 'high'),
      seen('heap profile', 'heap-growth', 'main.handle', 'medium'),
      seen('heap profile', 'heap-growth', 'main.unrelated', 'medium'),
    ],
    ctx,
  );
  assert.equal(out.length, 2);
  const leak = out.find((f) => f.kind === 'goroutine-leak')!;
  assert.equal(leak.location?.function, 'main.wait', 'the program\'s function, not runtime.malg');
  assert.equal(leak.severity, 'high', 'as severe as its worst member');
  assert.deepEqual(leak.merged.map((m) => m.kind).sort(), ['goroutine-leak', 'heap-growth']);
});

test('a lock: waiters (block profile), holder (mutex profile) and heap held on the waiters\' stacks are one finding where they wait, naming the holder', () => {
  const ctx = { goroutines: goroutines([group('sync.Mutex.Lock', 'main.lookup', ['sync.(*Mutex).Lock', 'main.lookup', 'main.serve'])]) };
  const share = (v: number, site: string): Finding['evidence'] => [
    { label: 'contended at', value: site },
    { label: 'share of delay', value: v, unit: 'fraction' },
  ];
  const out = mergeCauses(
    [
      seen('mutex profile', 'lock-contention', 'main.flush', 'high', share(1, 'sync.(*Mutex).Unlock')),
      seen('block profile', 'lock-contention', 'main.lookup', 'high', share(0.9, 'sync.(*Mutex).Lock')),
      seen('heap profile', 'large-object-retention', 'main.serve', 'medium'),
    ],
    ctx,
  );
  assert.equal(out.length, 1);
  assert.equal(out[0]!.location?.function, 'main.lookup');
  assert.equal(out[0]!.evidence.find((e) => e.label === 'lock held by')?.value, 'main.flush');
  assert.deepEqual(out[0]!.seenIn, ['block profile', 'mutex profile', 'heap profile']);
});

test('profiles dominated by different kinds of lock, or a minor share, stay apart', () => {
  const share = (v: number, site: string): Finding['evidence'] => [
    { label: 'contended at', value: site },
    { label: 'share of delay', value: v, unit: 'fraction' },
  ];
  const rw = mergeCauses([seen('mutex profile', 'lock-contention', 'main.a', 'high', share(1, 'sync.(*Mutex).Unlock')), seen('block profile', 'lock-contention', 'main.b', 'high', share(0.9, 'sync.(*RWMutex).RLock'))], {});
  assert.equal(rw.length, 2);
  const minor = mergeCauses([seen('mutex profile', 'lock-contention', 'main.a', 'high', share(1, 'sync.(*Mutex).Unlock')), seen('block profile', 'lock-contention', 'main.b', 'medium', share(0.3, 'sync.(*Mutex).Lock'))], {});
  assert.equal(minor.length, 2);
});

test('the GC\'s cost from every domain is one cause, placed at the top allocation churn', () => {
  const allocated = (v: number): Finding['evidence'] => [{ label: 'allocated', value: v, unit: 'bytes' }];
  const out = mergeCauses(
    [
      seen('execution trace', 'gc-pressure', undefined, 'high'),
      seen('MemStats', 'gc-pressure', undefined, 'low'),
      seen('execution trace', 'gc-assist-heavy', 'main.main', 'medium'),
      seen('heap profile', 'allocation-churn', 'main.small', 'medium', allocated(1e6)),
      seen('heap profile', 'allocation-churn', 'main.parse', 'high', allocated(3e8)),
    ],
    {},
  );
  assert.equal(out.length, 2, 'the smaller churn stays its own finding');
  const gc = out.find((f) => f.kind === 'gc-pressure')!;
  assert.equal(gc.location?.function, 'main.parse');
  assert.match(gc.title, /driven by allocation in main\.parse/);
  assert.deepEqual(gc.merged.map((m) => m.kind).sort(), ['allocation-churn', 'gc-assist-heavy', 'gc-pressure']);
});
