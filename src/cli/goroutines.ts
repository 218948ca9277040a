import { analyzeGoroutines, compareGoroutineRuns, goroutinesReport, type Similarity } from '../analyze/goroutines/index.js';
import { decodeExpvarMemStats, sniffExpvar } from '../formats/expvar/index.js';
import { decodeGoroutineInput, type GoroutineInput } from '../formats/goroutines/index.js';
import { decodeProfile, FormatError } from '../formats/index.js';
import type { MemStats } from '../model/profile.js';
import { groupChangesHtml, renderGoroutinesPage } from '../present/html/goroutines-page.js';
import { groupChangesText, goroutinesText } from '../present/text/goroutines.js';
import { parse, rowLimit, UsageError } from './args.js';
import { printJson, styleOf, type Io } from './io.js';
import { readInput, warner, warnInexact } from './load.js';
import { writeOutput } from './output.js';
import { Progress } from './progress.js';
import { exitForFindings, failOnThreshold, FAIL_ON_FLAG, FAIL_ON_HELP } from './fail-on.js';
import { COMPARE_FLAG, COMPARE_HELP, printComparison, readCompared } from './compare.js';

export const GOROUTINES_HELP = `footprint goroutines — group a goroutine dump, find leaks, pile-ups and deadlocks; diff two dumps

Usage: footprint goroutines [flags] FILE [LATER_FILE...]
       footprint goroutines --compare [flags] OLD NEW

FILE is any goroutine artefact, recognised from its content (gzipped or not):
  /debug/pprof/goroutine?debug=2, a panic or crash log, a SIGQUIT dump (stderr),
  /debug/pprof/goroutine?debug=1, or the goroutine proto profile.
Goroutines with the same stack, state and creator are grouped, whichever
goroutine started them. With two or more files of one process, the first and
last are compared: groups that grew, shrank, appeared or vanished. Two files of
different runs or processes: --compare.

Flags:
  --similarity exact|args|lines   exact: arguments must match too; args (default): ignore
                                  arguments; lines: ignore arguments and line numbers
  --memstats FILE                 /debug/vars (expvar JSON) or a heap ?debug=1 profile of the same
                                  process: stack memory is calibrated to its StackInuse and shown
                                  as a share of Sys
  --limit N                       groups to list (default 25; 0 = all)
  --system                        list runtime-internal goroutines too (SIGQUIT/crash dumps)
  --html FILE                     write a page: groups as bars coloured by what they wait on,
                                  the group table and the findings (of the last FILE)
  --json                          { groups, states, findings, ... } (with a diff: { diff, ... };
                                  with --compare: { before, after, headlines, findings, counts, groups })
${COMPARE_HELP}
                      (every group's count before and after, too; --html writes the comparison page)
${FAIL_ON_HELP}

Examples:
  curl -s 'localhost:6060/debug/pprof/goroutine?debug=2' > g.txt && footprint goroutines g.txt
  footprint goroutines crash.log
  footprint goroutines --similarity lines g.txt
  footprint goroutines before.pb.gz after.pb.gz
  footprint goroutines --json g.txt | jq '.groups[0]'
  footprint goroutines --compare --fail-on medium before.txt after.txt
`;

const FLAGS = {
  similarity: { type: 'string' },
  memstats: { type: 'string' },
  limit: { type: 'string' },
  system: { type: 'boolean' },
  html: { type: 'string' },
  ...FAIL_ON_FLAG,
  ...COMPARE_FLAG,
} as const;

const SIMILARITIES: readonly Similarity[] = ['exact', 'args', 'lines'];
const DEFAULT_LIMIT = 25;

export function runGoroutines(argv: string[], io: Io): number {
  const { values, positionals } = parse(argv, FLAGS);
  if (values['help']) {
    io.out(GOROUTINES_HELP);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('expects a goroutine dump or profile (footprint goroutines --help)');
  const similarity = parseSimilarity(values['similarity'] as string | undefined);
  const limit = rowLimit(values, 'limit', DEFAULT_LIMIT);
  const failOn = failOnThreshold(values);
  const json = values['json'] === true;
  const progress = Progress.for(io, json);
  const memStatsFile = values['memstats'] as string | undefined;
  const memStats = memStatsFile !== undefined ? loadMemStats(memStatsFile) : undefined;
  const html = values['html'] as string | undefined;
  const warn = warner(io, 'goroutines');
  /** A dump or a profile; a profile's values past 2^53 are warned about. */
  const read = (file: string): GoroutineInput => {
    const input = decodeGoroutineInput(readInput(file), file);
    if (input.kind === 'profile') warnInexact(input.profile, file, warn);
    return input;
  };
  if (values['compare']) {
    const analyse = (file: string) => analyzeGoroutines(read(file), { similarity, ...(memStats ? { memStats } : {}) });
    const [before, after] = readCompared('goroutines', positionals, progress, analyse);
    const c = compareGoroutineRuns(before, after);
    return printComparison(io, 'goroutines', c, { json, failOn, html, extraText: `${groupChangesText(c.groups)}\n`, extraHtml: [groupChangesHtml(c.groups)] });
  }
  const looks = positionals.map((file) => {
    progress.phase(`reading ${file}`);
    const input = read(file);
    progress.phase(`grouping ${file}`);
    return { file, analysis: analyzeGoroutines(input, { similarity, ...(memStats ? { memStats } : {}) }) };
  });
  progress.done();
  const report = goroutinesReport(looks);
  if (json) printJson(io, report);
  else io.out(goroutinesText(report, styleOf(io), { limit, system: values['system'] === true }));
  const last = looks[looks.length - 1]!;
  const written = html === undefined ? 0 : writeOutput(io, 'goroutines', html, renderGoroutinesPage({ ...last.analysis, findings: report.findings }, last.file), !json);
  return exitForFindings(io, 'goroutines', failOn, report.findings, written);
}

function parseSimilarity(v: string | undefined): Similarity {
  if (v === undefined) return 'args';
  if (!(SIMILARITIES as readonly string[]).includes(v)) throw new UsageError(`--similarity wants one of ${SIMILARITIES.join(', ')}, got ${JSON.stringify(v)}`);
  return v as Similarity;
}

/** MemStats from expvar's /debug/vars JSON or a heap ?debug=1 profile's footer. */
function loadMemStats(file: string): MemStats {
  const bytes = readInput(file);
  if (sniffExpvar(bytes)) return decodeExpvarMemStats(bytes, file);
  const p = decodeProfile(bytes, file);
  if (!p.memStats) throw new FormatError('has no "# runtime.MemStats" footer (use /debug/vars or a heap profile fetched with ?debug=1)', file);
  return p.memStats;
}
