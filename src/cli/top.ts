import { INPUT_HELP } from './input/index.js';
import { formatTop, topReport } from '../report/top.js';
import { parse, REPORT_FLAGS } from './args.js';
import { printJson, warn, type Io } from './io.js';
import { openReport } from './report-input.js';

export const TOP_HELP = `footprint top — the flat/cum table of go tool pprof -top, with pprof's numbers

Usage: footprint top [flags] [binary] PROFILE...

Reads heap, allocs, goroutine, mutex, block profiles (proto, gzipped or not) and
legacy debug=1 text. Flags use pprof's names, with one dash or two.

Sample:       --sample_index=NAME|N  --inuse_space --inuse_objects --alloc_space
              --alloc_objects --total_delay --contentions --mean
Granularity:  --functions (default) --filefunctions --files --lines --addresses --noinlines
Sort, trim:   --cum  --nodecount=N  --nodefraction=F (0.005)  --edgefraction=F  --trim=false
Filters:      --focus=RE --ignore=RE --hide=RE --show=RE --show_from=RE --relative_percentages
Compare:      --base=FILE (subtract an earlier profile of the same process)
              --diff_base=FILE (compare two runs)  --normalize  --drop_negative
Units:        --unit=minimum|auto|B|kB|MB|ns|ms|s …  --divide_by=F
Output:       --json (rows with flat, flat%, cum, cum%, name, file, line; totals; units)
${INPUT_HELP}

Examples:
  footprint top heap.pb.gz
  footprint top -sample_index=alloc_space -lines -nodecount=20 heap.pb.gz
  footprint top --diff_base=before.pb.gz after.pb.gz
  footprint top --json mutex.pb.gz | jq '.rows[0]'
`;

export async function runTop(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, REPORT_FLAGS);
  if (values['help']) {
    io.out(TOP_HELP);
    return 0;
  }
  const { rpt, progress } = await openReport('top', positionals, values, io);
  const top = topReport(rpt);
  progress.done();
  for (const w of top.warnings) warn(io, w);
  if (values['json']) printJson(io, { ...top, sampleCount: rpt.profile.samples.count });
  else io.out(formatTop(rpt, top));
  return 0;
}
