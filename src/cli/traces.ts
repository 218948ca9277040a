import { INPUT_HELP } from './input/index.js';
import { tracesReport } from '../report/traces.js';
import { parse, REPORT_FLAGS } from './args.js';
import { printJson, warn, type Io } from './io.js';
import { openReport } from './report-input.js';

export const TRACES_HELP = `footprint traces — every sample with its labels, value and stack, as go tool pprof -traces

Usage: footprint traces [flags] [binary] PROFILE...

Takes the same flags as footprint top (sample index, filters, granularity).

${INPUT_HELP}

Examples:
  footprint traces goroutine.pb.gz
  footprint traces -sample_index=alloc_space --focus=main heap.pb.gz
  footprint traces --json mutex.pb.gz
`;

export async function runTraces(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, REPORT_FLAGS);
  if (values['help']) {
    io.out(TRACES_HELP);
    return 0;
  }
  const { rpt, progress } = await openReport('traces', positionals, values, io);
  const traces = tracesReport(rpt);
  progress.done();
  for (const w of rpt.warnings) warn(io, w);
  if (values['json']) {
    printJson(io, { labels: traces.labels, sampleType: rpt.sampleType, unit: rpt.sampleUnit, traces: traces.traces });
  } else io.out(traces.text);
  return 0;
}
