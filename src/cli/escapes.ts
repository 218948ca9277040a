import { allocIndexes, analyzeEscapes, type EscapeAnalysis } from '../analyze/escapes/index.js';
import { CAUSE_LABEL, classifySite } from '../analyze/escapes/causes.js';
import { explainUnexplained } from '../analyze/escapes/findings.js';
import { heapCount, type DecisionCounts, type EscapeSummary } from '../analyze/escapes/summary.js';
import { formatPos, type EscapeReport } from '../formats/escape/index.js';
import { label, percentage } from '../report/measurement.js';
import { parse, UsageError } from './args.js';
import { loadEscapeOutput } from './escapes-input.js';
import { renderFindings, styleFor } from '../present/findings.js';
import { printJson, processIo, type Io } from './io.js';
import { loadProfile } from './load.js';

export const ESCAPES_HELP = `footprint escapes — the compiler's escape decisions, ranked by the bytes they cost

Usage: footprint escapes [flags] OUTPUT

OUTPUT is what go build prints with -gcflags=-m or -gcflags=-m=2 (stderr as is,
# pkg headers and other messages included), a -gcflags=-json=0,DIR folder or one
of its files, or - for stdin. The form is recognised from the content.

Without --profile: a summary by package, file and function, and the causes
(interface conversion, closure capture, too large for the stack, size not known
at compile time, append growth …). With --profile: every escape site is joined
with the alloc_space/alloc_objects the profile puts on its line (inlined copies
included), ranked by bytes, with the allocation lines no escape explains, the
share from interface conversions and reflect, and escape-hotspot findings.

Flags:        --profile=FILE  a heap or allocs profile (proto or legacy text)
              --top=N         ranked rows to print (default 15; 0 for all)
Output:       --json          { sites, findings }; sites ordered by allocBytes with --profile

Examples:
  go build -gcflags=-m=2 ./cmd/server 2> escapes.txt
  footprint escapes escapes.txt
  footprint escapes escapes.txt --profile allocs.pb.gz
  go build -gcflags='example.com/server=-json=0,/tmp/esc' ./cmd/server
  footprint escapes /tmp/esc --profile heap.pb.gz --json | jq '.sites[:5]'
  go build -gcflags=-m ./... 2>&1 | footprint escapes -
`;

const FLAGS = { profile: { type: 'string' as const }, top: { type: 'string' as const } };

export function runEscapes(argv: string[], io: Io): number {
  const { values, positionals } = parse(argv, FLAGS);
  if (values['help']) {
    io.out(ESCAPES_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('want exactly one escape output (file, -json folder or -)');
  const top = topCount(values['top']);
  const report = loadEscapeOutput(positionals[0]!);
  const profilePath = values['profile'] as string | undefined;
  const analysis = analyzeEscapes(report, profilePath === undefined ? undefined : loadAllocs(profilePath));
  if (values['json']) printJson(io, { sites: analysis.sites, findings: analysis.findings });
  else io.out(render(report, analysis, profilePath, top, io === processIo && process.stdout.isTTY === true));
  return 0;
}

function topCount(v: unknown): number {
  if (v === undefined) return 15;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isInteger(n) || n < 0) throw new UsageError(`--top wants a whole number, got ${JSON.stringify(v)}`);
  return n === 0 ? Infinity : n;
}

function loadAllocs(path: string) {
  const profile = loadProfile(path);
  const indexes = allocIndexes(profile);
  if (!indexes) throw new UsageError(`${path} has no alloc_space/alloc_objects: give a heap or allocs profile`);
  return { profile, indexes };
}

function render(report: EscapeReport, a: EscapeAnalysis, profilePath: string | undefined, top: number, tty: boolean): string {
  const parts = [renderSummary(a.summary)];
  if (a.join && profilePath !== undefined) parts.push(renderRanking(report, a, profilePath, top), renderFindings(a.findings, styleFor(tty)));
  return parts.join('\n');
}

function counts(c: DecisionCounts): string {
  return `heap ${heapCount(c)} (escapes ${c.escapes}, moved ${c['moved-to-heap']}) · leaking params ${c['leaking-param'] + c['leaking-param-content']} · stack ${c['does-not-escape']}`;
}

function renderSummary(s: EscapeSummary): string {
  const total = Object.values(s.counts).reduce((x, y) => x + y, 0);
  const form = { m: '-m', m2: '-m=2', json: '-json' }[s.form];
  const lines = [`Escape analysis (${form}${s.goVersion ? `, ${s.goVersion}` : ''}): ${total} decisions in ${s.packages.length} package(s)`, `  ${counts(s.counts)} · inlined copies ${s.inlinedCopies}`, ''];
  lines.push('Causes of heap sites:');
  for (const c of s.causes) lines.push(`  ${String(c.sites).padStart(5)}  ${c.label}${c.inferred > 0 ? `  (${c.inferred} inferred from the expression)` : ''}`);
  lines.push('', 'By package, file and function (heap / all decisions):');
  for (const p of s.packages) {
    lines.push(`  ${p.package || '(no package header)'}  ${heapCount(p.counts)} / ${sum(p.counts)}`);
    for (const f of p.files) {
      lines.push(`    ${f.file}  ${heapCount(f.counts)} / ${sum(f.counts)}`);
      for (const fn of f.functions.filter((x) => heapCount(x.counts) > 0)) lines.push(`      ${(fn.function || '?').padEnd(28)} ${heapCount(fn.counts)} / ${sum(fn.counts)}`);
    }
  }
  return lines.join('\n') + '\n';
}

function sum(c: DecisionCounts): number {
  return Object.values(c).reduce((x, y) => x + y, 0);
}

function renderRanking(report: EscapeReport, a: EscapeAnalysis, profilePath: string, top: number): string {
  const j = a.join!;
  const joined = j.groups.reduce((t, g) => t + g.bytes, 0);
  const unexplained = j.unexplained.reduce((t, u) => t + u.bytes, 0);
  const lines = [
    `Joined with ${profilePath}: ${label(j.totalBytes, 'bytes')} allocated (alloc_space) in ${j.totalObjects} objects`,
    `  on escape sites ${label(joined, 'bytes')} (${percentage(joined, j.totalBytes).trim()}) · not explained by an escape ${label(unexplained, 'bytes')} (${percentage(unexplained, j.totalBytes).trim()})`,
    '',
    ' Rank      Bytes       %    Objects  Where / what',
  ];
  j.groups.slice(0, top).forEach((g, i) => {
    lines.push(`${String(i + 1).padStart(5)} ${label(g.bytes, 'bytes').padStart(10)} ${percentage(g.bytes, j.totalBytes)} ${String(g.objects).padStart(10)}  ${g.frame.function} ${formatPos(g.sites[0]!)}`);
    for (const s of g.sites) {
      const { cause } = classifySite(s, report);
      const copy = s.origin ? `, inlined from ${s.inlinedFrom?.join(' → ') ?? '?'} (${formatPos(s.origin)})` : '';
      lines.push(`${' '.repeat(42)}${s.expr} ${s.decision === 'moved-to-heap' ? 'moved to heap' : 'escapes'} — ${CAUSE_LABEL[cause]}${copy}`);
    }
  });
  if (j.groups.length > top) lines.push(`  … ${j.groups.length - top} more (--top=0 for all)`);
  lines.push('', 'Allocation lines no escape explains:');
  for (const u of j.unexplained.slice(0, top)) {
    lines.push(`  ${label(u.bytes, 'bytes').padStart(10)} ${percentage(u.bytes, j.totalBytes)}  ${u.frame.function} ${u.frame.file}:${u.frame.line} — ${explainUnexplained(u).title}`);
  }
  const amp = a.amplification!;
  lines.push('', `Amplification: interface conversions ${percentage(amp.interfaceBytes, j.totalBytes).trim()} · reflect ${percentage(amp.reflectBytes, j.totalBytes).trim()} of allocated bytes`, '');
  return lines.join('\n') + '\n';
}
