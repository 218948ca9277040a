import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { prng } from '../../testkit/prng.js';
import { FormatError } from '../errors.js';
import { decodeGcTrace, parseGcTrace, sniffGcTrace } from './index.js';
import { LineIndex } from './parse.js';

const TESTDATA = new URL('../../../testdata/', import.meta.url).pathname;
const VERSIONS = ['go1.23', 'go1.26'];

/** The single-process logs (the go test logs hold several processes: processes.test.ts). */
function logs(): { name: string; text: string }[] {
  return VERSIONS.flatMap((v) =>
    readdirSync(`${TESTDATA}${v}/gctrace`)
      .filter((f) => f.endsWith('.log') && !f.startsWith('gotest'))
      .map((f) => ({ name: `${v}/${f}`, text: readFileSync(`${TESTDATA}${v}/gctrace/${f}`, 'utf8') })),
  );
}

/**
 * An independent reading of a clean gc line: the regex of the format notes,
 * written straight from runtime/mgc.go's print statement. The parser under
 * test works token by token instead, so the two share no code.
 */
const N = '(\\d+(?:\\.\\d+)?)';
const CLEAN_GC = new RegExp(
  `^gc (\\d+) @(\\d+\\.\\d+)s (\\d+)%: ${N}\\+${N}\\+${N} ms clock, ${N}\\+${N}/${N}/${N}\\+${N} ms cpu, ` +
    `(\\d+)->(\\d+)->(\\d+) MB, (\\d+) MB goal, (?:(\\d+) MB stacks, (\\d+) MB globals, )?(\\d+) P( \\(forced\\))?$`,
);

function oracle(line: string) {
  const m = CLEAN_GC.exec(line);
  assert.ok(m, `oracle cannot read ${JSON.stringify(line)}`);
  const v = m.slice(1).map((x) => (x === undefined ? null : Number(x)));
  return {
    n: v[0],
    atSeconds: v[1],
    cpuPercent: v[2],
    clockMs: { sweepTermination: v[3], mark: v[4], markTermination: v[5] },
    cpuMs: { sweepTermination: v[6], assist: v[7], background: v[8], idle: v[9], markTermination: v[10] },
    heapMB: { start: v[11], end: v[12], live: v[13] },
    goalMB: v[14],
    stacksMB: v[15],
    globalsMB: v[16],
    procs: v[17],
    forced: m[19] !== undefined,
  };
}

test('every committed log reads completely: consecutive cycles from gc 1, nothing unreadable', () => {
  for (const { name, text } of logs()) {
    const t = parseGcTrace(text);
    assert.ok(t.cycles.length > 0, name);
    assert.equal(t.unparsedCount, 0, `${name}: ${JSON.stringify(t.unparsed)}`);
    t.cycles.forEach((c, i) => assert.equal(c.n, i + 1, `${name}: cycle ${i + 1} read as gc ${c.n}`));
  }
});

test('clean logs: every field equals the independent regex reading of the same line', () => {
  for (const { name, text } of logs().filter((l) => !l.name.endsWith('noisy.log'))) {
    const expected = text.split('\n').filter((l) => l.startsWith('gc ')).map(oracle);
    const got = parseGcTrace(text).cycles.map(({ line: _l, periodic: _p, ...rest }) => rest);
    assert.deepEqual(got, expected, name);
  }
});

/**
 * The noisy run's own lines are `app: worker N wrote line M`, each written
 * whole with its newline; the runtime's gctrace pieces land around them.
 * Cutting those lines out of the raw text puts the runtime's lines back
 * together independently of the parser, which must find the same records.
 */
const PROGRAM_LINE = /app: worker \d+ wrote line \d+\n/g;

test('noisy logs: records split by the program output are rejoined exactly', () => {
  for (const v of VERSIONS) {
    const raw = readFileSync(`${TESTDATA}${v}/gctrace/noisy.log`, 'utf8');
    const clean = raw.replace(PROGRAM_LINE, '');
    const expected = clean.split('\n').filter((l) => l.startsWith('gc ')).map(oracle);
    const t = parseGcTrace(raw);
    assert.ok(t.rejoined > 0, `${v}: the fixture should contain split records`);
    const scavLines = clean.split('\n').filter((l) => l.startsWith('scav '));
    const intact = raw.split('\n').filter((l) => CLEAN_GC.test(l) || scavLines.includes(l)).length;
    assert.equal(t.rejoined, expected.length + scavLines.length - intact, `${v}: rejoined count`);
    assert.deepEqual(
      t.cycles.map(({ line: _l, periodic: _p, ...rest }) => rest),
      expected,
      v,
    );
    assert.equal(t.scavenger.length, scavLines.length, `${v}: scav lines`);
    assert.equal(
      t.scavenger.filter((s) => s.forced).length,
      clean.split('\n').filter((l) => l.startsWith('scav ') && l.endsWith(' (forced)')).length,
    );
  }
});

test('the periodic GC: "GC forced" marks the next cycle periodic, not forced', () => {
  for (const v of VERSIONS) {
    const text = readFileSync(`${TESTDATA}${v}/gctrace/idle.log`, 'utf8');
    const t = parseGcTrace(text);
    const lines = text.split('\n');
    const after = lines.findIndex((l) => l === 'GC forced');
    assert.ok(after >= 0, `${v}: the idle run should reach the 2-minute GC`);
    const periodic = t.cycles.filter((c) => c.periodic);
    assert.equal(periodic.length, 1, v);
    assert.equal(periodic[0]!.line, after + 2, v);
    assert.equal(periodic[0]!.forced, false, v);
    assert.ok(periodic[0]!.atSeconds >= 120, `${v}: at ${periodic[0]!.atSeconds}s`);
  }
});

test('odd lines: pre-1.18 format, a suffix cut off by program output, scav formats, prefixes', () => {
  const text = [
    // Go ≤1.17 printed no stacks/globals (golang/go#44554 shows such logs).
    'gc 7 @0.512s 2%: 0.021+1.2+0.003 ms clock, 0.17+0.35/1.0/2.1+0.027 ms cpu, 4->4->2 MB, 5 MB goal, 8 P',
    // The program wrote between " P" and " (forced)".
    'gc 8 @0.600s 2%: 0.02+1.1+0.003 ms clock, 0.04+0/0.9/0.1+0.006 ms cpu, 4->4->1 MB, 5 MB goal, 0 MB stacks, 0 MB globals, 8 Pserver: request done',
    ' (forced)',
    'INFO 2024/01/01 some log line gc 9 @0.700s 2%: 0.02+1.1+0.003 ms clock, 0.04+0/0.9/0.1+0.006 ms cpu, 4->5->1 MB, 5 MB goal, 0 MB stacks, 0 MB globals, 8 P',
    // Go 1.26 with GOEXPERIMENT=goroutineleakprofile (runtime/mgc.go prints it after the percent).
    'gc 10 @0.800s 2% (checking for goroutine leaks): 0.02+1.1+0.003 ms clock, 0.04+0/0.9/0.1+0.006 ms cpu, 4->5->1 MB, 5 MB goal, 0 MB stacks, 0 MB globals, 8 P',
    'scav 0 KiB work (bg), 512 KiB work (eager), 3848 KiB now, 32% util [controller reset]',
    'scav 3 12 KiB work, 2048 KiB total, 40% util',
    'we did gc 10 things today', // the words "gc " in ordinary output
    'gc 11 @0.9s 1%: 0.02+1.1', // cut off: the process died mid-line
  ].join('\n');
  const t = parseGcTrace(text);
  assert.deepEqual(
    t.cycles.map((c) => [c.n, c.stacksMB, c.globalsMB, c.procs, c.forced]),
    [
      [7, null, null, 8, false],
      [8, 0, 0, 8, true],
      [9, 0, 0, 8, false],
      [10, 0, 0, 8, false],
    ],
  );
  assert.deepEqual(t.scavenger.map((s) => [s.backgroundKiB, s.eagerKiB, s.workKiB, s.releasedKiB, s.utilPercent, s.controllerReset]), [
    [0, 512, null, 3848, 32, true],
    [null, null, 12, 2048, 40, false],
  ]);
  assert.equal(t.unparsedCount, 1);
  assert.equal(t.unparsed[0]!.line, 9);
  assert.equal(t.otherLines, 1);
});

test('decodeGcTrace: gzip is read, and bad input is a one-line FormatError naming the file', () => {
  const text = readFileSync(`${TESTDATA}go1.26/gctrace/gogc100.log`);
  assert.equal(decodeGcTrace(gzipSync(text), 'x.log.gz').cycles.length, parseGcTrace(text.toString()).cycles.length);
  const cases: [string, Uint8Array, RegExp][] = [
    ['empty', new Uint8Array(0), /empty file/],
    ['binary', new Uint8Array([0x0a, 0x00, 0x12, 0x00, 0x01]), /binary data/],
    ['profile', readFileSync(`${TESTDATA}go1.26/heap/heap.pb.gz`), /binary data/],
    ['other text', new TextEncoder().encode('hello\nworld\n'), /not a gctrace log: no "gc N @…" lines/],
    ['cut gzip', gzipSync(text).subarray(0, 200), /truncated gzip/],
  ];
  for (const [what, bytes, message] of cases) {
    assert.throws(
      () => decodeGcTrace(bytes, `${what}.log`),
      (e: unknown) => e instanceof FormatError && message.test(e.message) && e.describe().startsWith(`${what}.log: `) && !e.describe().includes('\n'),
      what,
    );
  }
});

test('sniffGcTrace tells gctrace from other text', () => {
  assert.ok(sniffGcTrace(readFileSync(`${TESTDATA}go1.23/gctrace/noisy.log`)));
  assert.ok(!sniffGcTrace(new TextEncoder().encode('goroutine 1 [running]:\nmain.main()\n')));
});

test('fuzz: mutated logs never throw, and never yield more cycles than gc markers', () => {
  const sources = logs().filter((l) => /noisy|gogc50|idle/.test(l.name));
  const rand = prng(0x6c0c);
  for (let i = 0; i < 400; i++) {
    const src = sources[i % sources.length]!;
    const chars = src.text.split('');
    for (let m = 0; m < 1 + Math.floor(rand() * 20); m++) {
      const at = Math.floor(rand() * chars.length);
      const op = rand();
      if (op < 0.3) chars[at] = String.fromCharCode(32 + Math.floor(rand() * 95));
      else if (op < 0.5) chars[at] = '\n';
      else if (op < 0.7) chars.splice(at, Math.floor(rand() * 200));
      else if (op < 0.85) chars.splice(at, 0, ...chars.slice(at, at + Math.floor(rand() * 300)));
      else chars.length = at;
    }
    const mutated = chars.join('');
    const t = parseGcTrace(mutated);
    const markers = (mutated.match(/gc /g) ?? []).length;
    assert.ok(t.cycles.length <= markers, `${src.name} case ${i}`);
    for (const c of t.cycles) assert.ok(Number.isFinite(c.n) && Number.isFinite(c.heapMB.live), `${src.name} case ${i}`);
  }
});

test('LineIndex gives the lines of a text as split would, without keeping them', () => {
  for (const text of ['', 'a', 'a\n', 'a\nb', 'a\r\nb\r\n', '\n\nc', 'x\r\n\r\ny']) {
    const expected = text.split(/\r?\n/);
    if (expected.at(-1) === '') expected.pop();
    const index = new LineIndex(text);
    assert.deepEqual(Array.from({ length: index.length }, (_, i) => index.at(i)), expected, JSON.stringify(text));
  }
});
