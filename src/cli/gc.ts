import { analyzeGcTrace, type WhatIfSetting } from '../analyze/gc/index.js';
import { admitGcTrace, decodeGcTrace } from '../formats/gctrace/index.js';
import { renderGcPage } from '../present/html/gc-page.js';
import { gcText } from '../present/text/gc.js';
import { INPUT_FLAGS, parse, UsageError } from './args.js';
import { printJson, styleOf, type Io } from './io.js';
import { Inputs, INPUT_HELP } from './input/index.js';
import { writeOutput } from './output.js';
import { Progress } from './progress.js';
import { exitForFindings, failOnThreshold, FAIL_ON_FLAG, FAIL_ON_HELP } from './fail-on.js';
import { parseByteCount } from './sizes.js';

export const GC_HELP = `footprint gc — read a GODEBUG=gctrace=1 log: GC frequency, CPU, pauses, heap, findings, what-ifs

Usage: footprint gc [flags] LOG

LOG is the program's stderr with GODEBUG=gctrace=1 (scavtrace=1 lines are read
too), gzipped or not. The program's own output may be mixed in, even in the
middle of a gc line: such lines are put back together.

Flags:
  --what-if gogc=N|off                replay the log's workload under another GOGC (and no memory limit)
  --what-if gomemlimit=SIZE[,gogc=N|off]
                                      ... or with a memory limit (SIZE as GOMEMLIMIT: 512MiB, 2GiB;
                                      GOGC stays the log's unless given)
                                      repeat --what-if to compare several settings
  --gogc N|off, --gomemlimit SIZE     what the log ran with, if known (default: inferred from the log)
  --html FILE                         write a page plotting the heap, goal and pauses, with the what-ifs
  --json                              { cycles, summary, findings, baseline, whatIf, whatIfSeries }
${FAIL_ON_HELP}

${INPUT_HELP}

Examples:
  GODEBUG=gctrace=1 ./server 2> gc.log
  footprint gc gc.log
  footprint gc gc.log --what-if gogc=50 --what-if gogc=200 --what-if gomemlimit=256MiB,gogc=off
  footprint gc gc.log --html gc.html
  footprint gc --json gc.log | jq '.summary.pausesMs'
`;

const FLAGS = {
  'what-if': { type: 'string', multiple: true },
  gogc: { type: 'string' },
  gomemlimit: { type: 'string' },
  html: { type: 'string' },
  ...INPUT_FLAGS,
  ...FAIL_ON_FLAG,
} as const;

export async function runGc(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, FLAGS);
  if (values['help']) {
    io.out(GC_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('expects one gctrace log (footprint gc --help)');
  const inputs = Inputs.fromFlags(values);
  const file = inputs.name(positionals[0]!);
  const json = values['json'] === true;
  const whatIfs = ((values['what-if'] as string[] | undefined) ?? []).map(parseWhatIf);
  const failOn = failOnThreshold(values);
  const baseline = parseBaseline(values['gogc'] as string | undefined, values['gomemlimit'] as string | undefined);
  const progress = Progress.for(io, json);
  progress.phase(`reading ${file}`);
  const trace = decodeGcTrace((await inputs.read(positionals[0]!, admitGcTrace)).bytes, file);
  progress.phase('replaying the workload');
  const analysis = analyzeGcTrace(trace, { whatIfs, baseline });
  progress.done();
  if (json) printJson(io, analysis);
  else io.out(gcText(analysis, file, styleOf(io)));
  const html = values['html'] as string | undefined;
  const written = html === undefined ? 0 : writeOutput(io, 'gc', html, renderGcPage(analysis, file), !json);
  return exitForFindings(io, 'gc', failOn, analysis.findings, written);
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
