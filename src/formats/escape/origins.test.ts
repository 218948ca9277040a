import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeEscapes } from './index.js';
import { linkInlinedCopies, nameEnclosingFunctions, type OriginFinder } from './origins.js';
import { posKey, type EscapeDecision, type EscapeReport, type EscapeSite, type FunctionDecl, type InlineCall } from '../../model/escapes.js';
import { escapesOutput } from '../../testkit/generate.js';
import { loadText, VERSIONS } from '../../testkit/escape-fixtures.js';
import { prng } from '../../testkit/prng.js';

/**
 * The indexed linking against the plain scan it replaced (kept here as the
 * reference): the same origins and enclosing functions on every committed
 * text fixture, on generated output, and on random reports shuffled so the
 * output's order and the lines' order disagree.
 */

/** The plain scan the index replaced: every heap site checked against the callee's body, for each copy. */
const scanOrigins: OriginFinder = (report, heapSites) => {
  const starts = (file: string) =>
    report.functions.filter((d) => d.file === file && !/\.func\d+(?:\.\d+)*$/.test(d.name)).map((d) => d.line).sort((a, b) => a - b);
  return (call, copy) => {
    const decl =
      report.functions.find((d) => (d.package ?? '') === (call.package ?? '') && d.name === call.callee) ?? qualified(report, call.callee);
    if (!decl) return undefined;
    const to = starts(decl.file).find((l) => l > decl.line) ?? Infinity;
    const inBody = heapSites.filter((s) => s !== copy && s.decision === copy.decision && s.file === decl.file && s.line >= decl.line && s.line < to);
    return inBody.find((s) => s.expr === copy.expr) ?? (inBody.length === 1 ? inBody[0] : undefined);
  };
};

function qualified(report: EscapeReport, callee: string): FunctionDecl | undefined {
  const dot = callee.indexOf('.');
  if (dot <= 0) return undefined;
  const pkg = report.packages.find((p) => p === callee.slice(0, dot) || p.endsWith('/' + callee.slice(0, dot)));
  return pkg === undefined ? undefined : report.functions.find((d) => d.package === pkg && d.name === callee.slice(dot + 1));
}

function referenceEnclosing(report: EscapeReport): void {
  const byFile = new Map<string, FunctionDecl[]>();
  for (const d of report.functions) if (d.name !== '') byFile.set(d.file, [...(byFile.get(d.file) ?? []), d]);
  for (const [file, decls] of byFile) {
    if (!decls.some((d) => !d.inlinable)) byFile.delete(file);
    else decls.sort((a, b) => a.line - b.line || a.column - b.column);
  }
  for (const site of report.sites) {
    const decls = byFile.get(site.file);
    if (site.function || !decls) continue;
    let enclosing: FunctionDecl | undefined;
    for (const d of decls) if (d.line < site.line || (d.line === site.line && d.column < site.column)) enclosing = d;
    if (enclosing) site.function = enclosing.name;
  }
}

/** The report with its links and names taken off, so both ways start alike. */
function unlinked(report: EscapeReport, keepFunctions: boolean): EscapeReport {
  const sites = report.sites.map((s) => {
    const { origin: _o, inlinedFrom: _i, function: fn, ...rest } = s;
    return keepFunctions && fn ? { ...rest, function: fn } : rest;
  });
  return { ...report, sites, functions: report.functions.map((d) => ({ ...d })), inlineCalls: report.inlineCalls.map((c) => ({ ...c })) };
}

function assertSameLinks(report: EscapeReport, what: string): number {
  const ours = unlinked(report, true);
  const theirs = unlinked(report, true);
  linkInlinedCopies(ours);
  linkInlinedCopies(theirs, scanOrigins);
  const links = (r: EscapeReport) => r.sites.map((s) => [s.origin ? posKey(s.origin) : null, s.inlinedFrom ?? null]);
  assert.deepEqual(links(ours), links(theirs), what);
  const named = unlinked(report, false);
  const namedRef = unlinked(report, false);
  nameEnclosingFunctions(named);
  referenceEnclosing(namedRef);
  assert.deepEqual(named.sites.map((s) => s.function ?? null), namedRef.sites.map((s) => s.function ?? null), `${what}: enclosing functions`);
  return ours.sites.filter((s) => s.origin).length;
}

test('the index links the same origins as a scan of every site, on every committed text fixture', () => {
  for (const v of VERSIONS) for (const name of ['m.txt', 'm2.txt'] as const) assertSameLinks(loadText(v, name), `${v}/${name}`);
});

test('the same on generated -m=2 output, where every copy reaches its own constructor', async () => {
  const report = decodeEscapes(new TextEncoder().encode(await escapesOutput(300)), 'escapes.txt');
  const linked = assertSameLinks(report, 'generated');
  assert.ok(linked >= 300, `${linked} linked`);
});

test('the same on random reports whose output order and line order disagree', () => {
  const rnd = prng(0x0e1);
  const int = (n: number) => Math.floor(rnd() * n);
  const decisions: EscapeDecision[] = ['escapes', 'moved-to-heap', 'does-not-escape'];
  for (let round = 0; round < 300; round++) {
    const files = ['a.go', 'b.go'].slice(0, 1 + int(2));
    const names = Array.from({ length: 2 + int(8) }, (_, i) => (int(6) === 0 ? `f${i}.func1` : `f${i}`));
    const functions: FunctionDecl[] = names.map((name) => ({ file: files[int(files.length)]!, line: 1 + int(200), column: 6, name, inlinable: int(3) > 0, package: 'p' }));
    const sites: EscapeSite[] = Array.from({ length: int(120) }, () => ({
      file: files[int(files.length)]!,
      line: 1 + int(220),
      column: 1 + int(3),
      expr: ['&T{...}', 'make([]int, n)', 'x'][int(3)]!,
      decision: decisions[int(decisions.length)]!,
      package: 'p',
    }));
    const inlineCalls: InlineCall[] = sites.filter(() => int(3) === 0).map((s) => ({ file: s.file, line: s.line, column: s.column, callee: names[int(names.length)]!, package: 'p' }));
    const report: EscapeReport = { form: 'm2', sites, inlineCalls, functions, captures: [], packages: ['p'], otherMessages: 0 };
    assertSameLinks(report, `round ${round}`);
  }
});

test('linking 16,000 inlined copies is linear work (bounded here, measured by bench/escapes-large.mjs)', { timeout: 120_000 }, async () => {
  const report = decodeEscapes(new TextEncoder().encode(await escapesOutput(16_000)), 'escapes.txt');
  const copies = report.sites.filter((s) => s.inlinedFrom && /^buildList\d*$/.test(s.function ?? ''));
  assert.equal(copies.length, 16_000);
  for (const c of copies) {
    // testdata/generate/escapes.mjs: copy k's call at 88 (+1000 + 20k for k > 0), its constructor's &node{} at 81:9.
    const shift = c.line - 88;
    assert.deepEqual(c.origin, { file: c.file, line: 81 + shift, column: 9 });
  }
});
