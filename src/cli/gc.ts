import { analyzeGcProcess, analyzeGcProcesses, analyzeGcTrace, compareGcRuns, type WhatIfSetting } from '../analyze/gc/index.js';
import { admitGcTrace, decodeGcTrace, splitGcProcesses } from '../formats/gctrace/index.js';
import type { GcProcess } from '../model/gctrace.js';
import { renderGcPage, renderGcProcessesPage } from '../present/html/gc-page.js';
import { gcProcessesText, gcText } from '../present/text/gc.js';
import { INPUT_FLAGS, parse, UsageError } from './args.js';
import { printJson, styleOf, type Io } from './io.js';
import { Inputs, INPUT_HELP } from './input/index.js';
import { writeOutput } from './output.js';
import { Progress } from './progress.js';
import { exitForFindings, failOnThreshold, FAIL_ON_FLAG, FAIL_ON_HELP } from './fail-on.js';
import { COMPARE_FLAG, COMPARE_HELP, printComparison, readCompared } from './compare.js';
import { parseByteCount } from './sizes.js';

export const GC_HELP = `footprint gc — read a GODEBUG=gctrace=1 log: GC frequency, CPU, pauses, heap, findings, what-ifs

Usage: footprint gc [flags] LOG
       footprint gc --compare [flags] OLD_LOG NEW_LOG

LOG is the program's stderr with GODEBUG=gctrace=1 (scavtrace=1 lines are read
too), gzipped or not. The program's own output may be mixed in, even in the
middle of a gc line: such lines are put back together. A log of several
processes (GODEBUG=gctrace=1 go test: the go command, its compilers and linker,
the test binary; cycle numbers restart, time goes back) is split into them and
each is reported on its own.

Flags:
  --what-if gogc=N|off                replay the log's workload under another GOGC (and no memory limit)
  --what-if gomemlimit=SIZE[,gogc=N|off]
                                      ... or with a memory limit (SIZE as GOMEMLIMIT: 512MiB, 2GiB;
                                      GOGC stays the log's unless given)
                                      repeat --what-if to compare several settings
  --gogc N|off, --gomemlimit SIZE     what the log ran with, if known (default: inferred from the log)
  --process N                         only the Nth process of a log that holds several
  --html FILE                         write a page plotting the heap, goal and pauses, with the what-ifs
  --json                              { cycles, summary, findings, baseline, whatIf, whatIfSeries }
                                      (with --compare: { before, after, headlines, findings, counts })
                                      (several processes: { processes: [{ process, cycles, summary, ... }], log })
${COMPARE_HELP}
                      (--html then writes the comparison page)
${FAIL_ON_HELP}

${INPUT_HELP}

Examples:
  GODEBUG=gctrace=1 ./server 2> gc.log
  footprint gc gc.log
  footprint gc gc.log --what-if gogc=50 --what-if gogc=200 --what-if gomemlimit=256MiB,gogc=off
  footprint gc gc.log --html gc.html
  footprint gc --json gc.log | jq '.summary.pausesMs'
  footprint gc --compare --fail-on medium before.log after.log
`;

const FLAGS = {
  'what-if': { type: 'string', multiple: true },
  gogc: { type: 'string' },
  gomemlimit: { type: 'string' },
  html: { type: 'string' },
  process: { type: 'string' },
  ...INPUT_FLAGS,
  ...FAIL_ON_FLAG,
  ...COMPARE_FLAG,
} as const;

export async function runGc(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, FLAGS);
  if (values['help']) {
    io.out(GC_HELP);
    return 0;
  }
  const json = values['json'] === true;
  const whatIfs = ((values['what-if'] as string[] | undefined) ?? []).map(parseWhatIf);
  const failOn = failOnThreshold(values);
  const pick = parseProcessIndex(values['process'] as string | undefined);
  const baseline = parseBaseline(values['gogc'] as string | undefined, values['gomemlimit'] as string | undefined);
  const progress = Progress.for(io, json);
  const html = values['html'] as string | undefined;
  const inputs = Inputs.fromFlags(values, positionals);
  if (values['compare']) {
    const [before, after] = await readCompared('gc', positionals, progress, inputs, (spec) =>
      inputs.decode(spec, admitGcTrace, (bytes, file) => analyzeGcTrace(decodeGcTrace(bytes, file), { whatIfs, baseline })),
    );
    return printComparison(io, 'gc', compareGcRuns(before, after), { json, failOn, html });
  }
  if (positionals.length !== 1) {
    throw new UsageError(`expects one gctrace log${positionals.length > 1 ? '; to compare two runs: footprint gc --compare OLD NEW' : ''} (footprint gc --help)`);
  }
  const file = inputs.name(positionals[0]!);
  progress.phase(`reading ${file}`);
  const trace = await inputs.decode(positionals[0]!, admitGcTrace, decodeGcTrace);
  const processes = splitGcProcesses(trace);
  progress.phase('replaying the workload');
  if (processes.length > 1 && pick === undefined) {
    const report = analyzeGcProcesses(trace, { whatIfs, baseline });
    progress.done();
    if (json) printJson(io, report);
    else io.out(gcProcessesText(report, file, styleOf(io)));
    const written = html === undefined ? 0 : writeOutput(io, 'gc', html, renderGcProcessesPage(report, file), !json);
    return exitForFindings(io, 'gc', failOn, report.processes.flatMap((p) => p.findings), written);
  }
  const one = pickProcess(file, processes, pick);
  const analysis = processes.length > 1 ? analyzeGcProcess(one, { whatIfs, baseline }) : analyzeGcTrace(trace, { whatIfs, baseline });
  progress.done();
  const name = processes.length > 1 ? `${file} (process ${one.index} of ${processes.length})` : file;
  if (json) printJson(io, analysis);
  else io.out(gcText(analysis, name, styleOf(io)));
  const written = html === undefined ? 0 : writeOutput(io, 'gc', html, renderGcPage(analysis, name), !json);
  return exitForFindings(io, 'gc', failOn, analysis.findings, written);
}

/** `--process N`: 1-based, in order of first appearance. */
function parseProcessIndex(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(v)) throw new UsageError(`--process wants a process's number (1 for the first), got ${JSON.stringify(v)}`);
  return Number(v);
}

function pickProcess(file: string, processes: readonly GcProcess[], pick: number | undefined): GcProcess {
  if (pick === undefined) return processes[0]!; // the only one
  const found = processes[pick - 1];
  if (!found) throw new UsageError(`${file} holds the GCs of ${processes.length} process${processes.length === 1 ? '' : 'es'}: there is no --process ${pick}`);
  return found;
}

/** `gogc=N|off`, `gomemlimit=SIZE`, or both, comma-separated, in any order. */
export function parseWhatIf(spec: string): Partial<WhatIfSetting> {
  const setting: Partial<WhatIfSetting> = {};
  for (const part of spec.split(',')) {
    const [key, value, extra] = part.split('=').map((s) => s.trim());
    if (value === undefined || extra !== undefined || value === '') throw badWhatIf(spec);
    switch (key!.toLowerCase()) {
      case 'gogc':
        setting.gogc = parseGogc(value, '--what-if');
        break;
      case 'gomemlimit':
        setting.gomemlimit = parseByteCount(value, '--what-if gomemlimit');
        break;
      default:
        throw badWhatIf(spec);
    }
  }
  if (setting.gogc === undefined && setting.gomemlimit === undefined) throw badWhatIf(spec);
  return setting;
}

function badWhatIf(spec: string): UsageError {
  return new UsageError(`--what-if ${JSON.stringify(spec)}: expected gogc=N|off or gomemlimit=SIZE[,gogc=N|off]`);
}

function parseGogc(value: string, what: string): number | null {
  if (value.toLowerCase() === 'off') return null;
  if (!/^\d+$/.test(value) || Number(value) <= 0) {
    throw new UsageError(`${what}: GOGC ${JSON.stringify(value)} must be a positive integer or off`);
  }
  return Number(value);
}

function parseBaseline(gogc: string | undefined, limit: string | undefined): Partial<WhatIfSetting> {
  const base: Partial<WhatIfSetting> = {};
  if (gogc !== undefined) base.gogc = parseGogc(gogc, '--gogc');
  if (limit !== undefined) base.gomemlimit = parseByteCount(limit, '--gomemlimit');
  return base;
}
