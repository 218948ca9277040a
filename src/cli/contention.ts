import { analyzeContention, type ContentionAnalysis, type ContentionKind, type ContentionSite } from '../analyze/contention/index.js';
import { decodeProfile } from '../formats/index.js';
import { maybeGunzip } from '../formats/gzip.js';
import { label } from '../report/measurement.js';
import type { TopResult } from '../report/top.js';
import { parse, UsageError } from './args.js';
import { renderFindings, styleFor, type Style } from '../present/findings.js';
import { printJson, type Io } from './io.js';
import { readInput } from './load.js';
import { Progress } from './progress.js';

export const CONTENTION_HELP = `footprint contention — mutex and block profiles read from the callers: where time waiting for locks goes

Usage: footprint contention [flags] PROFILE...

PROFILE is a mutex or block profile (/debug/pprof/mutex, /debug/pprof/block), proto
or ?debug=1 text, gzipped or not; each file is reported on its own. Lists the top
sites by delay and by count (the rows go tool pprof -top prints), then for the
heaviest sites who calls into them and with what share (pprof -peek's callers,
followed outward to the program's own code), and lock-contention findings.

Flags:
  --sites N     heaviest sites to trace back to their callers (default 3)
  --rows N      rows of each top list (default 10; 0 = all pprof shows)
  --json        { files: [{ file, kind, sites, byDelay, byCount, caveat, findings }] }

Examples:
  curl -s localhost:6060/debug/pprof/mutex > mutex.pb.gz && footprint contention mutex.pb.gz
  footprint contention --sites 5 mutex.pb.gz block.pb.gz
  footprint contention --json 'mutex?debug=1.txt' | jq '.files[0].sites[0].callers'
`;

const FLAGS = {
  sites: { type: 'string' },
  rows: { type: 'string' },
} as const;

const DEFAULT_ROWS = 10;

export function runContention(argv: string[], io: Io): number {
  const { values, positionals } = parse(argv, FLAGS);
  if (values['help']) {
    io.out(CONTENTION_HELP);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('expects a mutex or block profile (footprint contention --help)');
  const sites = wholeNumber(values['sites'] as string | undefined, 'sites', 3);
  const rows = wholeNumber(values['rows'] as string | undefined, 'rows', DEFAULT_ROWS) || Infinity;
  const json = values['json'] === true;
  const progress = Progress.forTerminal(json);
  const results = positionals.map((file) => {
    progress.phase(`reading ${file}`);
    const bytes = maybeGunzip(readInput(file));
    const profile = decodeProfile(bytes, file);
    try {
      return { file, analysis: analyzeContention(profile, { ...textHeader(bytes), sites }) };
    } catch (err) {
      throw new UsageError(`${file}: ${(err as Error).message}`);
    }
  });
  progress.done();
  if (json) {
    printJson(io, { files: results.map(({ file, analysis }) => ({ file, ...analysisJson(analysis, rows) })) });
    return 0;
  }
  const style = styleFor(process.stdout.isTTY === true);
  io.out(results.map(({ file, analysis }) => formatContention(analysis, file, style, rows)).join('\n'));
  return 0;
}

function wholeNumber(v: string | undefined, flag: string, fallback: number): number {
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v)) throw new UsageError(`--${flag} wants a whole number, got ${JSON.stringify(v)}`);
  return Number(v);
}

/**
 * What only the ?debug=1 text says: whether it is a mutex (`--- mutex:`) or
 * block (`--- contention:`) profile, and the mutex `sampling period`.
 */
export function textHeader(bytes: Uint8Array): { kind?: ContentionKind; samplingPeriod?: number } {
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 512));
  const kind = /^\s*--- mutex:/.test(head) ? 'mutex' : /^\s*--- contention:/.test(head) ? 'block' : undefined;
  if (!kind) return {};
  const period = /^sampling period=(\d+)$/m.exec(head);
  return period && Number(period[1]) > 0 ? { kind, samplingPeriod: Number(period[1]) } : { kind };
}

function analysisJson(a: ContentionAnalysis, rows: number) {
  const top = (t: TopResult) => ({ total: t.total, unit: t.unit, rows: t.rows.slice(0, rows) });
  return {
    kind: a.kind,
    totalDelayNanos: a.totalDelayNanos,
    totalContentions: a.totalContentions,
    caveat: a.caveat,
    byDelay: top(a.byDelay),
    byCount: top(a.byCount),
    sites: a.sites,
    findings: a.findings,
  };
}

const ns = (v: number) => label(v, 'nanoseconds');

export function formatContention(a: ContentionAnalysis, file: string, style: Style, rows: number): string {
  const out = [
    style.bold(`${file}: ${a.kind} profile, ${ns(a.totalDelayNanos)} of delay in ${a.totalContentions} contentions`),
    style.dim(a.caveat),
    '',
    style.bold('Top sites by delay') + style.dim(' (as go tool pprof -top -sample_index=delay)'),
    topTable(a.byDelay, rows, ns),
    '',
    style.bold('Top sites by count') + style.dim(' (as go tool pprof -top -sample_index=contentions)'),
    topTable(a.byCount, rows, String),
    '',
    style.bold('Who calls into the heaviest sites') + style.dim(' (share of the site\'s delay; first hop as pprof -peek)'),
    ...a.sites.flatMap((s) => siteLines(s)),
    style.bold('Findings'),
    renderFindings(a.findings, style),
  ];
  return out.join('\n');
}

function topTable(t: TopResult, rows: number, fmt: (v: number) => string): string {
  if (t.rows.length === 0) return '  (no samples)';
  const shown = t.rows.slice(0, rows);
  const w = Math.max(6, ...shown.map((r) => Math.max(fmt(r.flat).length, fmt(r.cum).length)));
  const lines = [`  ${'flat'.padStart(w)}  flat%  ${'cum'.padStart(w)}   cum%  name`];
  for (const r of shown) {
    lines.push(
      `  ${fmt(r.flat).padStart(w)} ${pct(r.flatPercent)}  ${fmt(r.cum).padStart(w)} ${pct(r.cumPercent)}  ${r.name}${r.inline ? ` (${r.inline})` : ''}`,
    );
  }
  if (t.rows.length > shown.length) lines.push(`  … ${t.rows.length - shown.length} more rows (--rows 0)`);
  return lines.join('\n');
}

const pct = (x: number) => `${x.toFixed(2)}%`.padStart(7);

function siteLines(s: ContentionSite): string[] {
  const lines = [`  ${s.name}: ${ns(s.delay.flat)} flat, ${s.contentions.flat} contentions`];
  for (const c of s.callers) lines.push(`    ${c.percent.toFixed(2).padStart(6)}%  ← ${c.name}${c.inline ? ' (inline)' : ''}`);
  if (s.chains.length) lines.push('    chains:');
  for (const c of s.chains) {
    lines.push(`    ${(c.share * 100).toFixed(2).padStart(6)}%  ${c.callers.length ? `← ${c.callers.join(' ← ')}` : '(no callers recorded)'}`);
  }
  lines.push('');
  return lines;
}
