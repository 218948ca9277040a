import { formatBytes, formatCount, formatDuration, formatFraction } from '../../model/units.js';
import { renderFindings } from '../findings.js';
import { sparkline } from '../sparkline.js';
import type { Style } from '../style.js';
import { rejectedText } from '../gclog.js';
import { goMemLimitText, whatIfTable } from '../whatif.js';
import { table } from './table.js';
import type { GcAnalysis, GcProcessesReport } from '../../analyze/gc/types.js';
import { printable, printableData } from '../printable.js';

const MiB = 2 ** 20;
const MS = 1e6;
const share = (x: number | null) => (x === null ? '-' : formatFraction(x));

/** The gctrace report: summary, live-heap sparkline, the what-if table and findings. */
export function gcText(analysis: GcAnalysis, file: string, style: Style): string {
  const a = printableData(analysis);
  const s = a.summary;
  const out: string[] = [];
  const mib = (x: number) => formatBytes(x * MiB);
  out.push(style.bold(`${printable(file)}: ${formatCount(s.cycles)} GC cycles over ${formatDuration(s.spanSeconds * 1e9)}, ${s.procs} P`));
  out.push('');
  out.push(
    `GC       ${s.gcPerSecond !== null ? `${formatCount(s.gcPerSecond)}/s, ` : ''}median ${formatDuration((s.medianIntervalMs ?? 0) * MS)} apart; ` +
      `GC CPU ${share(s.gcCpuFraction)} (the runtime's cumulative figure: ${s.runtimeCpuPercent}%)`,
  );
  const p = s.pausesMs;
  out.push(`Pauses   ${formatCount(p.count)} stop-the-world: p50 ${formatDuration(p.p50 * MS)}, p99 ${formatDuration(p.p99 * MS)}, max ${formatDuration(p.max * MS)}`);
  out.push(`Assists  ${share(s.markAssistShareOfGcCpu)} of GC CPU`);
  out.push(
    `Heap     live ${mib(s.liveHeap.firstMB)} → ${mib(s.liveHeap.lastMB)} (max ${mib(s.liveHeap.maxMB)}), peak ${mib(s.peakHeapMB)}; ` +
      `effective GOGC ${s.inferredGogc !== null ? `≈ ${s.inferredGogc}` : 'not steady (off, or a memory limit)'}`,
  );
  if (s.pinnedGoalMB !== null) {
    out.push(
      `Limit    goal pinned at ${mib(s.pinnedGoalMB)} in ${formatCount(s.limitBoundCycles)} cycles` +
        (s.inferredMemoryLimitBytes !== null ? ` (GOMEMLIMIT ${goMemLimitText(s.inferredMemoryLimitBytes)})` : ''),
    );
  }
  if (s.forcedCycles || s.periodicCycles) out.push(`Forced   ${s.forcedCycles} by the program, ${s.periodicCycles} periodic (2-minute) GCs`);
  if (s.scavenger) out.push(`Scav     ${formatCount(s.scavenger.lines)} scavenger lines; ${mib(s.scavenger.releasedMBLast)} released to the OS at the end`);
  if (s.unparsedLines || s.rejoinedLines || s.missingCycles) {
    out.push(
      `Log      ${s.rejoinedLines} records rejoined after the program's output split them, ` +
        `${s.unparsedLines} unreadable, ${s.missingCycles} cycle numbers missing`,
    );
  }
  if (s.rejectedRecords) out.push(style.severity('medium', rejectedText(s)));
  out.push('');
  out.push(`Live heap over time (${mib(s.liveHeap.minMB)} – ${mib(s.liveHeap.maxMB)})`);
  out.push(`  ${sparkline(a.cycles.map((c) => c.heapMB.live), 64)}`);
  out.push('');
  out.push(whatIfText(a));
  out.push('');
  out.push(style.bold('Findings'));
  out.push(renderFindings(a.findings, style));
  return out.join('\n');
}

/**
 * A log of several processes: which they are (a table), then each one's
 * report on its own under a rule.
 */
export function gcProcessesText(r: GcProcessesReport, file: string, style: Style): string {
  const n = r.processes.length;
  const out = [
    style.bold(`${file} holds the GCs of ${n} processes: cycle numbers restart and time goes back where one ends and another goes on.`),
    'Each is reported on its own (--process N shows one).',
    '',
    processTable(r),
    '',
  ];
  if (r.log.rejoinedLines || r.log.unparsedLines) {
    out.push(`Log      ${r.log.rejoinedLines} records rejoined after the program's output split them, ${r.log.unparsedLines} unreadable`, '');
  }
  for (const p of r.processes) {
    out.push(style.bold(`── Process ${p.process.index} of ${n}${p.process.label ? ` (${p.process.label})` : ''} ${'─'.repeat(40)}`));
    out.push(gcText(p, `${file} process ${p.process.index}`, style), '');
  }
  return out.join('\n');
}

function processTable(r: GcProcessesReport): string {
  const header = ['process', 'cycles', 'lines', 'span', 'peak heap', 'GC CPU', 'findings', 'go build step'];
  const rows = r.processes.map((p) => [
    String(p.process.index),
    formatCount(p.summary.cycles),
    `${p.process.lines.first}–${p.process.lines.last}`,
    formatDuration(p.summary.spanSeconds * 1e9),
    formatBytes(p.summary.peakHeapMB * MiB),
    share(p.summary.gcCpuFraction),
    formatCount(p.findings.length),
    p.process.label ?? '',
  ]);
  return table([header, ...rows], [true, true, false, true, true, true, true, false]);
}

function whatIfText(a: GcAnalysis): string {
  const t = whatIfTable(a);
  const notes = t.notes.map((n, i) => `  [${i + 1}] ${n}`).join('\n');
  const hint = a.whatIf.length ? '' : '\n(add --what-if gogc=N or --what-if gomemlimit=SIZE to compare other settings)';
  return `What if (the log's workload replayed through the Go pacer)\n${table([t.header, ...t.rows], t.numeric)}${notes ? `\n${notes}` : ''}${hint}`;
}
