import { formatBytes, formatCount, formatDuration, formatFraction } from '../../model/units.js';
import { renderFindings } from '../findings.js';
import { sparkline } from '../sparkline.js';
import type { Style } from '../style.js';
import type { TraceAnalysis, UserSpanRow, UserSpans } from '../../analyze/trace/types.js';
import { printable, printableData } from '../printable.js';

const MS = 1e6;
const share = (x: number | null) => (x === null ? '-' : formatFraction(x));

/** The execution-trace report: GC, pauses, assists, sweep, heap, goroutines, MMU, findings. */
export function traceText(analysis: TraceAnalysis, file: string, style: Style): string {
  const a = printableData(analysis);
  const out: string[] = [];
  const g = a.gc;
  out.push(
    style.bold(
      `${printable(file)}: Go ${a.goVersion.slice(2)} trace, ${formatDuration(a.durationNs)}, ${a.generations} generation${a.generations === 1 ? '' : 's'}, ` +
        `GOMAXPROCS ${a.gomaxprocs ?? '?'}, ${formatBytes(a.bytes)}`,
    ),
  );
  out.push('');
  out.push(`GC         ${formatCount(g.cycles.length)} cycles (${formatCount(g.perSecond)}/s); GC CPU ${share(g.cpuFraction)} (1 − mean mutator utilization)`);
  const p = g.pausesMs;
  out.push(
    `Pauses     ${formatCount(p.count)} stop-the-world: p50 ${formatDuration(p.p50 * MS)}, p99 ${formatDuration(p.p99 * MS)}, ` +
      `max ${formatDuration(p.max * MS)}, total ${formatDuration(p.total * MS)}`,
  );
  for (const r of g.pausesByReason) {
    out.push(`             ${r.reason.padEnd(24)} ${formatCount(r.count).padStart(6)}  total ${formatDuration(r.totalMs * MS)}, max ${formatDuration(r.maxMs * MS)}`);
  }
  out.push(`Assists    ${formatDuration(g.assists.totalMs * MS)} in mark assists (${share(g.assists.shareOfCpu)} of GOMAXPROCS × the trace; an assist waiting for work counts)`);
  for (const x of g.assists.byGoroutine.slice(0, 5)) {
    out.push(`             g${x.goroutine} ${x.function || '?'}: ${formatDuration(x.totalMs * MS)} in ${formatCount(x.count)} assists (${share(x.shareOfWall)} of the trace)`);
  }
  out.push(
    `Sweep      ${formatCount(g.sweep.count)} sweeps, ${formatDuration(g.sweep.totalMs * MS)} (${share(g.sweep.shareOfCpu)} of GOMAXPROCS × the trace); ` +
      `${formatBytes(g.sweep.sweptBytes)} swept, ${formatBytes(g.sweep.reclaimedBytes)} reclaimed`,
  );
  out.push(`Heap       peak ${formatBytes(a.heap.peakAllocBytes)} in use (HeapAlloc)${goalRange(a)}`);
  out.push(`             ${sparkline(a.heap.alloc.map((pt) => pt.max), 64)}`);
  const gr = a.goroutines;
  out.push(
    `Goroutines ${formatCount(gr.created)} created, ${formatCount(gr.ended)} ended; ${formatCount(gr.atStart)} alive at the start, ` +
      `${formatCount(gr.aliveAtEnd)} at the end, at most ${formatCount(gr.maxAlive)}`,
  );
  out.push(`             ${sparkline(gr.alive.map((pt) => pt.max), 64)}`);
  out.push('           longest-lived:');
  for (const l of gr.longestLived.slice(0, 5)) {
    const life = (l.endNs ?? a.endNs) - l.startNs;
    out.push(`             g${l.goroutine} ${l.function || '?'}: ${formatDuration(life)}${l.endNs === null ? ' (still alive)' : ''}${l.existedAtStart ? ' (from before the trace)' : ''}`);
  }
  out.push(`MMU        ${a.mmu.map((m) => `${formatDuration(m.windowNs)}: ${share(m.mmu)}`).join(', ')}  (go tool trace's definition)`);
  if (a.mmuEndsEarlyAtNs !== null) {
    out.push(style.dim(`           (go tool trace's utilization stays 0 from ${formatDuration(a.mmuEndsEarlyAtNs)} on: its count of GC workers drifts)`));
  }
  const top = Object.entries(a.eventCounts).sort((x, y) => y[1] - x[1]).slice(0, 6);
  const total = Object.values(a.eventCounts).reduce((s, n) => s + n, 0);
  out.push(`Records    ${formatCount(total)} (as go tool trace -d=2 counts them); most: ${top.map(([k, n]) => `${k} ${formatCount(n)}`).join(', ')}`);
  if (a.cpuSamples) out.push(`CPU        ${formatCount(a.cpuSamples)} CPU profile samples`);
  for (const line of userSpanLines(a.user)) out.push(line);
  out.push('');
  out.push(style.bold('Findings'));
  out.push(renderFindings(a.findings, style));
  return out.join('\n');
}

/** runtime/trace tasks and regions, when the program made any. */
export function userSpanLines(u: UserSpans): string[] {
  if (u.tasks.length === 0 && u.regions.length === 0) return [];
  const row = (kind: string, r: UserSpanRow) =>
    `             ${kind} ${r.name}: ${formatCount(r.count)} ended, mean ${r.meanNs === null ? '-' : formatDuration(r.meanNs)}, max ${r.maxNs === null ? '-' : formatDuration(r.maxNs)}` +
    (r.open ? `; ${formatCount(r.open)} still open at the end` : '');
  return [
    'Tasks      runtime/trace tasks and regions (the trace has no allocations per task: label the same work with pprof.Do and',
    '           footprint top --tagfocus KEY=VALUE on an allocs profile shows what it allocates):',
    ...u.tasks.slice(0, 8).map((r) => row('task', r)),
    ...u.regions.slice(0, 8).map((r) => row('region', r)),
  ];
}

/** The heap goal's range over the trace, in one loop (a long trace has hundreds of thousands of steps). */
function goalRange(a: TraceAnalysis): string {
  let lo = Infinity;
  let hi = 0;
  for (const [, v] of a.heap.goalSteps) {
    if (v <= 0) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return hi > 0 ? `; goal ${formatBytes(lo)} – ${formatBytes(hi)} over ${formatCount(a.heap.goalSteps.length)} steps` : '; no heap goal';
}
