import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeGoroutineInput } from '../../formats/goroutines/index.js';
import { decodeProfile } from '../../formats/index.js';
import {
  fixtureText,
  independentBlocks,
  readFixture,
  readTruth,
  VERSIONS,
  type GoVersion,
  type TruthGroup,
} from '../../testkit/goroutine-fixtures.js';
import { analyzeGoroutines, compareGoroutines, type GoroutineAnalysis, type GoroutineOptions } from './index.js';

function analyze(v: GoVersion, rel: string, options: GoroutineOptions = {}): GoroutineAnalysis {
  return analyzeGoroutines(decodeGoroutineInput(readFixture(v, rel), rel), options);
}

/** The four forms of one moment of programs/stuck. */
const FORMS = ['stuck/goroutine.debug2.txt', 'stuck/sigquit.txt', 'stuck/goroutine.txt', 'stuck/goroutine.pb.gz'] as const;

/** Goroutines serving the capture itself: they differ from one request to the next. */
function servesCapture(g: GoroutineAnalysis['groups'][number]): boolean {
  return g.system || [...g.frames, ...(g.creator ? [g.creator] : [])].some((f) => /^(net\/http|runtime\/pprof)\./.test(f.func));
}

/** Goroutines per top user function, leaving out those serving the capture. */
function countsByTopFunc(a: GoroutineAnalysis): Map<string, number> {
  const m = new Map<string, number>();
  for (const g of a.groups) {
    if (servesCapture(g)) continue;
    const name = g.topFrame?.func ?? '?';
    m.set(name, (m.get(name) ?? 0) + g.count);
  }
  return m;
}

function truthByFunc(truth: readonly TruthGroup[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of truth) m.set(t.func, (m.get(t.func) ?? 0) + t.count);
  return m;
}

/** The wait reason a Go version prints for what the program did (Go 1.23 had no WaitGroup reason yet). */
function printedState(v: GoVersion, state: string): string {
  return v === 'go1.23' && state === 'sync.WaitGroup.Wait' ? 'semacquire' : state;
}

test('group counts in all four forms of one moment equal what the program says it parked', () => {
  for (const v of VERSIONS) {
    const truth = truthByFunc(readTruth(v, 'stuck/truth.json'));
    for (const form of FORMS) {
      const counts = countsByTopFunc(analyze(v, form));
      for (const [func, n] of truth) assert.equal(counts.get(func), n, `${v} ${form}: ${func}`);
    }
  }
});

test('states: printed in dumps, read from the stack in the proto profile, and in debug=1 wherever its frames show it', () => {
  for (const v of VERSIONS) {
    const truth = readTruth(v, 'stuck/truth.json');
    for (const form of FORMS) {
      const a = analyze(v, form);
      for (const t of truth) {
        const states = new Set(a.groups.filter((g) => g.topFrame?.func === t.func).map((g) => g.state));
        const want = printedState(v, t.state);
        if (form.endsWith('.txt') && form !== 'stuck/goroutine.txt') assert.deepEqual([...states], [want], `${v} ${form} ${t.func}`);
        else if (form.endsWith('.pb.gz')) {
          // A nil channel parks in the same runtime.chanrecv as any other: the profile cannot tell them apart.
          assert.deepEqual([...states], [want.replace(' (nil chan)', '')], `${v} ${form} ${t.func}`);
        } else {
          // debug=1 hides the runtime frames of channel operations, so those read "unknown"; sync, sleep and I/O show.
          const visible = !/^(chan |select)/.test(want);
          assert.deepEqual([...states], [visible ? want : 'unknown'], `${v} ${form} ${t.func}`);
        }
      }
    }
  }
});

test('one site started by several parents is one group (panicparse keeps one per parent); creators as the program says', () => {
  for (const v of VERSIONS) {
    const truth = readTruth(v, 'stuck/truth.json');
    const a = analyze(v, 'stuck/goroutine.debug2.txt');
    for (const t of truth) {
      const groups = a.groups.filter((g) => g.topFrame?.func === t.func && g.creator?.func === t.creator);
      assert.equal(groups.reduce((s, g) => s + g.count, 0), t.count, `${v} ${t.func} created by ${t.creator}`);
    }
    const leaky = a.groups.filter((g) => g.creator?.func === 'main.parents.func1');
    assert.equal(leaky.length, 1);
    assert.equal(leaky[0]!.count, 40);
    assert.equal(leaky[0]!.parents.length, 4);
    const many = analyze('go1.26', 'stuckmany/goroutine.debug2.txt.gz');
    const big = many.groups[0]!;
    const manyTruth = readTruth('go1.26', 'stuckmany/truth.json');
    assert.equal(big.count, manyTruth.find((t) => t.func === 'main.leakyReceiver')!.count);
    assert.equal(big.parents.length, 3, 'three parents, one group');
    assert.ok(big.ids.length === 10 && big.ids.every((id, i) => i === 0 || id > big.ids[i - 1]!), 'the first ten ids, ascending');
  }
});

test('similarity: ignoring line numbers merges the two connReader call sites; exact never merges more than the default', () => {
  for (const v of VERSIONS) {
    const truth = truthByFunc(readTruth(v, 'stuck/truth.json'));
    const byArgs = analyze(v, 'stuck/goroutine.debug2.txt');
    const byLines = analyze(v, 'stuck/goroutine.debug2.txt', { similarity: 'lines' });
    const exact = analyze(v, 'stuck/goroutine.debug2.txt', { similarity: 'exact' });
    const reader = (a: GoroutineAnalysis) => a.groups.filter((g) => g.topFrame?.func === 'main.connReader').map((g) => g.count);
    assert.equal(reader(byArgs).length, 2, 'accepted and dialled ends are started from two lines of one closure');
    assert.deepEqual(reader(byLines), [truth.get('main.connReader')]);
    assert.ok(exact.groups.length >= byArgs.groups.length && byArgs.groups.length >= byLines.groups.length);
    const lockedExact = exact.groups.filter((g) => g.topFrame?.func === 'main.lockedReceiver');
    assert.ok(lockedExact.every((g) => g.lockedToThread === g.count));
    // chanSender(v) got the values 0..6: one group by default showing "*", seven groups under exact.
    const senders = byArgs.groups.filter((g) => g.topFrame?.func === 'main.chanSender');
    assert.equal(senders.length, 1);
    assert.equal(senders[0]!.args![0], '*');
    const exactSenders = exact.groups.filter((g) => g.topFrame?.func === 'main.chanSender');
    assert.deepEqual(exactSenders.map((g) => g.count), Array(truth.get('main.chanSender')).fill(1));
  }
});

test('goroutine-pileup: the waiters on the mutex, and its holder named from the address in its arguments', () => {
  for (const v of VERSIONS) {
    for (const form of ['stuck/goroutine.debug2.txt', 'stuck/sigquit.txt'] as const) {
      const a = analyze(v, form);
      const holderBlock = independentBlocks(fixtureText(v, form)).find((b) => b.lines.some((l) => l.startsWith('main.lockHolder(')))!;
      assert.equal(a.pileups.length, 1, `${v} ${form}`);
      const p = a.pileups[0]!;
      assert.equal(p.waiters, readTruth(v, 'stuck/truth.json').find((t) => t.func === 'main.lockWaiter')!.count);
      assert.deepEqual(
        p.holders.map((h) => [h.id, h.frame?.func]),
        [[holderBlock.id, 'main.lockHolder']],
      );
      const f = a.findings.find((x) => x.kind === 'goroutine-pileup')!;
      assert.equal(f.location?.function, 'main.lockWaiter');
      assert.ok(f.evidence.some((e) => e.label === 'likely holder' && String(e.value).startsWith(`goroutine ${holderBlock.id} `)));
    }
    // A profile has no addresses: the pile-up is found by call site, without a holder.
    const fromProfile = analyze(v, 'stuck/goroutine.pb.gz').pileups;
    assert.deepEqual(fromProfile.map((p) => [p.byAddress, p.waiters, p.holders.length]), [[false, 25, 0]]);
  }
});

test('goroutine-leak: long channel waits from one place; the 12,000-goroutine leak is high; nil channels always', () => {
  for (const v of VERSIONS) {
    const a = analyze(v, 'stuck/goroutine.debug2.txt');
    const leaks = a.findings.filter((f) => f.kind === 'goroutine-leak');
    const at = (fn: string) => leaks.filter((f) => f.location?.function === fn);
    assert.deepEqual(at('main.leakyReceiver').map((f) => f.evidence[0]!.value).sort(), [30, 40]);
    assert.equal(at('main.nilChanReceiver').length, 1);
    assert.equal(at('main.chanSender').length, 0, 'seven is below LEAK_MIN_GOROUTINES');
    assert.equal(at('main.lockWaiter').length, 0, 'lock waits are pile-ups, not leaks');
    assert.ok(leaks.every((f) => f.evidence.some((e) => e.label.startsWith('stack memory'))));
  }
  const many = analyze('go1.26', 'stuckmany/goroutine.debug2.txt.gz').findings.filter((f) => f.kind === 'goroutine-leak');
  assert.equal(many[0]!.severity, 'high');
  assert.equal(many[0]!.location?.function, 'main.leakyReceiver');
  assert.ok(many[0]!.evidence.some((e) => e.label === 'started by goroutines' && e.value === 3));
});

test('deadlock: the runtime\'s own verdict, the same dump without it (every goroutine blocked), and none for a live server', () => {
  for (const v of VERSIONS) {
    const dead = analyze(v, 'deadlock/deadlock.txt').findings.filter((f) => f.kind === 'deadlock');
    assert.equal(dead.length, 1);
    assert.match(dead[0]!.title, /runtime found every goroutine asleep/);
    const text = fixtureText(v, 'deadlock/deadlock.txt').replace(/^fatal error: .*\n/, '');
    const inferred = analyzeGoroutines(decodeGoroutineInput(new TextEncoder().encode(text)));
    const blocked = independentBlocks(text).length;
    assert.deepEqual(
      inferred.findings.filter((f) => f.kind === 'deadlock').map((f) => f.title),
      [`Likely deadlock: all ${blocked} goroutines wait on one another`],
    );
    for (const form of ['stuck/goroutine.debug2.txt', 'stuck/sigquit.txt', 'stuck/panic.txt'] as const) {
      assert.equal(analyze(v, form).findings.filter((f) => f.kind === 'deadlock').length, 0, `${v} ${form}`);
    }
  }
});

test('two looks at one process: the 30 goroutines parked between them, in dumps (as a new site) and profiles (as growth)', () => {
  for (const v of VERSIONS) {
    const before = readTruth(v, 'stuck/truth.before.json');
    const after = readTruth(v, 'stuck/truth.json');
    const added = after.filter((t) => !before.some((b) => b.creator === t.creator && b.func === t.func));
    assert.equal(added.length, 1);
    const dumps = compareGoroutines([analyze(v, 'stuck/goroutine.before.debug2.txt'), analyze(v, 'stuck/goroutine.debug2.txt')]);
    const appeared = dumps.diff.changes.filter((c) => c.change === 'appeared' && !servesCapture(c.group));
    assert.deepEqual(
      appeared.map((c) => [c.group.topFrame?.func, c.group.creator?.func, c.after]),
      [[added[0]!.func, added[0]!.creator, added[0]!.count]],
    );
    const profiles = compareGoroutines([analyze(v, 'stuck/goroutine.before.pb.gz'), analyze(v, 'stuck/goroutine.pb.gz')]);
    const grew = profiles.diff.changes.find((c) => c.change === 'grew')!;
    const leakyBefore = before.filter((t) => t.func === 'main.leakyReceiver').reduce((s, t) => s + t.count, 0);
    assert.deepEqual([grew.before, grew.after], [leakyBefore, leakyBefore + added[0]!.count]);
    for (const r of [dumps, profiles]) {
      const growth = r.findings.filter((f) => f.kind === 'goroutine-leak' && f.title.includes('more goroutines'));
      assert.deepEqual(growth.map((f) => f.location?.function), ['main.leakyReceiver']);
    }
  }
});

test('more than two looks: growth needs a group that never shrank between them', () => {
  for (const v of VERSIONS) {
    const before = analyze(v, 'stuck/goroutine.before.pb.gz');
    const after = analyze(v, 'stuck/goroutine.pb.gz');
    const growth = (looks: GoroutineAnalysis[]) =>
      compareGoroutines(looks).findings.filter((f) => f.kind === 'goroutine-leak' && f.title.includes('more goroutines'));
    const steady = growth([before, after, after]);
    assert.equal(steady.length, 1);
    const leaky = compareGoroutines([before, after, after]).diff.changes.find((c) => c.change === 'grew')!;
    const middle = steady[0]!.evidence.filter((e) => e.label.startsWith('at look ')).map((e) => e.value);
    assert.deepEqual([...middle], leaky.series.slice(1, -1), 'the counts between first and last');
    assert.deepEqual(growth([before, after, before, after]), [], 'up, down, up: not a leak');
  }
});

test('stack memory: estimates scale to MemStats.StackInuse, and shares are of Sys', () => {
  for (const v of VERSIONS) {
    const mem = decodeProfile(readFixture(v, 'stuck/heap.txt')).memStats!;
    const a = analyze(v, 'stuck/goroutine.debug2.txt', { memStats: mem });
    assert.equal(a.stackMemory.basis, 'calibrated');
    assert.ok(Math.abs(a.stackMemory.totalBytes - (mem['StackInuse'] as number)) <= a.groups.length, 'rounding only');
    for (const g of a.groups) assert.equal(g.shareOfProcess, g.stackBytes / (mem['Sys'] as number));
    const deep = a.groups.find((g) => g.topFrame?.func === 'main.deep')!;
    const shallow = a.groups.find((g) => g.topFrame?.func === 'main.manyArgs')!;
    assert.ok(deep.stackBytes > shallow.stackBytes, 'a 151-deep stack holds more than a 3-deep one');
    const plain = analyze(v, 'stuck/goroutine.debug2.txt');
    assert.equal(plain.stackMemory.basis, 'estimate');
    assert.ok(plain.groups.every((g) => g.stackBytes >= 2048 * g.count && g.shareOfProcess === null), 'at least the minimum stack each');
    assert.equal(a.stackMemory.problems, undefined);
  }
});

test('stack memory: MemStats no runtime writes are not used, and the report says which and why', () => {
  const mem = decodeProfile(readFixture('go1.26', 'stuck/heap.txt')).memStats!;
  const stackInuse = mem['StackInuse'] as number;
  const cases: [string, Record<string, number>, 'estimate' | 'calibrated', boolean, RegExp][] = [
    ['negative StackInuse', { StackInuse: -stackInuse }, 'estimate', true, /^StackInuse = -\d+: MemStats fields are unsigned/],
    ['StackInuse past 2^53', { StackInuse: 2 ** 64 }, 'estimate', true, /^StackInuse = \d+: past 2\^53/],
    ['Sys 0', { Sys: 0 }, 'calibrated', false, /^Sys = 0: a running Go program always holds memory from the OS/],
    ['StackInuse above Sys', { Sys: stackInuse - 1 }, 'calibrated', false, /^StackInuse \(\d+ bytes\) is more than Sys \(\d+ bytes\), which holds it/],
  ];
  for (const [name, edit, basis, shares, problem] of cases) {
    const a = analyze('go1.26', 'stuck/goroutine.debug2.txt', { memStats: { ...mem, ...edit } });
    assert.equal(a.stackMemory.basis, basis, name);
    assert.match((a.stackMemory.problems ?? []).join('\n'), problem, name);
    assert.ok(a.groups.every((g) => (g.shareOfProcess === null) === !shares && (g.shareOfProcess ?? 0) <= 1), name);
  }
});

const enc = (s: string) => new TextEncoder().encode(s);

/** Goroutines per innermost main.* function in the blocks of a dump whose bracket matches. */
function blocksByFunc(text: string, bracket: RegExp): Map<string, number> {
  const m = new Map<string, number>();
  for (const b of independentBlocks(text)) {
    if (!bracket.test(b.bracket)) continue;
    const fn = b.lines.find((l) => l.startsWith('main.'))?.replace(/\(.*$/, '');
    if (fn) m.set(fn, (m.get(fn) ?? 0) + 1);
  }
  return m;
}

function provenByFunc(a: GoroutineAnalysis): Map<string, number> {
  const m = new Map<string, number>();
  for (const f of a.findings.filter((x) => x.kind === 'goroutine-leak-proven')) {
    const n = f.evidence.find((e) => e.label === 'goroutines')!.value as number;
    m.set(f.location!.function, (m.get(f.location!.function) ?? 0) + n);
  }
  return m;
}

test('Go 1.26 goroutineleak profile, debug=1 and proto: read, and every goroutine in it is a leak the runtime proved', () => {
  for (const form of ['leakprofile/goroutineleak.txt', 'leakprofile/goroutineleak.pb.gz'] as const) {
    const a = analyze('go1.26', form);
    assert.deepEqual(a.profile, { form: form.endsWith('.txt') ? 'debug=1' : 'proto', name: 'goroutineleak' });
    assert.ok(a.groups.length > 0 && a.groups.every((g) => g.leaked), form);
    const proven = provenByFunc(a);
    assert.equal([...proven.values()].reduce((s, n) => s + n, 0), a.total, 'each listed goroutine is in a proven finding');
    assert.ok(a.findings.filter((f) => f.kind === 'goroutine-leak-proven').every((f) => f.severity === 'high'));
    assert.equal(a.findings.filter((f) => f.kind === 'goroutine-leak').length, 0, "no suspicion of footprint's own on top of the runtime's proof");
    assert.equal(a.pileups.length, 0, 'lock waits the runtime proved leaked are not a queue');
    assert.ok(a.limits.some((l) => l.missing === 'other-goroutines'));
  }
  const text = fixtureText('go1.26', 'leakprofile/goroutineleak.txt');
  assert.equal(analyze('go1.26', 'leakprofile/goroutineleak.txt').total, Number(/^goroutineleak profile: total (\d+)$/m.exec(text)![1]));
});

test('goroutineleak?debug=2: "(leaked)" goroutines reported as proven leaks, apart from what footprint suspects', () => {
  const text = fixtureText('go1.26', 'leakprofile/goroutineleak.debug2.txt');
  const a = analyze('go1.26', 'leakprofile/goroutineleak.debug2.txt');
  assert.deepEqual(provenByFunc(a), blocksByFunc(text, /\(leaked\)/), 'exactly the goroutines the runtime marked');
  const notProvable = readTruth('go1.26', 'leakprofile/truth.json').filter((t) => !(t as { leaked?: boolean }).leaked);
  assert.ok(notProvable.length > 0);
  for (const t of notProvable) {
    assert.ok(!provenByFunc(a).has(t.func), `${t.func} waits on a package-level channel: the runtime cannot prove it`);
    const group = a.groups.find((g) => g.topFrame?.func === t.func)!;
    assert.equal(group.count, t.count);
    assert.equal(group.leaked, false);
  }
  // The proto profile of the same program lists the functions the dump marks.
  const proto = analyze('go1.26', 'leakprofile/goroutineleak.pb.gz');
  for (const g of proto.groups) assert.ok(blocksByFunc(text, /\(leaked\)/).has(g.topFrame!.func), g.topFrame!.func);
});

test('goroutine-pileup holders: only arguments the runtime vouches for; a "?" copy of the address never names one', () => {
  for (const v of VERSIONS) {
    const text = fixtureText(v, 'stuck/goroutine.debug2.txt');
    const p = analyze(v, 'stuck/goroutine.debug2.txt').pileups[0]!;
    const holder = independentBlocks(text).find((b) => b.id === p.holders[0]!.id)!;
    assert.ok(holder.lines.some((l) => l.includes(`(${p.lock},`) || l.includes(`(${p.lock})`)), 'the holder prints the address without "?"');
    // The same dump with the holder's copy of the address printed as the runtime prints a stale value.
    const stale = text.replace(/^main\.lockHolder\((0x[0-9a-f]+), /m, 'main.lockHolder($1?, ');
    assert.notEqual(stale, text);
    const unsure = analyzeGoroutines(decodeGoroutineInput(enc(stale))).pileups[0]!;
    assert.deepEqual([unsure.waiters, unsure.holders.length], [p.waiters, 0]);
    assert.match(unsure.holderUnknown!, /no other goroutine has the lock's address among the arguments the runtime vouches for/);
  }
});

test('goroutine-pileup with no frame of the program on its stacks is low: it names nothing the user can change', () => {
  for (const v of VERSIONS) {
    const text = fixtureText(v, 'stuck/goroutine.debug2.txt');
    const ours = analyze(v, 'stuck/goroutine.debug2.txt').findings.find((x) => x.kind === 'goroutine-pileup')!;
    assert.notEqual(ours.severity, 'low');
    // The same dump with the program's functions renamed into a standard-library package.
    const std = analyzeGoroutines(decodeGoroutineInput(enc(text.replace(/^main\./gm, 'net/textproto.fake')))).findings;
    const theirs = std.find((x) => x.kind === 'goroutine-pileup')!;
    assert.doesNotMatch(theirs.location!.function, /^main\./);
    assert.equal(theirs.severity, 'low');
  }
});

test('a read-lock pile-up in debug=2: the waiters print the lock only with "?", so one queue by call site and no holder named', () => {
  for (const v of VERSIONS) {
    const truth = readTruth(v, 'rlockpile/truth.json');
    const readers = truth.filter((t) => t.state === 'sync.RWMutex.RLock').reduce((s, t) => s + t.count, 0);
    const a = analyze(v, 'rlockpile/goroutine.debug2.txt.gz');
    assert.deepEqual(
      a.pileups.map((p) => [p.waiters, p.byAddress, p.site?.func, p.holders.length]),
      [[readers, false, 'main.(*routeTable).lookup', 0]],
      v,
    );
    assert.match(a.pileups[0]!.holderUnknown!, /only as "\?" arguments/);
    const f = a.findings.find((x) => x.kind === 'goroutine-pileup')!;
    assert.ok(f.evidence.some((e) => e.label === 'holder' && String(e.value).startsWith('cannot be told')));
  }
});

/** debug=2, debug=1 and proto of one moment. */
const ONE_MOMENT = [
  ['stuck/goroutine.debug2.txt', 'stuck/goroutine.txt', 'stuck/goroutine.pb.gz'],
  ['rlockpile/goroutine.debug2.txt.gz', 'rlockpile/goroutine.txt', 'rlockpile/goroutine.pb.gz'],
] as const;

test('debug=2, debug=1 and proto of one moment: the same pile-ups, top frames and stack memory; each says what it cannot show', () => {
  const topFrames = (a: GoroutineAnalysis) =>
    a.groups
      .filter((g) => !servesCapture(g))
      .map((g) => `${g.count} ${g.topFrame?.func} ${g.topFrame?.file}:${g.topFrame?.line}`)
      .sort();
  for (const v of VERSIONS) {
    for (const forms of ONE_MOMENT) {
      const [dump, text, proto] = forms.map((f) => analyze(v, f)) as [GoroutineAnalysis, GoroutineAnalysis, GoroutineAnalysis];
      const pileups = (a: GoroutineAnalysis) => a.pileups.map((p) => [p.waiters, p.state, p.site && `${p.site.func} ${p.site.file}:${p.site.line}`]);
      assert.deepEqual(pileups(text), pileups(proto), `${v} ${forms[1]}`);
      if (forms[0].startsWith('rlockpile')) assert.deepEqual(pileups(dump), pileups(text), `${v} ${forms[0]}`);
      assert.deepEqual(topFrames(text), topFrames(proto), `${v} ${forms[1]}: the function and its position come from one frame`);
      assert.equal(text.stackMemory.totalBytes, dump.stackMemory.totalBytes, `${v} ${forms[1]} stack estimate`);
      assert.equal(proto.stackMemory.totalBytes, dump.stackMemory.totalBytes, `${v} ${forms[2]} stack estimate`);
      assert.deepEqual(dump.limits, []);
      const unknown = text.states.find((s) => s.state === 'unknown')?.count ?? 0;
      assert.ok(unknown > 0);
      assert.equal(text.limits.find((l) => l.missing === 'wait-reasons')?.goroutines, unknown, 'debug=1 counts the states it cannot give');
      for (const a of [text, proto]) {
        assert.deepEqual(a.limits.map((l) => l.missing).sort(), ['arguments', 'creators', 'wait-reasons', 'wait-times']);
      }
    }
  }
});
