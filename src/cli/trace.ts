import { analyzeTrace } from '../analyze/trace/index.js';
import { INPUT_FLAGS, parse, UsageError } from './args.js';
import { Inputs, INPUT_HELP } from './input/index.js';
import { formatBytes } from '../model/units.js';
import { traceText } from '../present/text/trace.js';
import { printJson, styleOf, warn, type Io } from './io.js';
import { writeOutput } from './output.js';
import { Progress } from './progress.js';
import { exitForFindings, failOnThreshold, FAIL_ON_FLAG, FAIL_ON_HELP } from './fail-on.js';

export const TRACE_HELP = `footprint trace — a Go execution trace (Go 1.22+): GC cycles and pauses, mark assists, sweep, heap, goroutines, MMU, findings

Usage: footprint trace [flags] FILE

FILE is a trace from runtime/trace, go test -trace, or /debug/pprof/trace, gzipped
or not; a pipe, - (stdin) or a URL too. It is read as a stream, one generation
(about a second of trace) at a time, whatever its length.
Traces written by Go 1.22 to 1.26 are read; older ones (Go 1.21 and before) are refused.
A trace cut off mid-batch (the process died) is decoded up to the cut, with a warning.

Flags:
  --html FILE   write a timeline: heap and goal, GC cycles, stop-the-world pauses, assists
  --json        { eventCounts, gc, heap, goroutines, mmu, findings, warnings, ... }
${FAIL_ON_HELP}

${INPUT_HELP}

Examples:
  curl -o trace.out 'http://localhost:6060/debug/pprof/trace?seconds=5'
  footprint trace trace.out
  go test -trace trace.out ./pkg && footprint trace trace.out --html trace.html
  footprint trace --json trace.out | jq '.gc.pausesMs, .eventCounts.HeapAlloc'
`;

const FLAGS = { html: { type: 'string' }, ...INPUT_FLAGS, ...FAIL_ON_FLAG } as const;

export async function runTrace(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, FLAGS);
  if (values['help']) {
    io.out(TRACE_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('expects one trace file (footprint trace --help)');
  const json = values['json'] === true;
  const failOn = failOnThreshold(values);
  const { name: file, source } = Inputs.fromFlags(values).streamed(positionals[0]!);
  const progress = Progress.for(io, json);
  progress.phase(`reading ${file}`);
  const analysis = analyzeTrace(source, {
    source: file,
    onProgress: (bytes) => progress.phase(`reading ${file}: ${formatBytes(bytes)}`),
  });
  progress.done();
  for (const w of analysis.warnings) warn(io, `footprint trace: warning: ${file}: ${w}`);
  if (json) printJson(io, analysis);
  else io.out(traceText(analysis, file, styleOf(io)));
  const html = values['html'] as string | undefined;
  let written = 0;
  if (html !== undefined) {
    // The page renderer is loaded only when a page is asked for: most runs print text or JSON.
    const { renderTracePage } = await import('../present/html/trace-page.js');
    written = writeOutput(io, 'trace', html, renderTracePage(analysis, file), !json);
  }
  return exitForFindings(io, 'trace', failOn, analysis.findings, written);
}
