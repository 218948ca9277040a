/**
 * The gctrace and scavtrace line grammars as token sequences.
 *
 * The runtime prints these lines one `print` argument at a time
 * (runtime/mgc.go gcMarkTermination, runtime/mgcscavenge.go), each argument a
 * separate write to fd 2 (Go 1.23 prints "%: " as one piece, 1.26 as two;
 * a token boundary where there is none costs nothing). A program writing its own lines to stderr at the
 * same moment therefore lands *between* two arguments, never inside one. Each
 * token below is exactly one print argument, so a record interrupted by the
 * program's output can be resumed token by token on a following line.
 */
export type Token = string | RegExp;

const INT = /\d+/y;
const DEC = /\d+(?:\.\d+)?/y;

/** Go 1.26 notes a cycle that also looked for leaked goroutines (GOEXPERIMENT=goroutineleakprofile). */
const LEAK_CHECK = ' (checking for goroutine leaks)';

const GC_START: Token[] = ['gc ', INT, ' @', DEC, 's ', INT, '%'];
const GC_HEAD: Token[] = [
  ': ',
  DEC, '+', DEC, '+', DEC, ' ms clock, ',
  DEC, '+', DEC, '/', DEC, '/', DEC, '+', DEC, ' ms cpu, ',
  INT, '->', INT, '->', INT, ' MB, ', INT, ' MB goal, ',
];

const GC_TAIL: Token[] = [INT, ' MB stacks, ', INT, ' MB globals, ', INT, ' P'];

/** Go 1.18 and later: stacks and globals count toward the heap goal and are printed. */
export const GC_CURRENT: Token[] = [...GC_START, ...GC_HEAD, ...GC_TAIL];
export const GC_LEAK_CHECK: Token[] = [...GC_START, LEAK_CHECK, ...GC_HEAD, ...GC_TAIL];
/** Go 1.17 and earlier. */
export const GC_PRE_118: Token[] = [...GC_START, ...GC_HEAD, INT, ' P'];
export const GC_SUFFIXES = [' (forced)'];

/** Go 1.19 and later. */
export const SCAV_CURRENT: Token[] = [
  'scav ', INT, ' KiB work (bg), ', INT, ' KiB work (eager), ', INT, ' KiB now, ', INT, '% util',
];
/** Go 1.17 and 1.18: `scav <generation> <work> KiB work, <total> KiB total, <util>% util`. */
export const SCAV_LEGACY: Token[] = ['scav ', INT, ' ', INT, ' KiB work, ', INT, ' KiB total, ', INT, '% util'];
export const SCAV_SUFFIXES = [' (forced)', ' [controller reset]'];

export interface Progress {
  /** Tokens matched so far. */
  tokens: number;
  /** Numbers captured so far, in order. */
  values: string[];
}

/**
 * Matches as many tokens of `grammar` as `text` holds from `pos`, continuing
 * `progress`. Returns where matching stopped; whatever follows on that line
 * is someone else's output.
 */
export function advance(grammar: readonly Token[], text: string, pos: number, progress: Progress): number {
  while (progress.tokens < grammar.length) {
    const token = grammar[progress.tokens]!;
    if (typeof token === 'string') {
      if (!text.startsWith(token, pos)) break;
      pos += token.length;
    } else {
      token.lastIndex = pos;
      const m = token.exec(text);
      if (!m) break;
      progress.values.push(m[0]);
      pos += m[0].length;
    }
    progress.tokens++;
  }
  return pos;
}
