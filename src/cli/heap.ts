import { analyzeHeap, compareHeapRuns, type Snapshot } from '../analyze/heap/index.js';
import { admitExpvarOrProfile, decodeExpvarMemStats, sniffExpvar } from '../formats/expvar/index.js';
import type { MemStats } from '../model/profile.js';
import { heapText } from '../present/text/heap.js';
import { INPUT_FLAGS, parse, positiveInteger, UsageError } from './args.js';
import { printJson, styleOf, type Io } from './io.js';
import { Inputs, INPUT_HELP } from './input/index.js';
import { decodeProfileFile, warner, type Warn } from './load.js';
import { Progress } from './progress.js';
import { exitForFindings, failOnThreshold, FAIL_ON_FLAG, FAIL_ON_HELP } from './fail-on.js';
import { COMPARE_FLAG, COMPARE_HELP, printComparison, readCompared } from './compare.js';

export const HEAP_HELP = `footprint heap — read heap profiles together: leaks, churn, retained buffers, MemStats

Usage: footprint heap [flags] FILE...
       footprint heap --compare [flags] OLD NEW

FILE is a heap or allocs profile (proto or ?debug=1 text, gzipped or not) or an
expvar /debug/vars JSON document. One profile gets the cross-reading of inuse
and alloc, bytes and objects, per line and per function; several profiles of
one process are put in time order (from their timestamps) and their trend is
read on top. MemStats come from expvar or from the debug=1 footer. Profiles of
different processes (two runs, two builds) have no trend: only the latest is
read, and --compare says what changed between them.

Flags:
  --nodecount=N   sites to list (default 15)
  --json          { findings, sites, functions, memstats?, memory?, trend? }
                  (with --compare: { before, after, headlines, findings, counts })
${COMPARE_HELP}
${FAIL_ON_HELP}

${INPUT_HELP}

Examples:
  for i in 1 2 3 4 5 6; do curl -so heap.$i.pb.gz localhost:6060/debug/pprof/heap; sleep 30; done
  footprint heap heap.*.pb.gz
  footprint heap heap.pb.gz vars.json
  footprint heap --json heap.*.pb.gz | jq '.findings[0]'
  footprint heap --compare --fail-on high before.pb.gz after.pb.gz
`;

const FLAGS = { nodecount: { type: 'string' }, ...INPUT_FLAGS, ...FAIL_ON_FLAG, ...COMPARE_FLAG } as const;

export async function runHeap(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, FLAGS);
  if (values['help']) {
    io.out(HEAP_HELP);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('expects heap profiles (and optionally an expvar JSON); footprint heap --help');
  const nodecount = positiveInteger(values, 'nodecount', 15);
  const failOn = failOnThreshold(values);
  const json = values['json'] === true;
  const progress = Progress.for(io, json);
  const inputs = Inputs.fromFlags(values, positionals);
  const warn = warner(io, 'heap');
  if (values['compare']) {
    const [before, after] = await readCompared('heap', positionals, progress, inputs, (spec) =>
      inputs.decode(spec, admitExpvarOrProfile, (bytes, file) => analyzeHeap({ snapshots: [toSnapshot(bytes, file, warn)] })),
    );
    return printComparison(io, 'heap', compareHeapRuns(before, after), { json, failOn });
  }
  const snapshots: Snapshot[] = [];
  let memStats: { source: string; stats: MemStats } | undefined;
  for (const spec of positionals) {
    progress.phase(`reading ${inputs.name(spec)}`);
    const { name, bytes } = await inputs.read(spec, admitExpvarOrProfile);
    if (sniffExpvar(bytes)) memStats = { source: name, stats: decodeExpvarMemStats(bytes, name) };
    else snapshots.push(toSnapshot(bytes, name, warn));
  }
  if (snapshots.length === 0) throw new UsageError('no heap profile among the files (an expvar JSON alone has no sites)');
  progress.phase('analysing');
  const analysis = analyzeHeap({ snapshots, ...(memStats ? { memStats } : {}) });
  progress.done();
  for (const w of analysis.warnings) warn(w);
  if (json) printJson(io, analysis);
  else io.out(heapText(analysis, nodecount, styleOf(io)));
  return exitForFindings(io, 'heap', failOn, analysis.findings);
}

function toSnapshot(bytes: Uint8Array, file: string, warn: Warn): Snapshot {
  const profile = decodeProfileFile(bytes, file, warn);
  return { profile, source: file, atMs: profile.timeNanos > 0n ? Number(profile.timeNanos / 1_000_000n) : null };
}
