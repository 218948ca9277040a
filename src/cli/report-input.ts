import { Report } from '../report/report.js';
import type { ReportCommand } from '../report/options.js';
import { reportOptions, type ParsedValues } from './args.js';
import { loadReportInput, warner } from './load.js';
import type { Io } from './io.js';
import { Progress } from './progress.js';

/**
 * What every pprof-style command does first: load the profiles named on the
 * command line (with --base/--diff_base), then set up the report from the
 * pprof flags. Progress goes to a terminal only, never under --json;
 * warnings (`name` is the command's) to stderr.
 */
export async function openReport(
  command: ReportCommand,
  files: string[],
  values: ParsedValues,
  io: Io,
  name: string = command,
): Promise<{ rpt: Report; progress: Progress; files: string[] }> {
  const progress = Progress.for(io, values['json'] === true);
  const { profile, files: profiles } = await loadReportInput(files, values, progress, warner(io, name));
  progress.phase('building the report');
  return { rpt: new Report(profile, command, reportOptions(values)), progress, files: profiles };
}
