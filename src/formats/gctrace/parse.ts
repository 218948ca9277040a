import type { GcCycle, GcTrace, ScavRecord } from '../../model/gctrace.js';
import { FormatError } from '../errors.js';
import { rejectImplausible } from './plausible.js';
import {
  advance,
  GC_CURRENT,
  GC_LEAK_CHECK,
  GC_PRE_118,
  GC_SUFFIXES,
  SCAV_CURRENT,
  SCAV_LEGACY,
  SCAV_SUFFIXES,
  type Progress,
  type Token,
} from './grammar.js';

/** How many following lines may hold the rest of a record the program's output interrupted. */
const LOOKAHEAD = 8;
/** Unreadable record starts kept verbatim for the user; the rest are only counted. */
const KEEP_UNPARSED = 20;
/** `# pkg` headings kept (a cold `go test ./...` runs a few hundred compile steps). */
const MAX_HEADINGS = 10_000;
/** `gc N @` (3 tokens) is where a line is surely a gc record, not a sentence with "gc " in it. */
const SURELY_GC_TOKENS = 3;

interface RecordKind {
  variants: readonly (readonly Token[])[];
  suffixes: readonly string[];
  marker: string;
}

/** Variants in order; toCycle reads stacks and globals from all but the last. */
const GC: RecordKind = { variants: [GC_CURRENT, GC_LEAK_CHECK, GC_PRE_118], suffixes: GC_SUFFIXES, marker: 'gc ' };
const SCAV: RecordKind = { variants: [SCAV_CURRENT, SCAV_LEGACY], suffixes: SCAV_SUFFIXES, marker: 'scav ' };

interface Matched {
  variant: number;
  values: string[];
  suffix: string | undefined;
  lines: number[];
}

/**
 * The lines of a log without an array of strings: a start offset per line
 * (4 bytes each), each line sliced from the text when it is looked at. A
 * 100 MB log has millions of lines; a string object for each would cost
 * more than the text itself.
 */
export class LineIndex {
  readonly length: number;
  private readonly starts: Uint32Array;

  constructor(private readonly text: string) {
    let count = 0;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
    const endsWithNewline = text.length > 0 && text.endsWith('\n');
    this.length = count + (text.length > 0 && !endsWithNewline ? 1 : 0);
    this.starts = new Uint32Array(this.length + 1);
    let line = 0;
    for (let i = text.indexOf('\n'); i >= 0 && line < this.length; i = text.indexOf('\n', i + 1)) this.starts[++line] = i + 1;
    // The last line ends at the text's end: as if a newline followed it.
    if (!endsWithNewline) this.starts[this.length] = text.length + 1;
  }

  /** Line i without its line ending (\n or \r\n). */
  at(i: number): string {
    const start = this.starts[i]!;
    let end = this.starts[i + 1]! - 1;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    return this.text.slice(start, end);
  }
}

/** Reads a gctrace/scavtrace log. Keeps what parses, counts what does not, never throws on content. */
export function parseGcTrace(text: string): GcTrace {
  const lines = new LineIndex(text);
  const consumed = new Uint8Array(lines.length);
  const trace: GcTrace = { cycles: [], scavenger: [], unparsed: [], unparsedCount: 0, rejected: [], rejectedCount: 0, rejoined: 0, otherLines: 0, headings: [] };
  let periodicPending = false;

  for (let i = 0; i < lines.length; i++) {
    if (consumed[i]) continue;
    const line = lines.at(i);
    if (/GC forced\s*$/.test(line)) {
      periodicPending = true;
      continue;
    }
    const gc = findRecord(GC, lines, i, consumed);
    if (gc && 'values' in gc) {
      trace.cycles.push(toCycle(gc, i + 1, periodicPending));
      periodicPending = false;
      markUsed(gc, consumed, trace);
      continue;
    }
    const scav = gc ? undefined : findRecord(SCAV, lines, i, consumed);
    if (scav && 'values' in scav) {
      trace.scavenger.push(toScav(scav, i + 1));
      markUsed(scav, consumed, trace);
      continue;
    }
    if (gc || scav) {
      trace.unparsedCount++;
      if (trace.unparsed.length < KEEP_UNPARSED) trace.unparsed.push({ line: i + 1, text: line.slice(0, 200) });
      continue;
    }
    trace.otherLines++;
    if (line.startsWith('# ') && trace.headings.length < MAX_HEADINGS) trace.headings.push({ line: i + 1, text: line });
  }
  rejectImplausible(trace, KEEP_UNPARSED, (line) => lines.at(line - 1));
  return trace;
}

/** Throws when a log holds no gc line at all: then it is not a gctrace log. */
export function requireCycles(trace: GcTrace, source: string): GcTrace {
  if (trace.cycles.length > 0) return trace;
  const rejected = trace.rejected[0];
  if (rejected) {
    throw new FormatError(`no usable gc record: all ${trace.rejectedCount} hold numbers Go cannot print (line ${rejected.line}: ${rejected.reason})`, source);
  }
  const hint = trace.unparsedCount > 0 ? `${trace.unparsedCount} gc lines could not be read` : 'no "gc N @…" lines found';
  throw new FormatError(
    `not a gctrace log: ${hint} (run the program with GODEBUG=gctrace=1; the lines go to stderr)`,
    source,
  );
}

function markUsed(m: Matched, consumed: Uint8Array, trace: GcTrace): void {
  for (const l of m.lines) consumed[l] = 1;
  if (m.lines.length > 1) trace.rejoined++;
}

/**
 * Looks for a record of `kind` starting on line `i`. Returns the match, a
 * token count when the line surely began such a record but it could not be
 * completed, or undefined when the line is not one.
 */
function findRecord(kind: RecordKind, lines: LineIndex, i: number, consumed: Uint8Array): Matched | { tokens: number } | undefined {
  const line = lines.at(i);
  let best = 0;
  for (let at = line.indexOf(kind.marker); at >= 0; at = line.indexOf(kind.marker, at + 1)) {
    for (let v = 0; v < kind.variants.length; v++) {
      const result = matchFrom(kind, v, lines, i, at, consumed);
      if ('values' in result) return result;
      best = Math.max(best, result.tokens);
    }
  }
  return best >= SURELY_GC_TOKENS ? { tokens: best } : undefined;
}

function matchFrom(
  kind: RecordKind,
  variant: number,
  lines: LineIndex,
  start: number,
  at: number,
  consumed: Uint8Array,
): Matched | { tokens: number } {
  const grammar = kind.variants[variant]!;
  const progress: Progress = { tokens: 0, values: [] };
  const used = [start];
  let end = advance(grammar, lines.at(start), at, progress);
  if (progress.tokens === 0) return { tokens: 0 };
  let next = start + 1;
  while (progress.tokens < grammar.length) {
    const resumed = resume(grammar, lines, next, start + LOOKAHEAD, progress, consumed);
    if (!resumed) return { tokens: progress.tokens };
    used.push(resumed.line);
    end = resumed.end;
    next = resumed.line + 1;
  }
  const last = used.at(-1)!;
  const rest = lines.at(last).slice(end);
  let suffix = kind.suffixes.find((s) => rest.startsWith(s));
  if (suffix === undefined && rest !== '') {
    // The program's output landed between the record and its suffix.
    const alone = findSuffixLine(kind.suffixes, lines, next, start + LOOKAHEAD, consumed);
    if (alone) {
      suffix = alone.suffix;
      used.push(alone.line);
    }
  }
  return { variant, values: progress.values, suffix, lines: used };
}

/** The first following line that carries on with the next token; lines in between are the program's. */
function resume(
  grammar: readonly Token[],
  lines: LineIndex,
  from: number,
  limit: number,
  progress: Progress,
  consumed: Uint8Array,
): { line: number; end: number } | undefined {
  for (let l = from; l <= limit && l < lines.length; l++) {
    if (consumed[l]) continue;
    const before = progress.tokens;
    const end = advance(grammar, lines.at(l), 0, progress);
    if (progress.tokens > before) return { line: l, end };
  }
  return undefined;
}

function findSuffixLine(
  suffixes: readonly string[],
  lines: LineIndex,
  from: number,
  limit: number,
  consumed: Uint8Array,
): { line: number; suffix: string } | undefined {
  for (let l = from; l <= limit && l < lines.length; l++) {
    if (consumed[l]) continue;
    const text = lines.at(l);
    const suffix = suffixes.find((s) => text === s);
    if (suffix) return { line: l, suffix };
  }
  return undefined;
}

function toCycle(m: Matched, line: number, periodic: boolean): GcCycle {
  const v = m.values.map(Number);
  const current = m.variant !== GC.variants.length - 1;
  const [n, at, pct, c1, c2, c3, u1, assist, bg, idle, u2, h0, h1, h2, goal] = v as [number, ...number[]];
  return {
    n,
    atSeconds: at!,
    cpuPercent: pct!,
    clockMs: { sweepTermination: c1!, mark: c2!, markTermination: c3! },
    cpuMs: { sweepTermination: u1!, assist: assist!, background: bg!, idle: idle!, markTermination: u2! },
    heapMB: { start: h0!, end: h1!, live: h2! },
    goalMB: goal!,
    stacksMB: current ? v[15]! : null,
    globalsMB: current ? v[16]! : null,
    procs: v.at(-1)!,
    forced: m.suffix === ' (forced)',
    periodic,
    line,
  };
}

function toScav(m: Matched, line: number): ScavRecord {
  const v = m.values.map(Number);
  const current = m.variant === 0;
  return {
    backgroundKiB: current ? v[0]! : null,
    eagerKiB: current ? v[1]! : null,
    workKiB: current ? null : v[1]!,
    releasedKiB: v[2]!,
    utilPercent: v[3]!,
    forced: m.suffix === ' (forced)',
    controllerReset: m.suffix === ' [controller reset]',
    line,
  };
}
