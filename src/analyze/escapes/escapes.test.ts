import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fixturePath, loadJson, loadText, VERSIONS, type Version } from '../../testkit/escape-fixtures.js';
import type { EscapeReport, EscapeSite } from '../../model/escapes.js';
import { decodeProfile } from '../../formats/index.js';
import type { Profile } from '../../model/profile.js';
import { allocIndexes, analyzeEscapes } from './index.js';
import { classifySite } from './causes.js';
import { joinProfile } from './join.js';
import type { EscapeJoin } from './types.js';

/**
 * The join against the real run: testdata/go1.2x/escapes/allocs.pb.gz was
 * written by the program whose escape output sits beside it, at
 * MemProfileRate=1, so every allocation is in it. Expected bytes are computed
 * here straight from the decoded profile's samples, independently of the join.
 */

interface Loc {
  /** The leaf location's lines, innermost first: [function, line]. */
  lines: { fn: string; file: string; line: number }[];
  bytes: number;
  objects: number;
  reflect: boolean;
}

function profileOf(v: Version): Profile {
  return decodeProfile(readFileSync(fixturePath(v, 'allocs.pb.gz')), 'allocs.pb.gz');
}

/** Every sample as its leaf location's lines and its alloc_space / alloc_objects. */
function samples(p: Profile): Loc[] {
  const space = p.sampleTypes.findIndex((t) => t.type === 'alloc_space');
  const objs = p.sampleTypes.findIndex((t) => t.type === 'alloc_objects');
  const n = p.sampleTypes.length;
  const out: Loc[] = [];
  for (let i = 0; i < p.samples.count; i++) {
    const lineOf = (l: number) => {
      const f = p.lines.function[l]!;
      return { fn: p.strings[p.functions.name[f]!]!, file: p.strings[p.functions.filename[f]!]!, line: p.lines.line[l]! };
    };
    const stack: ReturnType<typeof lineOf>[][] = [];
    for (let k = p.samples.locStart[i]!; k < p.samples.locStart[i]! + p.samples.locCount[i]!; k++) {
      const loc = p.stacks[k]!;
      const ls = [];
      for (let l = p.locations.lineStart[loc]!; l < p.locations.lineStart[loc]! + p.locations.lineCount[loc]!; l++) ls.push(lineOf(l));
      stack.push(ls);
    }
    const flat = stack.flat();
    const firstMain = flat.findIndex((f) => f.fn.startsWith('main.'));
    out.push({
      lines: stack[0]!,
      bytes: p.samples.values[i * n + space]!,
      objects: p.samples.values[i * n + objs]!,
      reflect: flat.slice(0, firstMain < 0 ? flat.length : firstMain).some((f) => f.fn.startsWith('reflect.')),
    });
  }
  return out;
}

const inMain = (f: { fn: string }) => f.fn.startsWith('main.');
const outer = (l: Loc) => l.lines[l.lines.length - 1]!;

function forms(v: Version): [string, EscapeReport][] {
  return [
    ['m', loadText(v, 'm.txt')],
    ['m2', loadText(v, 'm2.txt')],
    ['json', loadJson(v)],
  ];
}

function join(report: EscapeReport, p: Profile): EscapeJoin {
  return joinProfile(report, p, allocIndexes(p)!);
}

const sum = <T>(xs: T[], f: (x: T) => number) => xs.reduce((t, x) => t + f(x), 0);

for (const v of VERSIONS) {
  const p = profileOf(v);
  const locs = samples(p);
  const total = sum(locs, (l) => l.bytes);

  for (const [form, report] of forms(v)) {
    test(`${v} ${form}: every allocated byte is either on escape sites or reported unexplained`, () => {
      const j = join(report, p);
      assert.equal(j.totalBytes, total);
      assert.equal(sum(j.groups, (g) => g.bytes) + sum(j.unexplained, (u) => u.bytes), total);
      assert.equal(sum(j.groups, (g) => g.objects) + sum(j.unexplained, (u) => u.objects), sum(locs, (l) => l.objects));
    });

    test(`${v} ${form}: the bytes on each line's sites are the profile's bytes for that line`, () => {
      const j = join(report, p);
      const heapSites = report.sites.filter((s) => /main\.go$/.test(s.file) && (s.decision === 'escapes' || s.decision === 'moved-to-heap'));
      // A sample belongs to line L's sites when it allocated in L's own code (no inline frames), or in
      // inlined code whose frames reach the origin of a site at L.
      const explains = (l: Loc) =>
        l.lines.length === 1 || heapSites.some((s) => s.line === outer(l).line && s.origin && l.lines.slice(0, -1).some((f) => f.line === s.origin!.line));
      const profileByLine = new Map<number, { all: number; explained: number }>();
      for (const l of locs.filter((x) => inMain(outer(x)))) {
        const t = profileByLine.get(outer(l).line) ?? { all: 0, explained: 0 };
        t.all += l.bytes;
        if (explains(l)) t.explained += l.bytes;
        profileByLine.set(outer(l).line, t);
      }
      const joinedByLine = new Map<number, number>();
      for (const g of j.groups) joinedByLine.set(g.frame.line, (joinedByLine.get(g.frame.line) ?? 0) + g.bytes);
      assert.ok(joinedByLine.size >= 8, 'many lines joined');
      for (const [line, bytes] of joinedByLine) assert.equal(bytes, profileByLine.get(line)!.explained, `main.go:${line}`);
      const heapLines = new Set(heapSites.map((s) => s.line));
      for (const [line, t] of profileByLine) {
        if (!heapLines.has(line)) continue;
        // What a heap line does not explain is an inlined allocation with no site of its own, reported unexplained.
        const rest = sum(j.unexplained.filter((u) => locs.some((l) => outer(l).line === line && l.lines[0]!.line === u.frame.line && l.lines.length > 1)), (u) => u.bytes);
        assert.equal((joinedByLine.get(line) ?? 0) + (t.all === t.explained ? 0 : rest), t.all, `line ${line}`);
      }
    });

    test(`${v} ${form}: inlined copies get the bytes of exactly the locations whose inline frames reach their origin`, () => {
      const j = join(report, p);
      let checked = 0;
      for (const g of j.groups) {
        const copy = g.sites.find((s) => s.origin);
        if (!copy) continue;
        const expected = sum(
          locs.filter((l) => l.lines.length > 1 && outer(l).line === copy.line && l.lines.slice(0, -1).some((f) => f.line === copy.origin!.line)),
          (l) => l.bytes,
        );
        assert.equal(g.bytes, expected, `${copy.line}:${copy.column} ${copy.expr} <- ${copy.origin!.line}`);
        checked++;
      }
      assert.ok(checked >= 4, `checked ${checked} inlined groups`);
      // The two-level case: newNode inlined into buildList inlined into main.
      const node = j.groups.find((g) => g.sites.some((s) => s.line === 193 && s.expr === '&node{...}'))!;
      assert.ok(node.bytes > 0);
      assert.equal(node.sites.length, 1, 'the append on the same line is told apart by its inline frames');
      assert.equal(node.bytes, sum(locs.filter((l) => l.lines[0]!.fn === 'main.newNode' && outer(l).line === 193), (l) => l.bytes));
    });
  }

  test(`${v}: the three forms put the same bytes on the same lines`, () => {
    const byLine = (r: EscapeReport) =>
      join(r, p)
        .groups.map((g) => `${g.frame.line}:${g.sites.map((s) => s.column).sort().join('/')}=${g.bytes}`)
        .sort();
    const [m, ...rest] = forms(v).map(([, r]) => byLine(r));
    for (const other of rest) assert.deepEqual(other, m);
  });

  test(`${v}: reflect's share counts the samples allocated inside reflect and the sites that feed it`, () => {
    const a = analyzeEscapes(loadText(v, 'm2.txt'), { profile: p, indexes: allocIndexes(p)! });
    const insideReflect = sum(locs.filter((l) => l.reflect), (l) => l.bytes);
    assert.ok(insideReflect > 0, 'reflect.New allocates');
    assert.equal(a.join!.reflectBytes, insideReflect);
    const feeding = a.join!.groups.filter((g) => g.sites.some((s) => s.expr === 'it' && s.line === 99));
    assert.equal(a.amplification!.reflectBytes, insideReflect + sum(feeding, (g) => g.bytes));
    const boxing = a.join!.groups.filter((g) => g.sites.some((s) => classifySite(s).cause === 'interface-conversion'));
    assert.ok(boxing.length >= 3);
    assert.equal(a.amplification!.interfaceBytes, sum(boxing, (g) => g.bytes));
  });
}

test('go1.26: a variable-size make that "does not escape" still allocates, and is reported unexplained with the compiler\'s verdict', () => {
  const p = profileOf('go1.26');
  const j = join(loadText('go1.26', 'm2.txt'), p);
  const u = j.unexplained.find((x) => x.frame.line === 140 && x.frame.function === 'main.variableScratch')!;
  assert.equal(u.bytes, sum(samples(p).filter((l) => l.lines[0]!.fn === 'main.variableScratch' && l.lines[0]!.line === 140), (l) => l.bytes));
  assert.ok(u.bytes / j.totalBytes > 0.1);
  assert.deepEqual(u.stackSites.map((s: EscapeSite) => s.decision), ['does-not-escape']);
});

test('go1.23: the same make escapes (non-constant size) and its bytes land on the inlined copy in main', () => {
  const p = profileOf('go1.23');
  const a = analyzeEscapes(loadText('go1.23', 'm2.txt'), { profile: p, indexes: allocIndexes(p)! });
  const g = a.join!.groups.find((x) => x.sites.some((s) => s.line === 198))!;
  assert.equal(classifySite(g.sites[0]!).cause, 'non-constant-size');
  assert.equal(g.bytes, sum(samples(p).filter((l) => l.lines[0]!.line === 140 && outer(l).line === 198), (l) => l.bytes));
});

for (const v of VERSIONS) {
  test(`${v}: findings rank the costly sites with their share, reason chain, origin and advice`, () => {
    const p = profileOf(v);
    const a = analyzeEscapes(loadText(v, 'm2.txt'), { profile: p, indexes: allocIndexes(p)! });
    const hot = a.findings.filter((f) => f.kind === 'escape-hotspot' && f.location);
    assert.ok(hot.length >= 3, `${hot.length} hot spots`);
    const top = a.join!.groups[0]!;
    const first = hot[0]!;
    assert.equal(first.location!.line, top.sites[0]!.line);
    const share = first.evidence.find((e) => e.label === 'share of allocated bytes')!.value as number;
    assert.equal(share, top.bytes / a.join!.totalBytes);
    for (const f of hot) {
      assert.ok(f.advice.length > 20);
      assert.ok(f.evidence.some((e) => e.label.endsWith('reason chain') && typeof e.value === 'string' && e.value.includes('→')), f.title);
    }
    // The heaviest is capacityScratch's 256 KiB buffer, inlined into main.
    assert.ok(first.evidence.some((e) => e.label.endsWith('inlined from') && String(e.value).includes('capacityScratch')));
    assert.ok(a.findings.some((f) => f.title.startsWith('Interface conversions')));
    // Sites come out ordered by the bytes the run put on them.
    const bytes = a.sites.map((s) => s.allocBytes ?? -1);
    assert.deepEqual(bytes, [...bytes].sort((x, y) => y - x));
    assert.equal(a.sites[0]!.allocBytes, top.bytes);
    assert.equal(a.sites[0]!.function, 'main.main');
  });
}

test('-m alone: causes are inferred from the expression and the advice says how to get the real reasons', () => {
  const p = profileOf('go1.26');
  const a = analyzeEscapes(loadText('go1.26', 'm.txt'), { profile: p, indexes: allocIndexes(p)! });
  const first = a.findings.find((f) => f.kind === 'escape-hotspot')!;
  assert.ok(first.evidence.some((e) => String(e.value).includes('too large for the stack (inferred')));
  assert.ok(first.evidence.some((e) => String(e.value).includes('-gcflags=-m=2')));
});

test('summary without a profile: counts per decision, cause, package, file and function add up', () => {
  const r = loadText('go1.23', 'm2.txt');
  const a = analyzeEscapes(r);
  assert.deepEqual(a.findings, []);
  assert.equal(a.sites.length, r.sites.length);
  assert.ok(a.sites.every((s) => s.allocBytes === undefined));
  const total = Object.values(a.summary.counts).reduce((x, y) => x + y, 0);
  assert.equal(total, r.sites.length);
  const heap = a.summary.counts.escapes + a.summary.counts['moved-to-heap'];
  assert.equal(sum(a.summary.causes, (c) => c.sites), heap);
  for (const pkg of a.summary.packages) {
    for (const f of pkg.files) {
      assert.equal(sum(f.functions, (fn) => Object.values(fn.counts).reduce((x, y) => x + y, 0)), Object.values(f.counts).reduce((x, y) => x + y, 0));
    }
  }
  const causes = new Set(a.summary.causes.map((c) => c.cause));
  for (const c of ['interface-conversion', 'closure-capture', 'too-large-for-stack', 'non-constant-size'] as const) assert.ok(causes.has(c), c);
});

for (const v of VERSIONS) {
  test(`${v}: a constant in an interface (an inlined panic message) allocates nothing; the line's 256 KiB is strings.Builder's`, () => {
    const p = profileOf(v);
    for (const [form, report] of forms(v)) {
      const panicMsg = report.sites.filter((s) => s.expr.startsWith('"strings: illegal use of non-zero Builder'));
      assert.ok(panicMsg.length > 0, `${v} ${form}: the compiler reports the message escaping`);
      for (const s of panicMsg) assert.equal(classifySite(s, report).cause, 'constant');
      const j = join(report, p);
      assert.ok(!j.groups.some((g) => g.sites.some((s) => panicMsg.includes(s))), `${v} ${form}: no bytes on the message`);
      const builder = j.unexplained.filter((u) => u.calledFrom?.function === 'main.builderScratch');
      const expected = sum(samples(p).filter((l) => l.bytes >= 256 << 10 && /Builder|MakeNoZero/.test(l.lines.map((x) => x.fn).join(' '))), (l) => l.bytes);
      assert.ok(expected >= 40 * 4 * (256 << 10), `${v}: the builder's buffers are in the profile`);
      assert.ok(sum(builder, (u) => u.bytes) >= expected, `${v} ${form}: the buffers are unexplained allocations called from builderScratch`);
    }
  });

  test(`${v}: make([]byte, 0, 262144) is too large for the stack, from its capacity, even with -m alone`, () => {
    for (const [form, report] of forms(v)) {
      const site = report.sites.find((s) => s.expr === 'make([]byte, 0, 262144)' && !s.inlinedFrom && !s.origin);
      assert.ok(site, `${v} ${form}`);
      assert.equal(classifySite(site, report).cause, 'too-large-for-stack', `${v} ${form}`);
    }
  });

  test(`${v}: -json names no function, so sites are grouped under the declaration above them, never "?"`, () => {
    const a = analyzeEscapes(loadJson(v));
    const main = a.summary.packages.flatMap((pkg) => pkg.files).find((f) => f.file.endsWith('main.go'))!;
    assert.deepEqual(main.functions.filter((fn) => fn.function === '?' || fn.function === ''), []);
    assert.ok(main.functions.some((fn) => /^func at main\.go:\d+$/.test(fn.function)));
  });
}
