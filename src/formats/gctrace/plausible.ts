import type { GcCycle, GcTrace } from '../../model/gctrace.js';

/**
 * Records Go cannot have printed, found by what the runtime guarantees about
 * the numbers of one gc line (runtime/mgc.go gcMarkTermination prints them):
 *
 * - `N P` is GOMAXPROCS, at least 1 (a `0 P` line divides GC CPU by zero);
 * - a 64-bit heap spans at most 2^48 bytes (heapAddrBits, runtime/malloc.go),
 *   so no heap figure reaches 256 TiB;
 * - the marked heap is part of the heap at the end of the cycle;
 * - the heap does not jump to 10,000 times the size of the records on either
 *   side and back: one such number is a damaged line (a replay of it would
 *   have a program allocate terabytes in one cycle). Measured on the 29,486
 *   records committed under testdata/: no record exceeds 2.7 times its
 *   neighbours.
 *
 * Such a record is left out of every figure, with the reason, rather than
 * printing a GC CPU of Infinity% or a peak heap of petabytes.
 */

/** 2^48 bytes in MiB: the most a 64-bit Go heap can address. */
const MAX_HEAP_MB = 2 ** 28;
const MAX_JUMP = 10_000;
/** Below this a heap's whole-MiB figures say little about its scale. */
const SMALL_HEAP_MB = 4;

function scaleMB(c: GcCycle): number {
  return Math.max(c.heapMB.start, c.heapMB.end, c.heapMB.live, c.goalMB);
}

/** Why a record cannot be real, or undefined when it can. */
function implausible(c: GcCycle, before: GcCycle | undefined, after: GcCycle | undefined): string | undefined {
  if (c.procs < 1) return `${c.procs} P: GOMAXPROCS is at least 1`;
  const figures = [c.heapMB.start, c.heapMB.end, c.heapMB.live, c.goalMB, c.stacksMB ?? 0, c.globalsMB ?? 0];
  const huge = figures.find((mb) => mb >= MAX_HEAP_MB);
  if (huge !== undefined) return `${huge} MB: more than a 64-bit Go heap can address (256 TiB)`;
  if (c.heapMB.live > c.heapMB.end) return `marked heap ${c.heapMB.live} MB above the heap at the end of the cycle, ${c.heapMB.end} MB, of which it is part`;
  if (before === undefined && after === undefined) return undefined;
  const neighbours = Math.max(SMALL_HEAP_MB, before ? scaleMB(before) : 0, after ? scaleMB(after) : 0);
  if (scaleMB(c) > MAX_JUMP * neighbours) {
    return `heap figure ${scaleMB(c)} MB is over ${MAX_JUMP.toLocaleString('en-US')} times the records' around it (${neighbours} MB): a damaged line`;
  }
  return undefined;
}

/**
 * Takes the records Go cannot have printed out of `trace.cycles`, counting
 * them and keeping the first `keep` with their reason; `textAt` gives a
 * 1-based line of the log.
 */
export function rejectImplausible(trace: GcTrace, keep: number, textAt: (line: number) => string): void {
  const cycles = trace.cycles;
  trace.cycles = cycles.filter((c, i) => {
    const reason = implausible(c, cycles[i - 1], cycles[i + 1]);
    if (reason === undefined) return true;
    trace.rejectedCount++;
    if (trace.rejected.length < keep) trace.rejected.push({ line: c.line, n: c.n, reason, text: textAt(c.line).slice(0, 200) });
    return false;
  });
}
