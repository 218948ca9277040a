import { analyzeContention, compareContentionRuns, type ContentionReport } from '../analyze/contention/index.js';
import { admitProfile } from '../formats/index.js';
import { contentionText } from '../present/text/contention.js';
import { INPUT_FLAGS, parse, rowLimit, UsageError, wholeNumber } from './args.js';
import { printJson, styleOf, type Io } from './io.js';
import { Inputs, INPUT_HELP } from './input/index.js';
import { decodeProfileFile, warner } from './load.js';
import { Progress } from './progress.js';
import { exitForFindings, failOnThreshold, FAIL_ON_FLAG, FAIL_ON_HELP } from './fail-on.js';
import { COMPARE_FLAG, COMPARE_HELP, printComparison, readCompared } from './compare.js';

export const CONTENTION_HELP = `footprint contention — mutex and block profiles read from the callers: where time waiting for locks goes

Usage: footprint contention [flags] PROFILE...
       footprint contention --compare [flags] OLD NEW

PROFILE is a mutex or block profile (/debug/pprof/mutex, /debug/pprof/block), proto
or ?debug=1 text, gzipped or not; each file is reported on its own. Lists the top
sites by delay and by count (the rows go tool pprof -top prints), then for the
heaviest sites who calls into them and with what share (pprof -peek's callers,
followed outward to the program's own code), and lock-contention findings.

Flags:
  --sites N     heaviest sites to trace back to their callers (default 3)
  --rows N      rows of each top list (default 10; 0 = all pprof shows)
  --json        { files: [{ file, kind, totalDelayNanos, totalContentions, byDelay, byCount, sites, caveat, findings }] }
                (with --compare: { before, after, headlines, findings, counts })
${COMPARE_HELP}
                      (two profiles of one kind: mutex with mutex, block with block)
${FAIL_ON_HELP}

${INPUT_HELP}

Examples:
  curl -s localhost:6060/debug/pprof/mutex > mutex.pb.gz && footprint contention mutex.pb.gz
  footprint contention --sites 5 mutex.pb.gz block.pb.gz
  footprint contention --json 'mutex?debug=1.txt' | jq '.files[0].sites[0].callers'
  footprint contention --compare --fail-on medium mutex.before.pb.gz mutex.after.pb.gz
`;

const FLAGS = {
  sites: { type: 'string' },
  rows: { type: 'string' },
  ...INPUT_FLAGS,
  ...FAIL_ON_FLAG,
  ...COMPARE_FLAG,
} as const;

const DEFAULT_ROWS = 10;

export async function runContention(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, FLAGS);
  if (values['help']) {
    io.out(CONTENTION_HELP);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('expects a mutex or block profile (footprint contention --help)');
  const sites = wholeNumber(values, 'sites', 3);
  const rows = rowLimit(values, 'rows', DEFAULT_ROWS);
  const failOn = failOnThreshold(values);
  const json = values['json'] === true;
  const progress = Progress.for(io, json);
  const inputs = Inputs.fromFlags(values, positionals);
  const warn = warner(io, 'contention');
  const analyse = (bytes: Uint8Array, file: string) => analyzeContention(decodeProfileFile(bytes, file, warn), { sites, source: file });
  if (values['compare']) {
    const [before, after] = await readCompared('contention', positionals, progress, inputs, (spec) => inputs.decode(spec, admitProfile, analyse));
    return printComparison(io, 'contention', compareContentionRuns(before, after), { json, failOn });
  }
  const report: ContentionReport = { files: [] };
  for (const spec of positionals) {
    progress.phase(`reading ${inputs.name(spec)}`);
    const { name: file, bytes } = await inputs.read(spec, admitProfile);
    report.files.push({ file, ...analyse(bytes, file) });
  }
  progress.done();
  if (json) printJson(io, report);
  else io.out(report.files.map((a) => contentionText(a, a.file, styleOf(io), rows)).join('\n'));
  return exitForFindings(io, 'contention', failOn, report.files.flatMap((f) => f.findings));
}
