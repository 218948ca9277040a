import type { GcCycle, GcProcess, GcTrace } from '../../model/gctrace.js';

/**
 * Splits a gctrace log into the processes that wrote it. GODEBUG is
 * inherited, so `GODEBUG=gctrace=1 go test` logs the go command's GCs, those
 * of every compiler and linker it starts and the test binary's, interleaved
 * as they happen. Each process numbers its cycles from 1 and times them from
 * its own start, so a log read as one process has cycle numbers that restart
 * and time that goes back.
 *
 * The go command prints a compile or link step's output only once the step
 * has ended, in one piece after a `# pkg` heading (cmd/go's reportCmd): the
 * run of gc lines right after a heading, numbered 1, 2, 3…, is that whole
 * process. Other cycles (the go command's own, a test binary's streamed
 * output, any program's) continue the process whose last cycle is the one
 * before them (n − 1) and no later in time; among several, the one whose
 * heap goal the new cycle's starting heap is closest to (a process's heap at
 * GC start is its trigger, a little under its last goal), then the same
 * GOMAXPROCS. A cycle 1 always starts a new process. A cycle that continues
 * no process after a gap in the numbers (lines lost or unreadable) joins the
 * nearest one below it, so a damaged single-process log stays one process.
 */
export function splitGcProcesses(trace: GcTrace): GcProcess[] {
  const records = new Set([...trace.cycles.map((c) => c.line), ...trace.scavenger.map((s) => s.line)]);
  const chains: Chain[] = [];
  let block: Chain | undefined;
  for (const c of trace.cycles) {
    if (block && continuesBlock(block, c)) {
      block.cycles.push(c);
      continue;
    }
    block = undefined;
    const heading = c.n === 1 ? headingBefore(trace, c.line, records) : undefined;
    if (heading !== undefined) {
      block = { cycles: [c], label: heading, closed: true };
      chains.push(block);
      continue;
    }
    const open = chains.filter((ch) => !ch.closed);
    const chain = c.n === 1 ? undefined : (continuing(open, c) ?? afterGap(open, c));
    if (chain) chain.cycles.push(c);
    else chains.push({ cycles: [c], label: undefined, closed: false });
  }
  if (chains.length <= 1) return [{ index: 1, lines: linesOf(trace), trace }];
  const owner = ownerByLine(chains);
  return chains.map((chain, i) => process(trace, chain, i, owner));
}

/** The next line of a `# pkg` block: the very next line, and the next cycle of the same process. */
function continuesBlock(block: Chain, c: GcCycle): boolean {
  const prev = last(block);
  return c.line === prev.line + 1 && c.n === prev.n + 1 && c.atSeconds >= prev.atSeconds;
}

interface Chain {
  cycles: GcCycle[];
  /** The `# pkg` heading of a go build step's output block. */
  label: string | undefined;
  /** A whole block: its process had ended before the go command printed it, so nothing later continues it. */
  closed: boolean;
}

function last(chain: Chain): GcCycle {
  return chain.cycles[chain.cycles.length - 1]!;
}

function continuing(chains: readonly Chain[], c: GcCycle): Chain | undefined {
  let best: Chain | undefined;
  let bestScore = Infinity;
  for (const chain of chains) {
    const prev = last(chain);
    if (prev.n !== c.n - 1 || prev.atSeconds > c.atSeconds) continue;
    const score = Math.abs(c.heapMB.start - prev.goalMB) / Math.max(1, prev.goalMB) + (prev.procs === c.procs ? 0 : 1);
    if (score < bestScore) {
      best = chain;
      bestScore = score;
    }
  }
  return best;
}

function afterGap(chains: readonly Chain[], c: GcCycle): Chain | undefined {
  let best: Chain | undefined;
  for (const chain of chains) {
    const prev = last(chain);
    if (prev.n >= c.n || prev.atSeconds > c.atSeconds) continue;
    if (!best || prev.n > last(best).n) best = chain;
  }
  return best;
}

/**
 * One chain as a trace of its own. Scavenger lines and unreadable records
 * carry no cycle number: each goes with the process of the gc line before it.
 */
function process(trace: GcTrace, chain: Chain, i: number, owner: (line: number) => Chain): GcProcess {
  const mine = (line: number) => owner(line) === chain;
  const unparsed = trace.unparsed.filter((u) => mine(u.line));
  const rejected = trace.rejected.filter((r) => mine(r.line));
  const own: GcTrace = {
    cycles: chain.cycles,
    scavenger: trace.scavenger.filter((s) => mine(s.line)),
    unparsed,
    unparsedCount: unparsed.length,
    rejected,
    rejectedCount: rejected.length,
    rejoined: 0,
    otherLines: 0,
    headings: [],
  };
  return { index: i + 1, lines: linesOf(own), ...(chain.label !== undefined ? { label: chain.label } : {}), trace: own };
}

/** The chain of the nearest gc line at or before a line (the first chain for lines before any). */
function ownerByLine(chains: readonly Chain[]): (line: number) => Chain {
  const starts = chains
    .flatMap((chain) => chain.cycles.map((c) => ({ line: c.line, chain })))
    .sort((a, b) => a.line - b.line);
  return (line) => {
    let lo = 0;
    let hi = starts.length - 1;
    let found = starts[0]!.chain;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]!.line <= line) {
        found = starts[mid]!.chain;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
}

/**
 * The `# pkg` heading a process's first gc line follows, with only gc or
 * scavenger lines (of any process) between them: the go command printed that
 * step's output as one block after its heading.
 */
function headingBefore(trace: GcTrace, line: number, records: ReadonlySet<number>): string | undefined {
  let heading: { line: number; text: string } | undefined;
  for (const h of trace.headings) if (h.line < line && (!heading || h.line > heading.line)) heading = h;
  if (!heading) return undefined;
  for (let l = heading.line + 1; l < line; l++) if (!records.has(l)) return undefined;
  return heading.text.slice(2);
}

function linesOf(t: GcTrace): { first: number; last: number } {
  const lines = [...t.cycles.map((c) => c.line), ...t.scavenger.map((s) => s.line)];
  let first = Infinity;
  let lastLine = 0;
  for (const l of lines) {
    if (l < first) first = l;
    if (l > lastLine) lastLine = l;
  }
  return { first: lines.length ? first : 0, last: lastLine };
}
