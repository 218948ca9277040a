import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FormatError } from '../errors.js';
import { decodeGoroutineDump, decodeGoroutineInput, parseGoroutineDump, sniffGoroutineDump } from './index.js';
import { DUMPS, fixtureText, independentBlocks, readFixture, readTruth, VERSIONS } from '../../testkit/goroutine-fixtures.js';

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

const HEADER_CASES: [string, Partial<{ state: string; waitMinutes: number; lockedToThread: boolean; scan: boolean; extra: string[]; m: string }>][] = [
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
  assert.equal(d.skippedLines, 2);
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
