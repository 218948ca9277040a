import { analyzeGoroutines, compareGoroutineRuns, goroutineDumpsReport, goroutinesReport, type Similarity } from '../analyze/goroutines/index.js';
import { admitExpvarOrProfile, decodeExpvarMemStats, sniffExpvar } from '../formats/expvar/index.js';
import { admitGoroutineInput, decodeGoroutineInputs, type GoroutineInput } from '../formats/goroutines/index.js';
import { decodeProfile, FormatError } from '../formats/index.js';
import type { MemStats } from '../model/profile.js';
import { groupChangesHtml, renderGoroutineDumpsPage, renderGoroutinesPage } from '../present/html/goroutines-page.js';
import { goroutineDumpsText, groupChangesText, goroutinesText } from '../present/text/goroutines.js';
import { INPUT_FLAGS, parse, rowLimit, UsageError } from './args.js';
import { printJson, styleOf, type Io } from './io.js';
import { Inputs, INPUT_HELP } from './input/index.js';
import { writeOutput } from './output.js';
import { Progress } from './progress.js';
import { exitForFindings, failOnThreshold, FAIL_ON_FLAG, FAIL_ON_HELP } from './fail-on.js';
import { COMPARE_FLAG, COMPARE_HELP, printComparison, readCompared } from './compare.js';

export const GOROUTINES_HELP = `footprint goroutines — group a goroutine dump, find leaks, pile-ups and deadlocks; diff two dumps

Usage: footprint goroutines [flags] FILE [LATER_FILE...]
       footprint goroutines --compare [flags] OLD NEW

FILE is any goroutine artefact, recognised from its content (gzipped or not):
  /debug/pprof/goroutine?debug=2, a program's stderr or log holding a panic,
  crash or SIGQUIT dump anywhere in it, /debug/pprof/goroutine?debug=1, the
  goroutine proto profile, or Go 1.26's goroutineleak profile (any form).
Goroutines with the same stack, state and creator are grouped, whichever
goroutine started them. A log with several dumps is reported dump by dump.
With two or more files of one process, the first and last are compared:
groups that grew, shrank, appeared or vanished. Two files of different runs or
processes: --compare.

Flags:
  --similarity exact|args|lines   exact: arguments must match too; args (default): ignore
                                  arguments; lines: ignore arguments and line numbers
  --memstats FILE                 /debug/vars (expvar JSON) or a heap ?debug=1 profile of the same
                                  process: stack memory is calibrated to its StackInuse and shown
                                  as a share of Sys
  --dump N                        the Nth dump of a log that holds several (1 = the first);
                                  needed to compare such logs with other files
  --limit N                       groups to list (default 25; 0 = all)
  --system                        list runtime-internal goroutines too (SIGQUIT/crash dumps)
  --html FILE                     write a page: groups as bars coloured by what they wait on,
                                  the group table and the findings (of the last FILE)
  --json                          { groups, states, findings, limits, ... } (with a diff: { diff, ... };
                                  a log of several dumps: { dumps: [{ index, lines, groups, ... }] };
                                  with --compare: { before, after, headlines, findings, counts, groups })
${COMPARE_HELP}
                      (every group's count before and after, too; --html writes the comparison page)
${FAIL_ON_HELP}

${INPUT_HELP}

Examples:
  curl -s 'localhost:6060/debug/pprof/goroutine?debug=2' > g.txt && footprint goroutines g.txt
  footprint goroutines crash.log                  # every dump in the log, in order
  footprint goroutines --dump 2 crash.log         # only the second
  curl -s 'localhost:6060/debug/pprof/goroutineleak?debug=2' > leak.txt && footprint goroutines leak.txt
  footprint goroutines --similarity lines g.txt
  footprint goroutines before.pb.gz after.pb.gz
  footprint goroutines --json g.txt | jq '.groups[0]'
  footprint goroutines --compare --fail-on medium before.txt after.txt
`;

const FLAGS = {
  similarity: { type: 'string' },
  dump: { type: 'string' },
  memstats: { type: 'string' },
  limit: { type: 'string' },
  system: { type: 'boolean' },
  html: { type: 'string' },
  ...INPUT_FLAGS,
  ...FAIL_ON_FLAG,
  ...COMPARE_FLAG,
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
  const dump = parseDumpIndex(values['dump'] as string | undefined);
  const failOn = failOnThreshold(values);
  const json = values['json'] === true;
  const progress = Progress.for(io, json);
  const memStatsFile = values['memstats'] as string | undefined;
  const sources = Inputs.fromFlags(values, [...positionals, memStatsFile]);
  const memStats = memStatsFile !== undefined ? await loadMemStats(sources, memStatsFile) : undefined;
  const analyze = (input: GoroutineInput) => analyzeGoroutines(input, { similarity, ...(memStats ? { memStats } : {}) });
  const html = values['html'] as string | undefined;
  if (values['compare']) {
    const analyseFile = (spec: string) =>
      sources.decode(spec, admitGoroutineInput, (bytes, file) => analyze(pickInput(file, decodeGoroutineInputs(bytes, file), dump, 2)));
    const [before, after] = await readCompared('goroutines', positionals, progress, sources, analyseFile);
    const c = compareGoroutineRuns(before, after);
    return printComparison(io, 'goroutines', c, { json, failOn, html, extraText: `${groupChangesText(c.groups)}\n`, extraHtml: [groupChangesHtml(c.groups)] });
  }
  const read = [];
  for (const spec of positionals) {
    progress.phase(`reading ${sources.name(spec)}`);
    read.push(await sources.decode(spec, admitGoroutineInput, (bytes, file) => ({ file, inputs: decodeGoroutineInputs(bytes, file) })));
  }
  progress.phase('grouping');
  const text = { limit, system: values['system'] === true };
  const several = read.length === 1 && dump === undefined && read[0]!.inputs.length > 1;
  if (several) {
    const { file, inputs } = read[0]!;
    const report = goroutineDumpsReport(file, inputs.map(analyze));
    progress.done();
    if (json) printJson(io, report);
    else io.out(goroutineDumpsText(report, styleOf(io), text));
    const written = html === undefined ? 0 : writeOutput(io, 'goroutines', html, renderGoroutineDumpsPage(report), !json);
    return exitForFindings(io, 'goroutines', failOn, report.dumps.flatMap((d) => d.findings), written);
  }
  const looks = read.map(({ file, inputs }) => ({ file, analysis: analyze(pickInput(file, inputs, dump, read.length)) }));
  progress.done();
  const report = goroutinesReport(looks);
  if (json) printJson(io, report);
  else io.out(goroutinesText(report, styleOf(io), text));
  const last = looks[looks.length - 1]!;
  const written = html === undefined ? 0 : writeOutput(io, 'goroutines', html, renderGoroutinesPage({ ...last.analysis, findings: report.findings }, last.file), !json);
  return exitForFindings(io, 'goroutines', failOn, report.findings, written);
}

/** `--dump N`: 1-based. */
function parseDumpIndex(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(v)) throw new UsageError(`--dump wants a dump's number (1 for the first), got ${JSON.stringify(v)}`);
  return Number(v);
}

/** The input of a file to analyse: its only one, or the dump --dump names; several without --dump cannot be compared. */
function pickInput(file: string, inputs: GoroutineInput[], dump: number | undefined, files: number): GoroutineInput {
  const where = () => inputs.map((i, k) => `${k + 1}: ${i.kind === 'dump' ? `lines ${i.dump.lines.first}–${i.dump.lines.last}` : 'a profile'}`).join(', ');
  if (dump === undefined) {
    if (inputs.length === 1) return inputs[0]!;
    throw new UsageError(`${file} holds ${inputs.length} goroutine dumps (${where()}); with ${files} files, pick one per file with --dump N`);
  }
  const picked = inputs[dump - 1];
  if (!picked) throw new UsageError(`${file} holds ${inputs.length === 1 ? 'one goroutine input' : `${inputs.length} goroutine dumps (${where()})`}: there is no --dump ${dump}`);
  return picked;
}

function parseSimilarity(v: string | undefined): Similarity {
  if (v === undefined) return 'args';
  if (!(SIMILARITIES as readonly string[]).includes(v)) throw new UsageError(`--similarity wants one of ${SIMILARITIES.join(', ')}, got ${JSON.stringify(v)}`);
  return v as Similarity;
}

/** MemStats from expvar's /debug/vars JSON or a heap ?debug=1 profile's footer. */
async function loadMemStats(sources: Inputs, spec: string): Promise<MemStats> {
  const { name: file, bytes } = await sources.read(spec, admitExpvarOrProfile);
  if (sniffExpvar(bytes)) return decodeExpvarMemStats(bytes, file);
  const p = decodeProfile(bytes, file);
  if (!p.memStats) throw new FormatError('has no "# runtime.MemStats" footer (use /debug/vars or a heap profile fetched with ?debug=1)', file);
  return p.memStats;
}
