import { writeFileSync } from 'node:fs';
import {
  analyzeGoroutines,
  compareGoroutines,
  type GoroutineAnalysis,
  type GoroutineDiff,
  type GoroutineGroup,
  type Similarity,
} from '../analyze/goroutines/index.js';
import { decodeExpvarMemStats, sniffExpvar } from '../formats/expvar/index.js';
import { decodeGoroutineInput } from '../formats/goroutines/index.js';
import { decodeProfile, FormatError } from '../formats/index.js';
import type { GoFrame } from '../model/goroutines.js';
import type { MemStats } from '../model/profile.js';
import { renderGoroutinesPage } from '../present/html/goroutines-page.js';
import { parse, UsageError } from './args.js';
import { renderFindings, styleFor, type Style } from '../present/findings.js';
import { printJson, type Io } from './io.js';
import { readInput } from './load.js';
import { Progress } from './progress.js';
import { formatBytes } from './sizes.js';

export const GOROUTINES_HELP = `footprint goroutines — group a goroutine dump, find leaks, pile-ups and deadlocks; diff two dumps

Usage: footprint goroutines [flags] FILE [LATER_FILE...]

FILE is any goroutine artefact, recognised from its content (gzipped or not):
  /debug/pprof/goroutine?debug=2, a panic or crash log, a SIGQUIT dump (stderr),
  /debug/pprof/goroutine?debug=1, or the goroutine proto profile.
Goroutines with the same stack, state and creator are grouped, whichever
goroutine started them. With two or more files of one process, the first and
last are compared: groups that grew, shrank, appeared or vanished.

Flags:
  --similarity exact|args|lines   exact: arguments must match too; args (default): ignore
                                  arguments; lines: ignore arguments and line numbers
  --memstats FILE                 /debug/vars (expvar JSON) or a heap ?debug=1 profile of the same
                                  process: stack memory is calibrated to its StackInuse and shown
                                  as a share of Sys
  --limit N                       groups to list (default 25; 0 = all)
  --system                        list runtime-internal goroutines too (SIGQUIT/crash dumps)
  --html FILE                     write a page: groups as bars coloured by what they wait on,
                                  the group table and the findings (of the last FILE)
  --json                          { groups, states, findings, ... } (with a diff: { diff, ... })

Examples:
  curl -s 'localhost:6060/debug/pprof/goroutine?debug=2' > g.txt && footprint goroutines g.txt
  footprint goroutines crash.log
  footprint goroutines --similarity lines g.txt
  footprint goroutines before.pb.gz after.pb.gz
  footprint goroutines --json g.txt | jq '.groups[0]'
`;

const FLAGS = {
  similarity: { type: 'string' },
  memstats: { type: 'string' },
  limit: { type: 'string' },
  system: { type: 'boolean' },
  html: { type: 'string' },
} as const;

const SIMILARITIES: readonly Similarity[] = ['exact', 'args', 'lines'];
const DEFAULT_LIMIT = 25;

export function runGoroutines(argv: string[], io: Io): number {
  const { values, positionals } = parse(argv, FLAGS);
  if (values['help']) {
    io.out(GOROUTINES_HELP);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('expects a goroutine dump or profile (footprint goroutines --help)');
  const similarity = parseSimilarity(values['similarity'] as string | undefined);
  const limit = parseLimit(values['limit'] as string | undefined);
  const json = values['json'] === true;
  const progress = Progress.forTerminal(json);
  const memStatsFile = values['memstats'] as string | undefined;
  const memStats = memStatsFile !== undefined ? loadMemStats(memStatsFile) : undefined;
  const analyses = positionals.map((file) => {
    progress.phase(`reading ${file}`);
    const input = decodeGoroutineInput(readInput(file), file);
    progress.phase(`grouping ${file}`);
    return analyzeGoroutines(input, { similarity, ...(memStats ? { memStats } : {}) });
  });
  progress.done();
  const last = analyses[analyses.length - 1]!;
  const compared = analyses.length > 1 ? compareGoroutines(analyses) : undefined;
  const findings = compared ? compared.findings : last.findings;
  const html = values['html'] as string | undefined;
  if (html !== undefined) writeFileSync(html, renderGoroutinesPage({ ...last, findings }, positionals[positionals.length - 1]!));
  if (json) {
    printJson(io, {
      files: positionals,
      ...analysisJson(last),
      findings,
      ...(compared ? { diff: diffJson(compared.diff) } : {}),
    });
    return 0;
  }
  const style = styleFor(process.stdout.isTTY === true);
  const show = (a: GoroutineAnalysis, file: string) => formatAnalysis(a, file, style, { limit, system: values['system'] === true });
  if (compared) io.out(formatDiff(compared.diff, positionals[0]!, positionals[positionals.length - 1]!, style) + '\n');
  else io.out(show(last, positionals[0]!) + '\n');
  io.out(style.bold('Findings') + '\n' + renderFindings(findings, style));
  if (html !== undefined) io.out(`Wrote ${html}\n`);
  return 0;
}

function parseSimilarity(v: string | undefined): Similarity {
  if (v === undefined) return 'args';
  if (!(SIMILARITIES as readonly string[]).includes(v)) throw new UsageError(`--similarity wants one of ${SIMILARITIES.join(', ')}, got ${JSON.stringify(v)}`);
  return v as Similarity;
}

function parseLimit(v: string | undefined): number {
  if (v === undefined) return DEFAULT_LIMIT;
  if (!/^\d+$/.test(v)) throw new UsageError(`--limit wants a whole number, got ${JSON.stringify(v)}`);
  return Number(v) === 0 ? Infinity : Number(v);
}

/** MemStats from expvar's /debug/vars JSON or a heap ?debug=1 profile's footer. */
function loadMemStats(file: string): MemStats {
  const bytes = readInput(file);
  if (sniffExpvar(bytes)) return decodeExpvarMemStats(bytes, file);
  const p = decodeProfile(bytes, file);
  if (!p.memStats) throw new FormatError('has no "# runtime.MemStats" footer (use /debug/vars or a heap profile fetched with ?debug=1)', file);
  return p.memStats;
}

export function frameText(f: GoFrame | undefined): string {
  return f ? `${f.func} (${shortFile(f.file)}:${f.line})` : '?';
}

function shortFile(file: string): string {
  const parts = file.split('/');
  return parts.slice(-2).join('/');
}

function analysisJson(a: GoroutineAnalysis) {
  return {
    source: a.source,
    reason: a.reason,
    total: a.total,
    system: a.system,
    truncated: a.truncated,
    states: a.states,
    stackMemory: { totalBytes: a.stack.totalBytes, basis: a.stack.basis, stackInuse: a.stack.stackInuse ?? null, sys: a.stack.sys ?? null },
    groups: a.groups.map((g, i) => groupJson(g, a.stack.bytes[i]!, a.stack.shareOfProcess[i])),
    pileups: a.pileups,
  };
}

function groupJson(g: GoroutineGroup, stackBytes: number, share: number | undefined) {
  const { key: _key, ...rest } = g;
  return { ...rest, stackBytes, shareOfProcess: share ?? null };
}

function diffJson(d: GoroutineDiff) {
  return {
    totalBefore: d.totalBefore,
    totalAfter: d.totalAfter,
    changes: d.changes.map((c) => ({
      change: c.change,
      before: c.before,
      after: c.after,
      delta: c.delta,
      series: c.series,
      state: c.state,
      topFrame: c.group.topFrame ?? null,
      creator: c.group.creator ?? null,
      frames: c.group.frames,
    })),
  };
}

function sourceText(a: GoroutineAnalysis): string {
  if (a.source === 'profile') return 'goroutine profile';
  return a.reason[0] ? `dump (${a.reason[0]})` : 'goroutine dump';
}

export function formatAnalysis(a: GoroutineAnalysis, file: string, style: Style, opts: { limit: number; system: boolean }): string {
  const shown = a.groups.map((g, i) => ({ g, bytes: a.stack.bytes[i]! })).filter(({ g }) => opts.system || !g.system);
  const out = [
    style.bold(`${file}: ${sourceText(a)}, ${a.total} goroutines in ${a.groups.length} groups` + (a.system ? ` (${a.system} runtime-internal)` : '')),
    `States   ${a.states.map((s) => `${s.state} ${s.count}`).join(', ')}`,
    `Stacks   ${stackText(a)}`,
  ];
  if (a.truncated) out.push(style.severity('medium', 'The dump ends in the middle of a stack (cut off?): the last goroutine is incomplete.'));
  out.push('', groupTable(shown.slice(0, opts.limit), a.source === 'dump'));
  if (shown.length > opts.limit) out.push(style.dim(`… ${shown.length - opts.limit} more groups (--limit 0 lists all)`));
  out.push('');
  return out.join('\n');
}

function stackText(a: GoroutineAnalysis): string {
  const s = a.stack;
  if (s.basis === 'estimate') return `≈ ${formatBytes(s.totalBytes)} (estimated from stack depths; --memstats FILE calibrates it)`;
  const share = s.sys ? `, ${((s.totalBytes / s.sys) * 100).toFixed(1)}% of Sys ${formatBytes(s.sys)}` : '';
  return `${formatBytes(s.totalBytes)} (StackInuse from MemStats${share})`;
}

function groupTable(rows: { g: GoroutineGroup; bytes: number }[], fromDump: boolean): string {
  const header = ['count', 'state', 'wait', 'stack', 'top frame', fromDump ? 'created by' : ''];
  const body = rows.map(({ g, bytes }) => [
    String(g.count),
    g.state + (g.stateInferred ? '?' : '') + (g.lockedToThread ? ' (locked)' : ''),
    g.waitMinutes.max > 0 ? `${g.waitMinutes.min === g.waitMinutes.max ? g.waitMinutes.max : `${g.waitMinutes.min}-${g.waitMinutes.max}`}m` : '',
    formatBytes(bytes),
    frameText(g.topFrame) + (g.elided ? ' …deep' : ''),
    g.creator ? frameText(g.creator) + (g.parents.length > 1 ? ` from ${g.parents.length} goroutines` : '') : '',
  ]);
  return table([header, ...body], [true, false, true, true, false, false]);
}

function table(rows: string[][], rightAligned: boolean[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => (rightAligned[c] ? cell.padStart(widths[c]!) : c === r.length - 1 ? cell : cell.padEnd(widths[c]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function formatDiff(d: GoroutineDiff, before: string, after: string, style: Style): string {
  const changed = d.changes.filter((c) => c.change !== 'same');
  const header = ['change', 'before', 'after', 'delta', 'state', 'top frame'];
  const body = changed.map((c) => [
    c.change,
    String(c.before),
    String(c.after),
    (c.delta > 0 ? '+' : '') + c.delta,
    c.state,
    frameText(c.group.topFrame),
  ]);
  const out = [
    style.bold(`${before} → ${after}: ${d.totalBefore} → ${d.totalAfter} goroutines (${signed(d.totalAfter - d.totalBefore)})`),
    '',
    changed.length ? table([header, ...body], [false, true, true, true, false, false]) : 'No group changed.',
    '',
  ];
  return out.join('\n');
}

function signed(n: number): string {
  return (n > 0 ? '+' : '') + n;
}
