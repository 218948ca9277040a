import type { GoFrame } from '../../model/goroutines.js';
import type { Finding } from '../finding.js';
import type { Entry, GoroutineEntries } from './entries.js';
import type { Pileup } from './types.js';
import { isStdlibFunc } from '../go-names.js';
import { stateClass, waitsOnOtherGoroutines } from './state.js';

/**
 * goroutine-pileup and deadlock findings. These need single goroutines, not
 * groups: which lock each waiter waits on (the address the dump prints as the
 * receiver of `sync.(*Mutex).lockSlow`), and who else has that address among
 * its arguments — the likely holder. Only argument values the runtime vouches
 * for count: it marks with `?` a value that may be stale (runtime/traceback.go
 * printArgs: the argument is not live at that point, so its stack slot may
 * hold anything), and a match on one names the wrong goroutines. Where no
 * trustworthy address is printed (a read lock's waiters print it only with
 * `?`), waiters are grouped by where they wait, and the holder is said to be
 * unknown rather than guessed.
 */

/** This many goroutines queued on one lock is a pile-up; a few is ordinary contention caught in the act. */
export const PILEUP_MIN_WAITERS = 5;
const MAX_HOLDERS_NAMED = 3;

/**
 * Frames whose first argument is the lock a goroutine waits on: the Mutex or
 * RWMutex method itself (its receiver is the lock's address, which a holder
 * may also carry), else the runtime semaphore (an address inside the lock).
 */
const LOCK_METHOD_RE = /(?:^|\/)sync\.\(\*(?:RW)?Mutex\)\.(?:lockSlow|Lock|RLock)$/;
const SEMAPHORE_RE = /(?:^|\/)sync\.runtime_Semacquire\w*$/;

export function findPileups(input: GoroutineEntries): Pileup[] {
  const byLock = new Map<string, { pileup: Pileup; waiters: Set<Entry> }>();
  for (const e of input.entries) {
    // A proven leak waits on a lock nothing can reach: not a queue.
    if (e.system || e.leaked || stateClass(e.state) !== 'lock') continue;
    const address = lockAddress(e, input);
    const site = userFrame(e, input);
    const lock = address ?? (site ? `${site.func} (${site.file}:${site.line})` : e.state);
    let found = byLock.get(lock);
    if (!found) {
      found = {
        pileup: { lock, byAddress: address !== undefined, state: e.state, waiters: 0, site, maxMinutes: 0, holders: [] },
        waiters: new Set(),
      };
      byLock.set(lock, found);
    }
    found.pileup.waiters += e.count;
    found.pileup.maxMinutes = Math.max(found.pileup.maxMinutes, e.waitMinutes);
    found.waiters.add(e);
  }
  const pileups = [...byLock.values()].filter(({ pileup }) => pileup.waiters >= PILEUP_MIN_WAITERS);
  for (const { pileup, waiters } of pileups) {
    if (pileup.byAddress) pileup.holders = findHolders(input, pileup.lock, waiters);
    if (pileup.holders.length === 0) pileup.holderUnknown = holderUnknownReason(input, pileup);
  }
  return pileups.map(({ pileup }) => pileup).sort((a, b) => b.waiters - a.waiters);
}

function lockAddress(e: Entry, input: GoroutineEntries): string | undefined {
  return firstArgOf(e, input, LOCK_METHOD_RE) ?? firstArgOf(e, input, SEMAPHORE_RE);
}

/** The first argument of the innermost frame matching `re`, when the runtime vouches for it. */
function firstArgOf(e: Entry, input: GoroutineEntries, re: RegExp): string | undefined {
  if (!e.args) return undefined;
  for (let i = 0; i < e.frames.length; i++) {
    if (!re.test(input.frames[e.frames[i]!]!.func)) continue;
    const first = argWords(e.args[i]!)[0];
    if (first !== undefined && !first.endsWith('?') && first !== '0x0') return first;
  }
  return undefined;
}

/** The hex words of an argument list as printed, `?` markers kept (aggregates `{…}` flattened). */
function argWords(args: string): string[] {
  return args.split(/[\s,{}]+/).filter((t) => t.startsWith('0x'));
}

/** The hex words the runtime vouches for: a word printed with `?` may be stale and never matches. */
function reliableWords(args: string): string[] {
  return argWords(args).filter((t) => !t.endsWith('?'));
}

function userFrame(e: Entry, input: GoroutineEntries): GoFrame | undefined {
  const frames = e.frames.map((f) => input.frames[f]!);
  return frames.find((f) => !isStdlibFunc(f.func)) ?? frames[0];
}

/** Goroutines not waiting on the lock that pass its address around: the holder, most likely. */
function findHolders(input: GoroutineEntries, address: string, waiters: Set<Entry>): Pileup['holders'] {
  const holders: Pileup['holders'] = [];
  for (const e of input.entries) {
    if (waiters.has(e) || !e.args || holders.length >= MAX_HOLDERS_NAMED) continue;
    if (e.args.some((a) => reliableWords(a).includes(address))) holders.push({ id: e.id, state: e.state, frame: userFrame(e, input) });
  }
  return holders;
}

function holderUnknownReason(input: GoroutineEntries, p: Pileup): string {
  if (!input.fromDump) return 'a goroutine profile carries no call arguments, so no goroutine can be matched to the lock (a ?debug=2 dump can show its address)';
  if (!p.byAddress) {
    return 'the dump prints the lock\'s address only as "?" arguments, values the runtime cannot vouch for, so no goroutine can be matched to it';
  }
  return 'no other goroutine has the lock\'s address among the arguments the runtime vouches for (a holder that returned from the frame that took the lock keeps no trace of it)';
}

/**
 * A queue with no frame of the program on its stacks (an HTTP client's
 * connections waiting inside net/http, say) names nothing the user can
 * change: it is reported, as low, the way contention treats such a site.
 */
function pileupSeverity(p: Pileup): Finding['severity'] {
  if (!p.site || isStdlibFunc(p.site.func)) return 'low';
  return p.waiters >= 100 || p.maxMinutes >= 1 ? 'high' : 'medium';
}

export function pileupFindings(pileups: readonly Pileup[]): Finding[] {
  return pileups.map((p): Finding => {
    const holder = p.holders[0];
    const f: Finding = {
      kind: 'goroutine-pileup',
      severity: pileupSeverity(p),
      title: `${p.waiters} goroutines queued on one ${lockName(p.state)}${p.site ? ` at ${p.site.func}` : ''}`,
      evidence: [
        { label: 'waiting', value: p.waiters, unit: 'goroutines' },
        { label: 'state', value: p.state },
        { label: p.byAddress ? 'lock address' : 'lock site', value: p.lock },
        ...(p.maxMinutes > 0 ? [{ label: 'longest wait', value: p.maxMinutes * 60e9, unit: 'ns' as const }] : []),
        ...p.holders.map((h) => ({
          label: 'likely holder',
          value: `goroutine ${h.id ?? '?'} [${h.state}] in ${h.frame ? `${h.frame.func} (${h.frame.file}:${h.frame.line})` : '?'}`,
        })),
        ...(p.holderUnknown !== undefined ? [{ label: 'holder', value: `cannot be told: ${p.holderUnknown}` }] : []),
      ],
      advice:
        (holder
          ? `The holder is itself parked (${holder.state}) while holding the lock: never block on channels, I/O or other locks inside a critical section. `
          : '') +
        (p.state === 'sync.RWMutex.RLock'
          ? 'Readers queue behind a writer that holds the write lock (or waits for it, which blocks new readers too): look for the goroutine between Lock and Unlock of this RWMutex, and never wait on I/O or channels while holding it. '
          : '') +
        'Shorten the critical section (copy what you need, unlock, then work), shard the lock by key, use sync.RWMutex for read-mostly data, ' +
        'or replace the lock with atomics or a channel owned by one goroutine. Collect a mutex profile (runtime.SetMutexProfileFraction) to see who holds it longest.',
    };
    if (p.site) f.location = { function: p.site.func, file: p.site.file, line: p.site.line };
    return f;
  });
}

function lockName(state: string): string {
  if (state.startsWith('sync.RWMutex')) return 'RWMutex';
  if (state === 'semacquire') return 'semaphore';
  return 'mutex';
}

/** What the runtime prints when it finds every goroutine asleep. */
const RUNTIME_DEADLOCK = 'all goroutines are asleep - deadlock';

/**
 * A deadlock: the runtime said so, or every user goroutine in a dump (the
 * goroutine writing the dump apart) waits on another goroutine, with no
 * timer, I/O or running goroutine left to wake anyone.
 */
export function deadlockFindings(input: GoroutineEntries, reason: readonly string[]): Finding[] {
  if (!input.fromDump) return [];
  const user = input.entries.filter((e) => !e.system && !isDumpWriter(e, input));
  const runtimeSaid = reason.some((r) => r.includes(RUNTIME_DEADLOCK));
  if (!runtimeSaid && (user.length === 0 || !user.every((e) => waitsOnOtherGoroutines(e.state)))) return [];
  const states = new Map<string, number>();
  for (const e of user) states.set(e.state, (states.get(e.state) ?? 0) + e.count);
  return [
    {
      kind: 'deadlock',
      severity: 'high',
      title: runtimeSaid
        ? 'Deadlock: the runtime found every goroutine asleep'
        : `Likely deadlock: all ${user.length} goroutines wait on one another`,
      evidence: [
        { label: 'blocked goroutines', value: user.length, unit: 'goroutines' },
        ...[...states].map(([state, n]) => ({ label: state, value: n, unit: 'goroutines' as const })),
      ],
      advice:
        'Follow the waits: goroutines in sync.Mutex.Lock wait for a holder that is itself waiting; take locks in one global order, ' +
        'never hold a lock while sending or receiving, and make sure every channel receive has a sender that cannot be skipped (or a ctx.Done() case).',
    },
  ];
}

/** The goroutine serving /debug/pprof/goroutine?debug=2 or calling runtime.Stack. */
function isDumpWriter(e: Entry, input: GoroutineEntries): boolean {
  if (e.state !== 'running') return false;
  return e.frames.some((f) => /^(?:runtime\/pprof\.writeGoroutineStacks|runtime\.Stack)$/.test(input.frames[f]!.func));
}
