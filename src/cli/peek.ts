import { INPUT_HELP } from './input/index.js';
import { peekReport } from '../report/peek.js';
import { parse, REPORT_FLAGS, UsageError } from './args.js';
import { printJson, warn, type Io } from './io.js';
import { openReport } from './report-input.js';

export const PEEK_HELP = `footprint peek — callers and callees of matching functions, as go tool pprof -peek

Usage: footprint peek [flags] REGEX [binary] PROFILE...

Every row whose name matches REGEX (Go regexp syntax) is printed with the
functions that call it above and the ones it calls below, each with its share.
Takes the same flags as footprint top; trimming is off, as in pprof.

${INPUT_HELP}

Examples:
  footprint peek 'main\\.leak' heap.pb.gz
  footprint peek -sample_index=alloc_space 'bytes\\.' allocs.pb.gz
  footprint peek --json 'sync\\.\\(\\*Mutex\\)' mutex.pb.gz
`;

export async function runPeek(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, REPORT_FLAGS);
  if (values['help']) {
    io.out(PEEK_HELP);
    return 0;
  }
  const [regex, ...files] = positionals;
  if (regex === undefined || files.length === 0) throw new UsageError('usage: footprint peek REGEX PROFILE');
  const { rpt, progress } = await openReport('peek', files, values, io);
  const peek = peekReport(rpt, regex);
  progress.done();
  for (const w of rpt.warnings) warn(io, w);
  if (values['json']) {
    printJson(io, { labels: peek.labels, sampleType: rpt.sampleType, unit: rpt.sampleUnit, total: rpt.total, entries: peek.entries });
  } else io.out(peek.text);
  return 0;
}
