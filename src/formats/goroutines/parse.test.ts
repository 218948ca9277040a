import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FormatError } from '../errors.js';
import { decodeGoroutineDump, decodeGoroutineDumps, decodeGoroutineInput, decodeGoroutineInputs, parseGoroutineDump, parseGoroutineDumps, parseGoroutineProfileText, sniffGoroutineDump } from './index.js';
import { DUMPS, fixtureText, independentBlocks, readFixture, readJsonLines, readTruth, VERSIONS, type CrashTruth } from '../../testkit/goroutine-fixtures.js';

const enc = (s: string) => new TextEncoder().encode(s);

test('every fixture dump: the goroutines, their states and frame counts agree with an independent reading', () => {
  for (const [v, rel] of DUMPS) {
    const text = fixtureText(v, rel);
    const dump = decodeGoroutineDump(readFixture(v, rel), rel);
    const blocks = independentBlocks(text);
    assert.equal(dump.goroutines.length, blocks.length, `${v}/${rel}`);
    dump.goroutines.forEach((g, i) => {
      const b = blocks[i]!;
      assert.equal(g.id, b.id);
      assert.ok(b.bracket.startsWith(g.state), `${rel} goroutine ${g.id}: ${b.bracket} vs ${g.state}`);
      // Frames: lines with a tab that are neither the created-by location nor ancestor frames.
      const own = b.lines.slice(0, firstIndex(b.lines, (l) => l.startsWith('created by ') || l.startsWith('[originating')));
      const calls = own.filter((l) => !l.startsWith('\t') && !l.startsWith('...')).length;
      assert.equal(g.frames.length, calls, `${rel} goroutine ${g.id} frames`);
      assert.equal(g.args.length, calls);
    });
  }
});

function firstIndex(lines: string[], pred: (l: string) => boolean): number {
  const i = lines.findIndex(pred);
  return i < 0 ? lines.length : i;
}

test('debug=2: wait minutes, locked to thread, created by … in goroutine N, elided frames and "..." arguments', () => {
  for (const v of VERSIONS) {
    const dump = parseGoroutineDump(fixtureText(v, 'stuck/goroutine.debug2.txt'));
    const truth = readTruth(v, 'stuck/truth.json');
    const fn = (g: (typeof dump.goroutines)[number]) => dump.frames[g.frames.find((f) => dump.frames[f]!.func.startsWith('main.'))!]?.func;
    // The script waits past a GC and a minute: every goroutine the program parked says "1 minutes".
    const parked = dump.goroutines.filter((g) => truth.some((t) => t.func === fn(g)));
    assert.equal(parked.length, truth.reduce((s, t) => s + t.count, 0));
    assert.ok(parked.every((g) => g.waitMinutes >= 1), v);
    const locked = dump.goroutines.filter((g) => g.lockedToThread);
    assert.deepEqual([...new Set(locked.map(fn))], ['main.lockedReceiver']);
    assert.equal(locked.length, truth.find((t) => t.func === 'main.lockedReceiver')!.count);
    // leakyReceiver goroutines were started at one site by four parents: four distinct "in goroutine N".
    const leaky = dump.goroutines.filter((g) => fn(g) === 'main.leakyReceiver' && dump.frames[g.createdBy!.frame]!.func === 'main.parents.func1');
    assert.equal(leaky.length, 40);
    assert.equal(new Set(leaky.map((g) => g.createdBy!.parent)).size, 4);
    // deep(150) is 151 calls: printed main.deep frames plus the elided count.
    const deep = dump.goroutines.find((g) => fn(g) === 'main.deep')!;
    const printedDeep = deep.frames.filter((f) => dump.frames[f]!.func === 'main.deep').length;
    assert.ok(deep.elidedFrames > 0);
    assert.equal(printedDeep + deep.elidedFrames, 151);
    assert.equal(deep.elidedAt, 50, 'the innermost 50 frames come before the marker');
    const many = dump.goroutines.find((g) => fn(g) === 'main.manyArgs')!;
    assert.match(many.args[0]!, /, \.\.\.$/);
    const generic = dump.goroutines.find((g) => fn(g) === 'main.genericWait[...]');
    assert.ok(generic, 'generic function names keep their [...]');
    const inlined = dump.frames.find((f) => f.func === 'sync.(*Mutex).Lock');
    assert.equal(inlined?.inlined, true, 'sync.(*Mutex).Lock(...) has no +0x offset: inlined');
  }
});

test('SIGQUIT dumps: the signal reason, gp/m header fields, runtime goroutines, register dump skipped', () => {
  for (const v of VERSIONS) {
    const text = fixtureText(v, 'stuck/sigquit.txt');
    const dump = parseGoroutineDump(text);
    assert.equal(dump.kind, 'signal');
    assert.equal(dump.reason[0], 'SIGQUIT: quit');
    assert.ok(dump.goroutines.some((g) => g.id === 0 && g.m !== undefined), 'goroutine 0 (an idle M) is shown');
    assert.ok(dump.goroutines.every((g) => g.m !== undefined), 'GOTRACEBACK=all on SIGQUIT prints gp= m=');
    assert.ok(dump.goroutines.some((g) => /^GC /.test(g.state) || g.state === 'force gc (idle)'));
    const registers = text.split('\n').filter((l) => /^r[a-z0-9]+ +0x[0-9a-f]+$/.test(l)).length;
    assert.ok(registers > 0 && dump.skippedLines >= registers, 'the register dump is outside any goroutine');
  }
});

test('panic with GODEBUG=tracebackancestors: the message and the [originating from goroutine N] chain', () => {
  for (const v of VERSIONS) {
    const dump = parseGoroutineDump(fixtureText(v, 'stuck/panic.txt'));
    assert.equal(dump.kind, 'panic');
    assert.equal(dump.reason[0], 'panic: assignment to entry in nil map');
    const panicking = dump.goroutines[0]!;
    assert.equal(panicking.state, 'running');
    // The panicking goroutine was started by its parent, which main started: two ancestors, the parent first.
    assert.equal(panicking.ancestors.length, 2);
    assert.equal(panicking.ancestors[0]!.id, panicking.createdBy!.parent);
    assert.equal(dump.frames[panicking.ancestors[0]!.createdBy!.frame]!.func, 'main.panicInChild');
    assert.equal(panicking.ancestors[0]!.createdBy!.parent, undefined, 'ancestor creators print no "in goroutine"');
    assert.equal(dump.frames[panicking.ancestors[1]!.frames[0]!]!.func, 'main.panicInChild');
  }
});

test('fatal error: the runtime deadlock message', () => {
  for (const v of VERSIONS) {
    const dump = parseGoroutineDump(fixtureText(v, 'deadlock/deadlock.txt'));
    assert.equal(dump.kind, 'fatal-error');
    assert.deepEqual(dump.reason, ['fatal error: all goroutines are asleep - deadlock!']);
  }
});

const HEADER_CASES: [string, Partial<{ state: string; waitMinutes: number; lockedToThread: boolean; scan: boolean; leaked: boolean; extra: string[]; m: string }>][] = [
  ['goroutine 7 [GC worker (idle)]:', { state: 'GC worker (idle)' }],
  ['goroutine 7 [select, 5 minutes]:', { state: 'select', waitMinutes: 5 }],
  ['goroutine 7 [chan receive (nil chan)]:', { state: 'chan receive (nil chan)' }],
  ['goroutine 7 [sync.Mutex.Lock, 1 minutes]:', { state: 'sync.Mutex.Lock', waitMinutes: 1 }],
  ['goroutine 7 [sync.WaitGroup.Wait]:', { state: 'sync.WaitGroup.Wait' }],
  ['goroutine 7 [IO wait, 1440 minutes]:', { state: 'IO wait', waitMinutes: 1440 }],
  ['goroutine 7 [syscall, locked to thread]:', { state: 'syscall', lockedToThread: true }],
  ['goroutine 7 [chan receive, 3 minutes, locked to thread]:', { state: 'chan receive', waitMinutes: 3, lockedToThread: true }],
  ['goroutine 7 [running (scan)]:', { state: 'running', scan: true }],
  ['goroutine 7 gp=0xc000007180 m=nil [semacquire]:', { state: 'semacquire', m: 'nil' }],
  ['goroutine 7 gp=0xc000007180 m=3 mp=0xc000100008 [running]:', { state: 'running', m: '3' }],
  ['goroutine 7 [chan receive, synctest bubble 1]:', { state: 'chan receive', extra: ['synctest bubble 1'] }],
  ['goroutine 7 [chan send (leaked)]:', { state: 'chan send', leaked: true }],
  ['goroutine 7 [sync.Mutex.Lock (leaked) (scan), 2 minutes]:', { state: 'sync.Mutex.Lock', leaked: true, scan: true, waitMinutes: 2 }],
  ['goroutine 7 [select (no cases)]:', { state: 'select (no cases)', leaked: false }],
];

test('headers: odd states, minutes, locked to thread, (scan), gp/m, unknown items kept', () => {
  for (const [header, want] of HEADER_CASES) {
    const g = parseGoroutineDump(`${header}\nmain.f()\n\t/src/main.go:3 +0x1d\n`).goroutines[0]!;
    for (const [k, v] of Object.entries(want)) assert.deepEqual(g[k as keyof typeof g], v, `${header}: ${k}`);
  }
});

test('created by with and without "in goroutine N", older "additional frames elided", stack unavailable, odd paths', () => {
  const text = [
    'goroutine 9 [running]:',
    '\tgoroutine running on other thread; stack unavailable',
    'created by net/http.(*Server).Serve in goroutine 1',
    '\t/usr/lib/go/src/net/http/server.go:3285 +0x4b4',
    '',
    'goroutine 10 [chan send]:',
    'main.(*T).send(...)',
    '\tC:/Users/me/go/src/app/main.go:12',
    'main.run(0xc000010000, {0x4d2b1a?, 0x3})',
    '\t<autogenerated>:1 +0x2a',
    '...additional frames elided...',
    'created by main.start',
    '\t/app/main.go:40 +0x1a',
  ].join('\n');
  const d = parseGoroutineDump(text);
  const [a, b] = d.goroutines;
  assert.equal(a!.stackUnavailable, true);
  assert.equal(a!.createdBy!.parent, 1);
  assert.equal(d.frames[a!.createdBy!.frame]!.func, 'net/http.(*Server).Serve');
  assert.equal(b!.elidedFrames, -1);
  assert.equal(b!.createdBy!.parent, undefined);
  assert.deepEqual(
    b!.frames.map((f) => [d.frames[f]!.file, d.frames[f]!.line, d.frames[f]!.inlined]),
    [
      ['C:/Users/me/go/src/app/main.go', 12, true],
      ['<autogenerated>', 1, false],
    ],
  );
  assert.equal(b!.args[1], '0xc000010000, {0x4d2b1a?, 0x3}');
});

test('runtime diagnostics inside a block (bad unwinding, cgo frames) are skipped, not frames and not errors', () => {
  const d = parseGoroutineDump(
    [
      'goroutine 5 [running]:',
      'runtime: g 5: unexpected return pc for main.f called from 0x0',
      'stack: frame={sp:0xc000049f80, fp:0xc000049fb0} stack=[0xc000049000,0xc00004a000)',
      '0x000000c000049e80:  0x0000000000000000  0x0000000000000001',
      'non-Go function',
      '\tpc=0x7f3a2c1d2e3f',
      'main.f()',
      '\t/app/main.go:9 +0x12',
    ].join('\n'),
  );
  assert.deepEqual(d.goroutines[0]!.frames.map((f) => d.frames[f]!.func), ['main.f']);
  assert.equal(d.skippedLines, 5);
});

test('an old (Go 1.4-era) crash dump pasted with spaces: fp/sp without pc, elided frames, runnable runtime goroutines', () => {
  // Shaped after the dump quoted in 4ad/go.arm64#115 (paths and values changed).
  const d = parseGoroutineDump(
    [
      'goroutine 1 [running]:',
      'runtime.evacuate(0x0, 0x1, 0x4208036198)',
      '    /home/u/go/src/runtime/hashmap.go:799 +0x530 fp=0x420801a110 sp=0x420801a110',
      'runtime.evacuate(0x0, 0x1, 0x4208036198)',
      '    /home/u/go/src/runtime/hashmap.go:799 +0x530 fp=0x420801a110 sp=0x420801a110',
      '...additional frames elided...',
      '',
      'goroutine 2 [runnable]:',
      'runtime.forcegchelper()',
      '    /home/u/go/src/runtime/proc.go:111',
      'runtime.goexit()',
      '    /home/u/go/src/runtime/asm_arm64.s:897 +0x4',
    ].join('\n'),
  );
  assert.deepEqual(
    d.goroutines.map((g) => [g.id, g.state, g.frames.length, g.elidedFrames]),
    [
      [1, 'running', 2, -1],
      [2, 'runnable', 2, 0],
    ],
  );
});

test('text around the dump is tolerated: a log tail without a blank line, CRLF, program output', () => {
  const d = parseGoroutineDump('starting\r\npanic: boom\r\n\r\ngoroutine 1 [running]:\r\nmain.main()\r\n\t/app/main.go:5 +0x1d\r\nexit status 2\r\n');
  assert.equal(d.kind, 'panic');
  assert.equal(d.goroutines.length, 1);
  assert.equal(d.frames[0]!.file, '/app/main.go');
  assert.deepEqual(d.lines, { first: 2, last: 6 }, 'from the panic line to the last frame; the lines around it are the program\'s');
  assert.equal(d.skippedLines, 0);
});

test('a dump cut in the middle of a frame (debug=2 stops at 64 MB) is read up to the cut and flagged', () => {
  const d = parseGoroutineDump('goroutine 1 [chan receive]:\nmain.a()\n\t/a.go:1 +0x1\n\ngoroutine 2 [select]:\nmain.b(0x1');
  assert.equal(d.truncated, true, 'cut inside a call line');
  assert.equal(d.goroutines.length, 2);
  assert.equal(parseGoroutineDump('goroutine 1 [chan receive]:\nmain.a()\n\t/a.go:1 +0x1\n\ngoroutine 2 [sel').truncated, true, 'cut inside a header');
  const cut = parseGoroutineDump('goroutine 1 [chan receive]:\nmain.a()\n\t/a.go:1 +0x1\nmain.b()\n');
  assert.equal(cut.truncated, true);
  assert.equal(cut.goroutines[0]!.frames.length, 1);
});

test('a dump pasted with its tabs turned to spaces, or indented in a log, reads as the original', () => {
  for (const v of VERSIONS) {
    const text = fixtureText(v, 'stuck/goroutine.debug2.txt');
    const flat = (d: ReturnType<typeof parseGoroutineDump>) =>
      d.goroutines.map((g) => [g.id, g.state, g.waitMinutes, g.frames.map((f) => d.frames[f]!), g.createdBy && d.frames[g.createdBy.frame]]);
    const want = flat(parseGoroutineDump(text));
    const spaced = text.replace(/\t/g, '        ');
    const indented = text
      .split('\n')
      .map((l) => (l === '' ? l : `    ${l}`))
      .join('\n');
    assert.deepEqual(flat(parseGoroutineDump(spaced)), want, `${v} tabs as spaces`);
    assert.deepEqual(flat(parseGoroutineDump(indented)), want, `${v} indented`);
    assert.ok(sniffGoroutineDump(enc(indented)));
  }
});

test('malformed dumps: one FormatError naming the file and line', () => {
  const cases: [string, RegExp][] = [
    ['goroutine 1 [running:\nmain.main()\n', /malformed goroutine header.*line 1/],
    ['goroutine 1 [running]:\nmain.main()\n\t/a.go:1 +0x1\n\ngoroutine 2 [running\n\ngoroutine 3 [running]:\n', /malformed goroutine header.*line 5/],
    ['goroutine 1 [running]:\nmain.main()\nmain.other()\n\t/a.go:1\n', /expected "\\tFILE:LINE" after the call.*line 3/],
    ['goroutine 1 [running]:\nthis is not a frame\n\ngoroutine 2 [running]:\n', /unexpected line in goroutine 1.*line 2/],
    ['goroutine x [running]:\n', /not a goroutine dump/],
  ];
  for (const [text, re] of cases) {
    assert.throws(
      () => decodeGoroutineDump(enc(text), 'dump.txt'),
      (err: unknown) => err instanceof FormatError && re.test(err.describe()) && err.describe().startsWith('dump.txt: ') && !err.describe().includes('\n'),
      text,
    );
  }
});

test('input recognition: dumps by their headers (even after a long panic message), profiles by the profile decoders', () => {
  assert.equal(decodeGoroutineInput(readFixture('go1.26', 'stuck/goroutine.debug2.txt')).kind, 'dump');
  assert.equal(decodeGoroutineInput(readFixture('go1.26', 'stuckmany/goroutine.debug2.txt.gz')).kind, 'dump');
  assert.equal(decodeGoroutineInput(readFixture('go1.26', 'stuck/goroutine.txt')).kind, 'profile');
  assert.equal(decodeGoroutineInput(readFixture('go1.26', 'stuck/goroutine.pb.gz')).kind, 'profile');
  assert.ok(sniffGoroutineDump(enc(`${'x'.repeat(20000)}\npanic: long\n\ngoroutine 1 [running]:\n`)));
  assert.ok(!sniffGoroutineDump(enc('a goroutine 1 [running]: in prose\n')));
  assert.throws(() => decodeGoroutineInput(enc('hello\n'), 'x.txt'), (e: unknown) => e instanceof FormatError && /^x\.txt: /.test(e.describe()));
});

/** The user functions a dump's goroutines are parked in, counted (the innermost main.* frame of each). */
function parkedIn(d: ReturnType<typeof parseGoroutineDump>): Map<string, number> {
  const m = new Map<string, number>();
  for (const g of d.goroutines) {
    const f = g.frames.map((i) => d.frames[i]!.func).find((fn) => fn.startsWith('main.') && fn !== 'main.main');
    if (f) m.set(f, (m.get(f) ?? 0) + 1);
  }
  return m;
}

test('a crash log: the dump after 130 KiB of the service\'s own log lines is found, where it stands in the file', () => {
  for (const v of VERSIONS) {
    const text = fixtureText(v, 'crashlog/panic.log.gz');
    const [truth] = readJsonLines<CrashTruth>(v, 'crashlog/panic.truth.jsonl');
    const [dump, ...more] = decodeGoroutineDumps(readFixture(v, 'crashlog/panic.log.gz'), 'panic.log.gz');
    assert.equal(more.length, 0);
    const lines = text.split('\n');
    const before = lines.slice(0, dump!.lines.first - 1).join('\n').length + 1;
    assert.ok(truth!.loggedBeforeDump! > 64 * 1024 && before >= truth!.loggedBeforeDump!, `${v}: the dump starts after ${before} bytes of log`);
    assert.equal(lines[dump!.lines.first - 1], 'panic: assignment to entry in nil map');
    assert.equal(dump!.kind, 'panic');
    // GOTRACEBACK=single (the default): only the goroutine that panicked.
    assert.deepEqual(
      dump!.goroutines.map((g) => dump!.frames[g.frames[0]!]!.func),
      ['main.(*sessionStore).touch'],
    );
  }
});

test('a log with two dumps (SIGUSR1 handler, then SIGQUIT): each one, in order, with what the program had parked', () => {
  for (const v of VERSIONS) {
    const text = fixtureText(v, 'crashlog/signals.log.gz');
    const [ready] = readJsonLines<CrashTruth>(v, 'crashlog/signals.truth.jsonl');
    const dumps = decodeGoroutineDumps(readFixture(v, 'crashlog/signals.log.gz'), 'signals.log.gz');
    assert.equal(dumps.length, 2, v);
    const [onSignal, onQuit] = dumps as [ReturnType<typeof parseGoroutineDump>, ReturnType<typeof parseGoroutineDump>];
    assert.ok(onSignal.lines.last < onQuit.lines.first, 'in the order of the file, not overlapping');
    const lines = text.split('\n');
    // Between them the service went on logging: none of its lines is inside either dump.
    const logLine = /^\d{4}\/\d\d\/\d\d .* INFO request /;
    for (const d of dumps) assert.ok(!lines.slice(d.lines.first - 1, d.lines.last).some((l) => logLine.test(l)));
    assert.ok(lines.slice(onSignal.lines.last, onQuit.lines.first - 1).filter((l) => logLine.test(l)).length >= 700);
    assert.equal(onSignal.kind, 'goroutines', 'runtime.Stack output has no reason line');
    assert.equal(onSignal.goroutines.length, ready!.goroutines, 'every goroutine runtime.NumGoroutine counted');
    assert.equal(onQuit.kind, 'signal');
    assert.equal(onQuit.reason[0], 'SIGQUIT: quit');
    for (const d of dumps) {
      const parked = parkedIn(d);
      for (const [fn, n] of Object.entries(ready!.parked!)) assert.equal(parked.get(fn), n, `${v} dump at line ${d.lines.first}: ${fn}`);
    }
    assert.ok(onQuit.skippedLines >= 20, 'the register dump at the end belongs to the SIGQUIT dump');
    // The library's one-dump decoders say there are two rather than pick one.
    assert.throws(
      () => decodeGoroutineInput(readFixture(v, 'crashlog/signals.log.gz'), 'signals.log.gz'),
      (e: unknown) => e instanceof FormatError && /holds 2 goroutine dumps \(lines \d+–\d+, \d+–\d+\)/.test(e.describe()),
    );
    assert.equal(decodeGoroutineInputs(readFixture(v, 'crashlog/signals.log.gz')).length, 2);
  }
});

test('no dump in a log: the error says what was looked for, not "not a profile"', () => {
  const text = fixtureText('go1.26', 'crashlog/panic.log.gz');
  const logOnly = text.slice(0, text.indexOf('panic: '));
  assert.throws(
    () => decodeGoroutineInputs(enc(logOnly), 'service.log'),
    (e: unknown) =>
      e instanceof FormatError &&
      /^service\.log: no goroutine dump or goroutine profile in it: expected a goroutine dump \(a "goroutine 1 \[running\]:" line anywhere/.test(e.describe()) &&
      !e.describe().includes('\n'),
  );
  // A program's own lines that merely start with "goroutine" are not a malformed dump.
  const chatty = `${logOnly}goroutine 12 finished\ngoroutine pool resized\n`;
  assert.throws(() => decodeGoroutineInputs(enc(chatty), 'service.log'), /no goroutine dump or goroutine profile in it/);
});

test('debug=1 text as the goroutine analysis reads it: every frame is one "#" line, function and position together', () => {
  for (const v of VERSIONS) {
    for (const rel of ['stuck/goroutine.txt', 'rlockpile/goroutine.txt', 'goroutines/goroutine.txt']) {
      const text = fixtureText(v, rel);
      const p = parseGoroutineProfileText(text);
      const records = text.split('\n\n').filter((r) => /^\d+ @/m.test(r));
      assert.equal(p.stacks.length, records.length, `${v} ${rel}`);
      p.stacks.forEach((st, i) => {
        const comments = records[i]!.split('\n').filter((l) => /^#\t+0x/.test(l));
        const want = comments.map((l) => {
          const [, func, where] = /^#\t+0x[0-9a-f]+\t+(\S+)\+0x[0-9a-f]+\t+(.*)$/.exec(l)!;
          return `${func} ${where}`;
        });
        assert.deepEqual(st.frames.map((f) => `${p.frames[f]!.func} ${p.frames[f]!.file}:${p.frames[f]!.line}`), want);
        const addresses = /^\d+ @((?: 0x[0-9a-f]+)*)$/m.exec(records[i]!)![1]!.trim().split(' ').length;
        assert.equal(st.unnamed, addresses - comments.length, 'addresses without a "#" line: the hidden runtime frames');
      });
    }
  }
});

test('where one dump ends and the next begins: program output, a new panic, an id seen twice; a panic value over several lines', () => {
  const two = parseGoroutineDumps('goroutine 1 [running]:\nmain.a()\n\t/a.go:1 +0x1\n\nINFO restart (pid 7)\ngoroutine 2 [running]:\nmain.b()\n\t/b.go:1 +0x1\n');
  assert.deepEqual(two.map((d) => [d.lines, d.goroutines.map((g) => g.id)]), [[{ first: 1, last: 3 }, [1]], [{ first: 6, last: 8 }, [2]]]);
  const again = parseGoroutineDumps('goroutine 1 [running]:\nmain.a()\n\t/a.go:1 +0x1\n\ngoroutine 1 [running]:\nmain.a()\n\t/a.go:2 +0x1\n');
  assert.equal(again.length, 2, 'goroutine 1 twice: two dumps back to back');
  const panics = parseGoroutineDumps('goroutine 3 [select]:\nmain.w()\n\t/w.go:1 +0x1\n\npanic: boom\n\ngoroutine 4 [running]:\nmain.p()\n\t/p.go:1 +0x1\n');
  assert.deepEqual(panics.map((d) => d.kind), ['goroutines', 'panic']);
  const sigquit = parseGoroutineDumps('SIGQUIT: quit\nPC=0x1 m=0 sigcode=0\n\ngoroutine 1 [select]:\nmain.w()\n\t/w.go:1 +0x1\n\nrax    0x0\nrip    0x1\n');
  assert.deepEqual(sigquit.map((d) => [d.lines, d.skippedLines]), [[{ first: 1, last: 9 }, 2]], 'registers end the dump they follow');
  const multiline = parseGoroutineDump('panic: first line\nsecond line of the value\n\ngoroutine 1 [running]:\nmain.main()\n\t/a.go:1 +0x1\n');
  assert.deepEqual([multiline.kind, multiline.reason, multiline.lines.first], ['panic', ['panic: first line'], 1]);
});
