import { writeFileSync } from 'node:fs';
import { analyzeGcTrace, type GcAnalysis, type WhatIfRow, type WhatIfSetting } from '../analyze/gc/index.js';
import { decodeGcTrace } from '../formats/gctrace/index.js';
import { renderGcPage } from '../present/html/gc-page.js';
import { parse, UsageError } from './args.js';
import { renderFindings, styleFor } from '../present/findings.js';
import { printJson, type Io } from './io.js';
import { readInput } from './load.js';
import { Progress } from './progress.js';
import { formatBytes, parseByteCount } from './sizes.js';
import { sparkline } from '../present/sparkline.js';

export const GC_HELP = `footprint gc — read a GODEBUG=gctrace=1 log: GC frequency, CPU, pauses, heap, findings, what-ifs

Usage: footprint gc [flags] LOG

LOG is the program's stderr with GODEBUG=gctrace=1 (scavtrace=1 lines are read
too), gzipped or not. The program's own output may be mixed in, even in the
middle of a gc line: such lines are put back together.

Flags:
  --what-if gogc=N|off                replay the log's workload under another GOGC (and no memory limit)
  --what-if gomemlimit=SIZE[,gogc=N|off]
                                      ... or with a memory limit (SIZE as GOMEMLIMIT: 512MiB, 2GiB;
                                      GOGC stays the log's unless given)
                                      repeat --what-if to compare several settings
  --gogc N|off, --gomemlimit SIZE     what the log ran with, if known (default: inferred from the log)
  --html FILE                         write a page plotting the heap, goal and pauses, with the what-ifs
  --json                              { cycles, summary, findings, whatIf, baseline }

Examples:
  GODEBUG=gctrace=1 ./server 2> gc.log
  footprint gc gc.log
  footprint gc gc.log --what-if gogc=50 --what-if gogc=200 --what-if gomemlimit=256MiB,gogc=off
  footprint gc gc.log --html gc.html
  footprint gc --json gc.log | jq '.summary.pausesMs'
`;

const FLAGS = {
  'what-if': { type: 'string', multiple: true },
  gogc: { type: 'string' },
  gomemlimit: { type: 'string' },
  html: { type: 'string' },
} as const;

export function runGc(argv: string[], io: Io): number {
  const { values, positionals } = parse(argv, FLAGS);
  if (values['help']) {
    io.out(GC_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('expects one gctrace log (footprint gc --help)');
  const file = positionals[0]!;
  const json = values['json'] === true;
  const whatIfs = ((values['what-if'] as string[] | undefined) ?? []).map(parseWhatIf);
  const baseline = parseBaseline(values['gogc'] as string | undefined, values['gomemlimit'] as string | undefined);
  const progress = Progress.forTerminal(json);
  progress.phase(`reading ${file}`);
  const trace = decodeGcTrace(readInput(file), file);
  progress.phase('replaying the workload');
  const analysis = analyzeGcTrace(trace, { whatIfs, baseline });
  progress.done();
  const html = values['html'] as string | undefined;
  if (html !== undefined) writeFileSync(html, renderGcPage(analysis, file));
  if (json) {
    const { cycles, summary, findings, whatIf, baseline: base } = analysis;
    printJson(io, { cycles, summary, findings, whatIf: whatIf.map(whatIfJson), baseline: whatIfJson(base.setting), model: base.model });
  } else {
    io.out(formatGc(analysis, file, process.stdout.isTTY === true));
    if (html !== undefined) io.out(`Wrote ${html}\n`);
  }
  return 0;
}

/** `gogc=N|off`, `gomemlimit=SIZE`, or both, comma-separated, in any order. */
export function parseWhatIf(spec: string): Partial<WhatIfSetting> {
  const setting: Partial<WhatIfSetting> = {};
  for (const part of spec.split(',')) {
    const [key, value, extra] = part.split('=').map((s) => s.trim());
    if (value === undefined || extra !== undefined || value === '') throw badWhatIf(spec);
    switch (key!.toLowerCase()) {
      case 'gogc':
        setting.gogc = parseGogc(value, '--what-if');
        break;
      case 'gomemlimit':
        setting.gomemlimit = parseByteCount(value, '--what-if gomemlimit');
        break;
      default:
        throw badWhatIf(spec);
    }
  }
  if (setting.gogc === undefined && setting.gomemlimit === undefined) throw badWhatIf(spec);
  return setting;
}

function badWhatIf(spec: string): UsageError {
  return new UsageError(`--what-if ${JSON.stringify(spec)}: expected gogc=N|off or gomemlimit=SIZE[,gogc=N|off]`);
}

function parseGogc(value: string, what: string): number | null {
  if (value.toLowerCase() === 'off') return null;
  if (!/^\d+$/.test(value) || Number(value) <= 0) {
    throw new UsageError(`${what}: GOGC ${JSON.stringify(value)} must be a positive integer or off`);
  }
  return Number(value);
}

function parseBaseline(gogc: string | undefined, limit: string | undefined): Partial<WhatIfSetting> {
  const base: Partial<WhatIfSetting> = {};
  if (gogc !== undefined) base.gogc = parseGogc(gogc, '--gogc');
  if (limit !== undefined) base.gomemlimit = parseByteCount(limit, '--gomemlimit');
  return base;
}

function whatIfJson(r: WhatIfRow) {
  return {
    gogc: r.gogc,
    gomemlimit: r.gomemlimit,
    cycles: r.cycles,
    peakHeapBytes: r.peakHeapBytes,
    gcCpuFraction: r.gcCpuFraction,
    meanIntervalMs: r.meanIntervalMs,
    limitBoundCycles: r.limitBoundCycles,
  };
}

const f1 = (x: number) => (Math.round(x * 10) / 10).toString();
const pctText = (x: number | null) => (x === null ? '-' : `${f1(x * 100)}%`);

export function settingLabel(r: { gogc: number | 'off'; gomemlimit: number | null }): string {
  return `GOGC=${r.gogc}${r.gomemlimit !== null ? ` GOMEMLIMIT=${formatBytes(r.gomemlimit)}` : ''}`;
}

export function formatGc(a: GcAnalysis, file: string, isTty: boolean): string {
  const s = a.summary;
  const style = styleFor(isTty);
  const out: string[] = [];
  out.push(style.bold(`${file}: ${s.cycles} GC cycles over ${f1(s.spanSeconds)} s, ${s.procs} P`));
  out.push('');
  out.push(
    `GC       ${s.gcPerSecond !== null ? `${f1(s.gcPerSecond)}/s, ` : ''}median ${f1(s.medianIntervalMs ?? 0)} ms apart; ` +
      `GC CPU ${pctText(s.gcCpuFraction)} (the runtime's cumulative figure: ${s.runtimeCpuPercent}%)`,
  );
  out.push(`Pauses   ${s.pausesMs.count} stop-the-world: p50 ${f1(s.pausesMs.p50)} ms, p99 ${f1(s.pausesMs.p99)} ms, max ${f1(s.pausesMs.max)} ms`);
  out.push(`Assists  ${pctText(s.markAssistShareOfGcCpu)} of GC CPU`);
  out.push(
    `Heap     live ${s.liveHeap.firstMB} → ${s.liveHeap.lastMB} MiB (max ${s.liveHeap.maxMB}), peak ${s.peakHeapMB} MiB; ` +
      `effective GOGC ${s.inferredGogc !== null ? `≈ ${s.inferredGogc}` : 'not steady (off, or a memory limit)'}`,
  );
  if (s.pinnedGoalMB !== null) {
    out.push(
      `Limit    goal pinned at ${s.pinnedGoalMB} MiB in ${s.limitBoundCycles} cycles` +
        (s.inferredMemoryLimitBytes !== null ? ` (GOMEMLIMIT ≈ ${formatBytes(s.inferredMemoryLimitBytes)})` : ''),
    );
  }
  if (s.forcedCycles || s.periodicCycles) out.push(`Forced   ${s.forcedCycles} by the program, ${s.periodicCycles} periodic (2-minute) GCs`);
  if (s.scavenger) {
    out.push(`Scav     ${s.scavenger.lines} scavenger lines; ${f1(s.scavenger.releasedMBLast)} MiB released to the OS at the end`);
  }
  if (s.unparsedLines || s.rejoinedLines || s.missingCycles) {
    out.push(
      `Log      ${s.rejoinedLines} records rejoined after the program's output split them, ` +
        `${s.unparsedLines} unreadable, ${s.missingCycles} cycle numbers missing`,
    );
  }
  out.push('');
  out.push(`Live heap over time (${s.liveHeap.minMB}–${s.liveHeap.maxMB} MiB)`);
  out.push(`  ${sparkline(a.cycles.map((c) => c.heapMB.live), 64)}`);
  out.push('');
  out.push(formatWhatIfTable(a));
  out.push('');
  out.push(style.bold('Findings'));
  out.push(renderFindings(a.findings, style));
  return out.join('\n');
}

function formatWhatIfTable(a: GcAnalysis): string {
  const rows: [string, WhatIfRow | (WhatIfRow & { note: string })][] = [
    [`log: ${settingLabel(a.baseline.setting)}${a.summary.inferredGogc !== null ? ' (inferred)' : ''}`, a.baseline.setting],
    ['  same, replayed by the model', { ...a.baseline.setting, ...a.baseline.model }],
    ...a.whatIf.map((w): [string, WhatIfRow] => [`what if ${settingLabel(w)}`, w]),
  ];
  const width = Math.max(...rows.map(([l]) => l.length));
  const header = `${'setting'.padEnd(width)}  ${'cycles'.padStart(7)}  ${'every'.padStart(9)}  ${'peak heap'.padStart(10)}  ${'GC CPU'.padStart(7)}`;
  const lines = rows.map(
    ([label, r]) =>
      `${label.padEnd(width)}  ${String(r.cycles).padStart(7)}  ${(r.meanIntervalMs === null ? '-' : `${f1(r.meanIntervalMs)} ms`).padStart(9)}  ` +
      `${formatBytes(r.peakHeapBytes).padStart(10)}  ${pctText(r.gcCpuFraction).padStart(7)}`,
  );
  const note = a.whatIf.length
    ? ''
    : '\n(add --what-if gogc=N or --what-if gomemlimit=SIZE to compare other settings)';
  return `What if (the log's workload replayed through the Go pacer)\n${header}\n${lines.join('\n')}${note}`;
}
