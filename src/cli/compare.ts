import { regressions, type Comparison, type Named } from '../analyze/compare.js';
import type { Severity } from '../analyze/finding.js';
import { renderComparisonPage } from '../present/html/compare-page.js';
import { comparisonText } from '../present/text/compare.js';
import { UsageError } from './args.js';
import { exitForFindings } from './fail-on.js';
import { printJson, styleOf, type Io } from './io.js';
import { writeOutput } from './output.js';
import type { Progress } from './progress.js';

/** `--compare`: the before/after mode of heap, gc, goroutines and contention. */
export const COMPARE_FLAG = { compare: { type: 'boolean' } } as const;

export const COMPARE_HELP =
  '  --compare OLD NEW   what changed between two runs, builds or processes: finding by finding\n' +
  '                      (new, gone, worse, better, grew, shrank, the same) and the headline figures;\n' +
  '                      with --fail-on, exit 1 on new or worse findings at SEVERITY or above';

/**
 * Reads and analyses the two inputs --compare takes (OLD NEW, each on its
 * own); a UsageError for any other count. `names` (the command's Inputs)
 * gives each the name reports use: `<stdin>` for `-`, the URL fetched.
 */
export async function readCompared<A>(
  command: string,
  positionals: readonly string[],
  progress: Progress,
  names: { name(spec: string): string },
  analyse: (spec: string) => A | Promise<A>,
): Promise<[Named<A>, Named<A>]> {
  if (positionals.length !== 2) throw new UsageError(`--compare takes two files, OLD and NEW, got ${positionals.length} (footprint ${command} --help)`);
  const read = async (spec: string): Promise<Named<A>> => {
    const source = names.name(spec);
    progress.phase(`reading ${source}`);
    return { source, analysis: await analyse(spec) };
  };
  const pair: [Named<A>, Named<A>] = [await read(positionals[0]!), await read(positionals[1]!)];
  progress.done();
  return pair;
}

export interface ComparisonOutput {
  json: boolean;
  failOn: Severity | undefined;
  /** --html FILE, for commands that have it. */
  html?: string | undefined;
  /** A domain's own part, after the headline figures: text, and HTML sections for the page. */
  extraText?: string;
  extraHtml?: readonly string[];
}

/**
 * Prints a comparison (JSON: the comparison itself), writes its page when
 * asked, and returns the exit code: 1 under --fail-on when a new or worse
 * finding reaches the threshold.
 */
export function printComparison(io: Io, command: string, c: Comparison, out: ComparisonOutput): number {
  if (out.json) printJson(io, c);
  else io.out(comparisonText(c, styleOf(io), out.extraText));
  const written = out.html === undefined ? 0 : writeOutput(io, command, out.html, renderComparisonPage(c, command, out.extraHtml), !out.json);
  return exitForFindings(io, command, out.failOn, regressions(c.findings), written, 'new or worse finding');
}
