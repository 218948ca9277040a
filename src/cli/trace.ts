import { closeSync, openSync, readSync, statSync, writeFileSync } from 'node:fs';
import { analyzeTrace, type TraceAnalysis } from '../analyze/trace/index.js';
import { FormatError } from '../formats/errors.js';
import { isGzip, maybeGunzip } from '../formats/gzip.js';
import { bytesSource, fileSource, type ByteSource } from '../formats/trace/index.js';
import { parse, UsageError } from './args.js';
import { renderFindings, styleFor, type Style } from '../present/findings.js';
import { printJson, type Io } from './io.js';
import { readInput } from './read-input.js';
import { Progress } from './progress.js';
import { formatBytes } from './sizes.js';
import { sparkline } from '../present/sparkline.js';

export const TRACE_HELP = `footprint trace — a Go execution trace (Go 1.22+): GC cycles and pauses, mark assists, sweep, heap, goroutines, MMU, findings

Usage: footprint trace [flags] FILE

FILE is a trace from runtime/trace, go test -trace, or /debug/pprof/trace, gzipped
or not. It is read as a stream, one generation (about a second of trace) at a time.
Traces written by Go 1.22 to 1.26 are read; older ones (Go 1.21 and before) are refused.
A trace cut off mid-batch (the process died) is decoded up to the cut, with a warning.

Flags:
  --html FILE   write a timeline: heap and goal, GC cycles, stop-the-world pauses, assists
  --json        { eventCounts, gc, heap, goroutines, mmu, findings, warnings, ... }

Examples:
  curl -o trace.out 'http://localhost:6060/debug/pprof/trace?seconds=5'
  footprint trace trace.out
  go test -trace trace.out ./pkg && footprint trace trace.out --html trace.html
  footprint trace --json trace.out | jq '.gc.pausesMs, .eventCounts.HeapAlloc'
`;

const FLAGS = { html: { type: 'string' } } as const;

export async function runTrace(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, FLAGS);
  if (values['help']) {
    io.out(TRACE_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('expects one trace file (footprint trace --help)');
  const file = positionals[0]!;
  const json = values['json'] === true;
  const progress = Progress.forTerminal(json);
  progress.phase(`reading ${file}`);
  const analysis = analyzeTrace(openTrace(file), {
    source: file,
    onProgress: (bytes) => progress.phase(`reading ${file}: ${formatBytes(bytes)}`),
  });
  progress.done();
  for (const w of analysis.warnings) io.err(`footprint trace: warning: ${file}: ${w}\n`);
  const html = values['html'] as string | undefined;
  // The page renderer is loaded only when a page is asked for: most runs print text or JSON.
  if (html !== undefined) writeFileSync(html, (await import('../present/html/trace-page.js')).renderTracePage(analysis, file));
  if (json) printJson(io, analysis);
  else {
    io.out(formatTrace(analysis, file, styleFor(process.stdout.isTTY === true)));
    if (html !== undefined) io.out(`Wrote ${html}\n`);
  }
  return 0;
}

/** A plain file is streamed; a gzipped one is inflated in memory first (gzip cannot be read from the middle). */
function openTrace(file: string): ByteSource {
  const head = readHead(file);
  if (isGzip(head)) return bytesSource(maybeGunzip(readInput(file)));
  return fileSource(file);
}

/** The first bytes, with the same one-line errors as every command for missing files and folders. */
function readHead(file: string): Uint8Array {
  const head = new Uint8Array(2);
  let fd: number | undefined;
  try {
    if (statSync(file).isDirectory()) throw new FormatError('is a directory, not a trace', file);
    fd = openSync(file, 'r');
    readSync(fd, head, 0, 2, 0);
  } catch (err) {
    if (err instanceof FormatError) throw err;
    const e = err as NodeJS.ErrnoException;
    throw new FormatError(e.code === 'ENOENT' ? 'no such file' : `cannot read: ${e.message}`, file);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return head;
}

const f1 = (x: number) => (Math.round(x * 10) / 10).toString();
const f2 = (x: number) => (Math.round(x * 100) / 100).toString();
const pct = (x: number | null) => (x === null ? '-' : `${f1(x * 100)}%`);
const msText = (ns: number) => (ns >= 1e9 ? `${f2(ns / 1e9)} s` : `${f2(ns / 1e6)} ms`);

export function formatTrace(a: TraceAnalysis, file: string, style: Style): string {
  const out: string[] = [];
  const g = a.gc;
  out.push(
    style.bold(
      `${file}: Go ${a.goVersion.slice(2)} trace, ${msText(a.durationNs)}, ${a.generations} generation${a.generations === 1 ? '' : 's'}, ` +
        `GOMAXPROCS ${a.gomaxprocs ?? '?'}, ${formatBytes(a.bytes)}`,
    ),
  );
  out.push('');
  out.push(`GC         ${g.cycles.length} cycles (${f1(g.perSecond)}/s); GC CPU ${pct(g.cpuFraction)} (1 − mean mutator utilization)`);
  out.push(`Pauses     ${g.pausesMs.count} stop-the-world: p50 ${f2(g.pausesMs.p50)} ms, p99 ${f2(g.pausesMs.p99)} ms, max ${f2(g.pausesMs.max)} ms, total ${f2(g.pausesMs.total)} ms`);
  for (const r of g.pausesByReason) out.push(`             ${r.reason.padEnd(24)} ${String(r.count).padStart(6)}  total ${f2(r.totalMs)} ms, max ${f2(r.maxMs)} ms`);
  out.push(`Assists    ${f2(g.assists.totalMs)} ms in mark assists (${pct(g.assists.shareOfCpu)} of GOMAXPROCS × the trace; an assist waiting for work counts)`);
  for (const x of g.assists.byGoroutine.slice(0, 5)) {
    out.push(`             g${x.goroutine} ${x.function || '?'}: ${f2(x.totalMs)} ms in ${x.count} assists (${pct(x.shareOfWall)} of the trace)`);
  }
  out.push(
    `Sweep      ${g.sweep.count} sweeps, ${f2(g.sweep.totalMs)} ms (${pct(g.sweep.shareOfCpu)} of GOMAXPROCS × the trace); ` +
      `${formatBytes(g.sweep.sweptBytes)} swept, ${formatBytes(g.sweep.reclaimedBytes)} reclaimed`,
  );
  const goals = a.heap.goalSteps.map(([, v]) => v).filter((v) => v > 0);
  out.push(
    `Heap       peak ${formatBytes(a.heap.peakAllocBytes)} in use (HeapAlloc)` +
      (goals.length ? `; goal ${formatBytes(Math.min(...goals))} – ${formatBytes(Math.max(...goals))} over ${a.heap.goalSteps.length} steps` : '; no heap goal'),
  );
  out.push(`             ${sparkline(a.heap.alloc.map((p) => p.max), 64)}`);
  const gr = a.goroutines;
  out.push(`Goroutines ${gr.created} created, ${gr.ended} ended; ${gr.atStart} alive at the start, ${gr.aliveAtEnd} at the end, at most ${gr.maxAlive}`);
  out.push(`             ${sparkline(gr.alive.map((p) => p.max), 64)}`);
  out.push('           longest-lived:');
  for (const l of gr.longestLived.slice(0, 5)) {
    const life = (l.endNs ?? a.endNs) - l.startNs;
    out.push(`             g${l.goroutine} ${l.function || '?'}: ${msText(life)}${l.endNs === null ? ' (still alive)' : ''}${l.existedAtStart ? ' (from before the trace)' : ''}`);
  }
  out.push(`MMU        ${a.mmu.map((m) => `${msText(m.windowNs)}: ${pct(m.mmu)}`).join(', ')}  (go tool trace's definition)`);
  if (a.mmuEndsEarlyAtNs !== null) {
    out.push(style.dim(`           (go tool trace's utilization stays 0 from ${msText(a.mmuEndsEarlyAtNs)} on: its count of GC workers drifts)`));
  }
  const top = Object.entries(a.eventCounts).sort((x, y) => y[1] - x[1]).slice(0, 6);
  const total = Object.values(a.eventCounts).reduce((s, n) => s + n, 0);
  out.push(`Records    ${total} (as go tool trace -d=2 counts them); most: ${top.map(([k, n]) => `${k} ${n}`).join(', ')}`);
  if (a.cpuSamples) out.push(`CPU        ${a.cpuSamples} CPU profile samples`);
  out.push('');
  out.push(style.bold('Findings'));
  out.push(renderFindings(a.findings, style));
  return out.join('\n');
}
