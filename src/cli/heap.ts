import { analyzeHeap, type HeapAnalysis, type Snapshot } from '../analyze/heap/index.js';
import type { HeapSite } from '../analyze/heap/sites.js';
import { HeapProfileError } from '../analyze/heap/sites.js';
import { decodeExpvarMemStats, sniffExpvar } from '../formats/expvar/index.js';
import { decodeProfile, FormatError } from '../formats/index.js';
import type { MemStats } from '../model/profile.js';
import { parse, UsageError } from './args.js';
import { renderFindings, styleFor } from '../present/findings.js';
import { printJson, type Io } from './io.js';
import { readInput } from './load.js';
import { Progress } from './progress.js';
import { formatBytes } from './sizes.js';
import { sparkline } from '../present/sparkline.js';

export const HEAP_HELP = `footprint heap — read heap profiles together: leaks, churn, retained buffers, MemStats

Usage: footprint heap [flags] FILE...

FILE is a heap or allocs profile (proto or ?debug=1 text, gzipped or not) or an
expvar /debug/vars JSON document. One profile gets the cross-reading of inuse
and alloc, bytes and objects, per line and per function; several profiles of
one process are put in time order (from their timestamps) and their trend is
read on top. MemStats come from expvar or from the debug=1 footer.

Flags:
  --nodecount=N   sites to list (default 15)
  --json          { findings, sites, functions, memstats?, memory?, trend? }

Examples:
  for i in 1 2 3 4 5 6; do curl -so heap.$i.pb.gz localhost:6060/debug/pprof/heap; sleep 30; done
  footprint heap heap.*.pb.gz
  footprint heap heap.pb.gz vars.json
  footprint heap --json heap.*.pb.gz | jq '.findings[0]'
`;

const FLAGS = { nodecount: { type: 'string' } } as const;

export function runHeap(argv: string[], io: Io): number {
  const { values, positionals } = parse(argv, FLAGS);
  if (values['help']) {
    io.out(HEAP_HELP);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('expects heap profiles (and optionally an expvar JSON); footprint heap --help');
  const nodecount = values['nodecount'] === undefined ? 15 : Number(values['nodecount']);
  if (!Number.isInteger(nodecount) || nodecount <= 0) throw new UsageError(`--nodecount must be a positive integer`);
  const json = values['json'] === true;
  const progress = Progress.forTerminal(json);
  const snapshots: Snapshot[] = [];
  let memStats: { source: string; stats: MemStats } | undefined;
  for (const file of positionals) {
    progress.phase(`reading ${file}`);
    const bytes = readInput(file);
    if (sniffExpvar(bytes)) memStats = { source: file, stats: decodeExpvarMemStats(bytes, file) };
    else snapshots.push(toSnapshot(bytes, file));
  }
  if (snapshots.length === 0) throw new UsageError('no heap profile among the files (an expvar JSON alone has no sites)');
  progress.phase('analysing');
  const analysis = analyzeOrExplain(snapshots, memStats);
  progress.done();
  for (const w of analysis.warnings) io.err(`footprint heap: warning: ${w}\n`);
  if (json) printJson(io, analysis);
  else io.out(formatHeap(analysis, nodecount, process.stdout.isTTY === true));
  return 0;
}

function toSnapshot(bytes: Uint8Array, file: string): Snapshot {
  const profile = decodeProfile(bytes, file);
  return { profile, source: file, atMs: profile.timeNanos > 0n ? Number(profile.timeNanos / 1_000_000n) : null };
}

function analyzeOrExplain(snapshots: Snapshot[], memStats: { source: string; stats: MemStats } | undefined): HeapAnalysis {
  try {
    return analyzeHeap({ snapshots, memStats });
  } catch (err) {
    if (err instanceof HeapProfileError) {
      const bad = snapshots.find((s) => !s.profile.sampleTypes.some((t) => t.type === 'inuse_space'));
      throw new FormatError(err.message, bad?.source);
    }
    throw err;
  }
}

const pct = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(1)}%`);
const size = (b: number | null) => (b === null ? '-' : formatBytes(b));

export function formatHeap(a: HeapAnalysis, nodecount: number, isTty: boolean): string {
  const style = styleFor(isTty);
  const out: string[] = [];
  const n = a.order.sources.length;
  const span = a.trend?.spanMinutes;
  out.push(
    style.bold(
      n === 1
        ? `${a.order.sources[0]}: one heap profile`
        : `${n} heap profiles of one process${span != null ? ` over ${(span * 60).toFixed(1)} s` : ' (no timestamps: in the order given)'}`,
    ),
  );
  out.push('');
  out.push(style.bold('Findings'));
  out.push(renderFindings(a.findings, style));
  if (n === 1) out.push('(One profile: growth needs several. Take heap profiles a few minutes apart and pass them all.)\n');
  out.push(style.bold(`Sites in the ${n > 1 ? 'latest ' : ''}profile, per line`));
  out.push(siteTable(a.sites.slice(0, nodecount)));
  if (a.trend) {
    out.push('');
    out.push(style.bold(`Trend of inuse bytes, fastest growing first (${span != null ? 'per minute' : 'per snapshot'})`));
    out.push(`  ${'total'.padEnd(48)} ${sparkline(a.trend.total.inuseBytes, 24).padEnd(24)} ${size(a.trend.total.bytesPerMinute).padStart(10)}`);
    const growing = a.trend.sites.filter((s) => s.bytesPerMinute > 0).slice(0, 5);
    if (growing.length === 0) out.push('  no site grows');
    for (const s of growing) {
      const name = `${s.function}:${s.line ?? ''}`.slice(0, 48);
      out.push(`  ${name.padEnd(48)} ${sparkline(s.inuseBytes, 24).padEnd(24)} ${size(s.bytesPerMinute).padStart(10)}  confidence ${s.confidence.toFixed(2)}`);
    }
  }
  if (a.memory && a.memstats) {
    out.push('');
    out.push(style.bold(`Where the memory sits (MemStats from ${a.memstats.source}; Sys ${size(a.memstats.Sys ?? null)})`));
    for (const p of a.memory) out.push(`  ${p.part.padEnd(22)} ${size(p.bytes).padStart(10)} ${pct(p.share).padStart(6)}  ${p.note}`);
    if (a.memstats.NextGC !== undefined) out.push(`  next GC at ${size(a.memstats.NextGC)}; ${a.memstats.NumGC ?? '?'} GCs so far`);
  }
  return out.join('\n') + '\n';
}

function siteTable(sites: readonly HeapSite[]): string {
  const header = `${'inuse'.padStart(10)} ${'objects'.padStart(9)} ${'avg'.padStart(9)} ${'alloc'.padStart(10)} ${'objects'.padStart(10)} ${'avg'.padStart(9)} ${'kept'.padStart(6)} ${'heap%'.padStart(6)}  site`;
  const rows = sites.map(
    (s) =>
      `${size(s.inuseBytes).padStart(10)} ${String(Math.round(s.inuseObjects)).padStart(9)} ${size(s.avgInuseBytes).padStart(9)} ` +
      `${size(s.allocBytes).padStart(10)} ${String(Math.round(s.allocObjects)).padStart(10)} ${size(s.avgAllocBytes).padStart(9)} ` +
      `${pct(s.retention).padStart(6)} ${pct(s.inuseShare).padStart(6)}  ${s.function}${s.file ? ` ${s.file}:${s.line}` : ''}`,
  );
  return [header, ...rows].join('\n');
}
