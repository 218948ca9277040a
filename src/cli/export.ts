import { INPUT_HELP } from './input/index.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeProfileProto } from '../formats/pprof/encode.js';
import { collapsedText, filteredProfile, foldStacks, speedscopeFile } from '../report/export.js';
import { parse, REPORT_FLAGS, UsageError, type ParsedValues } from './args.js';
import { printJson, warn, type Io } from './io.js';
import { openReport } from './report-input.js';

export const EXPORT_HELP = `footprint export — write a profile for other tools: pprof proto, folded stacks, speedscope

Usage: footprint export --format=proto|collapsed|speedscope [--output FILE] [flags] [binary] PROFILE...

Formats:
  proto       gzipped profile.proto, as go tool pprof -proto writes it: the sources merged,
              --base/--diff_base applied (diff_base samples keep the pprof::base label, so
              go tool pprof reads the file back as the same comparison), filters applied,
              every sample type kept. Needs --output.
  collapsed   Brendan Gregg's folded stacks, "root;caller;callee value", one line per
              distinct stack, sorted; inlined frames expanded. Comparisons keep negative
              values. Feeds flamegraph.pl, inferno, speedscope.
  speedscope  speedscope's JSON file format (https://www.speedscope.app). Weights cannot be
              negative, so a comparison with shrinking stacks is refused.

Flags:
  --format=F             proto, collapsed or speedscope (required)
  --output=FILE, -o FILE where to write; collapsed and speedscope go to stdout without it
  --json                 print {format, output, samples, bytes} on stdout (needs --output)
Sample:       --sample_index=NAME|N  --inuse_space --inuse_objects --alloc_space
              --alloc_objects --total_delay --contentions  (collapsed, speedscope;
              proto keeps every sample type)
Filters:      --focus=RE --ignore=RE --hide=RE --show=RE --show_from=RE  --noinlines
Compare:      --base=FILE  --diff_base=FILE  --normalize
${INPUT_HELP}

Examples:
  footprint export --format=collapsed heap.pb.gz | flamegraph.pl > heap.svg
  footprint export --format=speedscope -sample_index=alloc_space -o allocs.speedscope.json heap.pb.gz
  footprint export --format=proto --diff_base=before.pb.gz -o diff.pb.gz after.pb.gz
  go tool pprof -top diff.pb.gz
`;

const FORMATS = ['proto', 'collapsed', 'speedscope'] as const;
type ExportFormat = (typeof FORMATS)[number];

const PASSED_REPORT_FLAGS = [
  'sample_index', 'inuse_space', 'inuse_objects', 'alloc_space', 'alloc_objects', 'total_delay', 'contentions',
  'focus', 'ignore', 'hide', 'show', 'show_from', 'noinlines', 'base', 'diff_base', 'normalize', 'seconds', 'timeout',
];

export const EXPORT_FLAGS: typeof REPORT_FLAGS = {
  ...Object.fromEntries(PASSED_REPORT_FLAGS.map((f) => [f, REPORT_FLAGS[f]!])),
  format: { type: 'string' },
  output: { type: 'string', short: 'o' },
};

function formatOf(values: ParsedValues): ExportFormat {
  const f = values['format'];
  if (f === undefined) throw new UsageError(`--format is required: one of ${FORMATS.join(', ')}`);
  const found = FORMATS.find((x) => x === f);
  if (!found) throw new UsageError(`unknown --format ${JSON.stringify(f)}: want one of ${FORMATS.join(', ')}`);
  return found;
}

function exporterName(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    return `footprint ${pkg.version}`;
  } catch {
    return 'footprint';
  }
}

export async function runExport(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, EXPORT_FLAGS);
  if (values['help']) {
    io.out(EXPORT_HELP);
    return 0;
  }
  const format = formatOf(values);
  const rawOutput = values['output'] as string | undefined;
  const output = rawOutput === '-' ? undefined : rawOutput;
  const json = values['json'] === true;
  if (format === 'proto' && output === undefined) {
    throw new UsageError('--format=proto writes binary data; give --output FILE (e.g. -o profile.pb.gz)');
  }
  if (json && output === undefined) throw new UsageError('--json prints a summary on stdout, so the export needs --output FILE');
  const { rpt, progress, files } = await openReport('traces', positionals, values, io, 'export');
  let data: Uint8Array | string;
  let samples: number;
  if (format === 'proto') {
    const p = filteredProfile(rpt);
    progress.phase('encoding');
    data = gzipSync(encodeProfileProto(p));
    samples = p.samples.count;
  } else {
    const folded = foldStacks(rpt);
    if (format === 'speedscope' && folded.negative > 0) {
      throw new UsageError(
        `speedscope cannot show negative weights, and ${folded.negative} stacks of this comparison shrank; ` +
          'use --format=collapsed (keeps negative values) or --format=proto (go tool pprof reads it as a diff)',
      );
    }
    samples = folded.stacks.length;
    if (format === 'collapsed') data = collapsedText(folded);
    else {
      const name = `${files.map((f) => basename(f)).join(', ')} ${rpt.sampleType}`;
      data = JSON.stringify(speedscopeFile(folded, { name, unit: rpt.sampleUnit, exporter: exporterName() })) + '\n';
    }
  }
  progress.done();
  for (const w of rpt.warnings) warn(io, w);
  const bytes = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
  if (typeof data === 'string' && output === undefined) io.out(data);
  else if (output !== undefined) {
    try {
      writeFileSync(output, data);
    } catch (err) {
      throw new UsageError(`cannot write ${output}: ${(err as Error).message}`);
    }
  }
  if (json) printJson(io, { format, output: output ?? null, samples, bytes });
  return 0;
}
