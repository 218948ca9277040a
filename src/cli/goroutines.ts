import { analyzeGoroutines, goroutinesReport, type Similarity } from '../analyze/goroutines/index.js';
import { admitExpvarOrProfile, decodeExpvarMemStats, sniffExpvar } from '../formats/expvar/index.js';
import { admitGoroutineInput, decodeGoroutineInput } from '../formats/goroutines/index.js';
import { decodeProfile, FormatError } from '../formats/index.js';
import type { MemStats } from '../model/profile.js';
import { renderGoroutinesPage } from '../present/html/goroutines-page.js';
import { goroutinesText } from '../present/text/goroutines.js';
import { INPUT_FLAGS, parse, rowLimit, UsageError } from './args.js';
import { printJson, styleOf, type Io } from './io.js';
import { Inputs, INPUT_HELP } from './input/index.js';
import { writeOutput } from './output.js';
import { Progress } from './progress.js';
import { exitForFindings, failOnThreshold, FAIL_ON_FLAG, FAIL_ON_HELP } from './fail-on.js';

export const GOROUTINES_HELP = `footprint goroutines — group a goroutine dump, find leaks, pile-ups and deadlocks; diff two dumps

Usage: footprint goroutines [flags] FILE [LATER_FILE...]

FILE is any goroutine artefact, recognised from its content (gzipped or not):
  /debug/pprof/goroutine?debug=2, a panic or crash log, a SIGQUIT dump (stderr),
  /debug/pprof/goroutine?debug=1, or the goroutine proto profile.
Goroutines with the same stack, state and creator are grouped, whichever
goroutine started them. With two or more files of one process, the first and
last are compared: groups that grew, shrank, appeared or vanished.

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
  --json                          { groups, states, findings, ... } (with a diff: { diff, ... })
${FAIL_ON_HELP}

${INPUT_HELP}

Examples:
  curl -s 'localhost:6060/debug/pprof/goroutine?debug=2' > g.txt && footprint goroutines g.txt
  footprint goroutines crash.log
  footprint goroutines --similarity lines g.txt
  footprint goroutines before.pb.gz after.pb.gz
  footprint goroutines --json g.txt | jq '.groups[0]'
`;

const FLAGS = {
  similarity: { type: 'string' },
  memstats: { type: 'string' },
  limit: { type: 'string' },
  system: { type: 'boolean' },
  html: { type: 'string' },
  ...INPUT_FLAGS,
  ...FAIL_ON_FLAG,
} as const;

const SIMILARITIES: readonly Similarity[] = ['exact', 'args', 'lines'];
const DEFAULT_LIMIT = 25;

export async function runGoroutines(argv: string[], io: Io): Promise<number> {
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
  const inputs = Inputs.fromFlags(values, [...positionals, memStatsFile]);
  const memStats = memStatsFile !== undefined ? await loadMemStats(inputs, memStatsFile) : undefined;
  const looks = [];
  for (const spec of positionals) {
    progress.phase(`reading ${inputs.name(spec)}`);
    const { name: file, bytes } = await inputs.read(spec, admitGoroutineInput);
    const input = decodeGoroutineInput(bytes, file);
    progress.phase(`grouping ${file}`);
    looks.push({ file, analysis: analyzeGoroutines(input, { similarity, ...(memStats ? { memStats } : {}) }) });
  }
  progress.done();
  const report = goroutinesReport(looks);
  if (json) printJson(io, report);
  else io.out(goroutinesText(report, styleOf(io), { limit, system: values['system'] === true }));
  const html = values['html'] as string | undefined;
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
async function loadMemStats(inputs: Inputs, spec: string): Promise<MemStats> {
  const { name: file, bytes } = await inputs.read(spec, admitExpvarOrProfile);
  if (sniffExpvar(bytes)) return decodeExpvarMemStats(bytes, file);
  const p = decodeProfile(bytes, file);
  if (!p.memStats) throw new FormatError('has no "# runtime.MemStats" footer (use /debug/vars or a heap profile fetched with ?debug=1)', file);
  return p.memStats;
}
