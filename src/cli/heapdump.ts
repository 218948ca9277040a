import { analyzeHeapDump, type HeapDumpAnalysis } from '../analyze/heapdump/index.js';
import { readElfSymbols } from '../formats/gobinary/elf-symbols.js';
import { FormatError } from '../formats/errors.js';
import { admitHeapDump, decodeHeapDump } from '../formats/heapdump/index.js';
import { bytesAccess, fileAccess, type RandomAccess } from '../formats/random-access.js';
import type { HeapDump } from '../model/heapdump.js';
import type { SymbolTable } from '../model/symbols.js';
import { formatBytes } from '../model/units.js';
import { heapDumpText, TEXT_RETAINERS } from '../present/text/heapdump.js';
import { INPUT_FLAGS, parse, positiveInteger, UsageError } from './args.js';
import { exitForFindings, failOnThreshold, FAIL_ON_FLAG, FAIL_ON_HELP } from './fail-on.js';
import { printJson, styleOf, type Io } from './io.js';
import { writeOutput } from './output.js';
import { Progress } from './progress.js';
import { Inputs, INPUT_HELP } from './input/index.js';

export const HEAPDUMP_HELP = `footprint heapdump — what keeps memory alive: retained sizes and reference chains from a heap dump

Usage: footprint heapdump [flags] DUMP

DUMP is a file written by runtime/debug.WriteHeapDump (Go 1.22 to 1.26 write the
"go1.7 heap dump" format). A plain file is read in place, as a stream; a gzipped,
piped (-) or fetched one is read into memory first (up to 2 GiB).
Every object reachable from a root (globals, goroutine stacks, finalizers) is
charged to the root that alone keeps it (the dominator tree); objects several
roots reach are shown as held by all of them; unreachable objects (allocated
since the last GC) are garbage, never counted as retained. With
runtime.MemProfileRate = 1 every object carries its allocation site.

Flags:
  --binary EXE  the executable that wrote the dump (ELF): names globals
                (main.cache instead of bss+0x300) and the function that started
                each goroutine; a different binary is refused
  --top N       retainers to report (default ${TEXT_RETAINERS} in text, 20 in --json)
  --html FILE   write a page: the retainers and an expandable dominator tree
  --json        { dump, objects, reachableBytes, garbageBytes, retainers: [{ root,
                retainedBytes, chain, ... }], garbageSites, findings, tree, notes }
${FAIL_ON_HELP}

${INPUT_HELP}

Writing a dump (it stops the world for the whole write; see the README):
  f, _ := os.Create("/tmp/heap.dump"); runtime.GC(); debug.WriteHeapDump(f.Fd()); f.Close()

Examples:
  footprint heapdump --binary ./server /tmp/heap.dump
  footprint heapdump --binary ./server --html heap.html heap.dump.gz
  footprint heapdump --json heap.dump | jq '.retainers[0] | {root: .root.name, retainedBytes}'
  footprint heapdump --fail-on medium heap.dump   # exit 1 when one root keeps >= 20% of the heap
`;

const FLAGS = { binary: { type: 'string' }, html: { type: 'string' }, top: { type: 'string' }, ...INPUT_FLAGS, ...FAIL_ON_FLAG } as const;

export async function runHeapDump(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, FLAGS);
  if (values['help']) {
    io.out(HEAPDUMP_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('expects one heap dump (footprint heapdump --help)');
  const json = values['json'] === true;
  const failOn = failOnThreshold(values);
  const top = positiveInteger(values, 'top', json ? 20 : TEXT_RETAINERS);
  const binary = values['binary'] as string | undefined;
  const inputs = Inputs.fromFlags(values, [positionals[0]]);
  const symbols = binary !== undefined ? loadSymbols(inputs, binary) : undefined;
  const progress = Progress.for(io, json);
  const { name: file, input } = await openDump(inputs, positionals[0]!, progress);
  const analysis = analyze(file, input, symbols, binary, top, progress);
  progress.done();
  if (json) printJson(io, analysis);
  else io.out(heapDumpText(analysis, file, styleOf(io), top));
  const html = values['html'] as string | undefined;
  let written = 0;
  if (html !== undefined) {
    // The page renderer is loaded only when a page is asked for.
    const { renderHeapDumpPage } = await import('../present/html/heapdump-page.js');
    written = writeOutput(io, 'heapdump', html, renderHeapDumpPage(analysis, file), !json);
  }
  return exitForFindings(io, 'heapdump', failOn, analysis.findings, written);
}

function analyze(file: string, input: RandomAccess, symbols: SymbolTable | undefined, binary: string | undefined, top: number, progress: Progress): HeapDumpAnalysis {
  let dump: HeapDump;
  try {
    progress.phase(`reading ${file}`);
    dump = decodeHeapDump(input, { source: file, onProgress: (bytes) => progress.phase(`reading ${file}: ${formatBytes(bytes)} of ${formatBytes(input.size)}`) });
  } finally {
    input.close();
  }
  try {
    return analyzeHeapDump(dump, { ...(symbols ? { symbols } : {}), ...(binary ? { binary } : {}), top, onPhase: (what) => progress.phase(what) });
  } catch (err) {
    // The analysis finds what only a whole dump shows (objects that overlap); name the file.
    if (err instanceof FormatError) throw err.withSource(file);
    throw err;
  }
}

/** A plain file is read in place, piece by piece; a gzipped, piped or fetched one is read into memory first (within its limit). */
async function openDump(inputs: Inputs, spec: string, progress: Progress): Promise<{ name: string; input: RandomAccess }> {
  if (inputs.inPlace(spec)) return { name: spec, input: fileAccess(spec) };
  progress.phase(`reading ${inputs.name(spec)} into memory`);
  const { name, bytes } = await inputs.read(spec, admitHeapDump);
  return { name, input: bytesAccess(bytes) };
}

/** The executable's symbol table, read in place (only its section headers and symbols). */
function loadSymbols(inputs: Inputs, binary: string): SymbolTable {
  if (!inputs.inPlace(binary)) throw new FormatError('--binary reads the executable in place: give a plain file (not gzip, a pipe or a URL)', binary);
  const input = fileAccess(binary);
  try {
    return readElfSymbols(input);
  } catch (err) {
    if (err instanceof FormatError) throw err.withSource(binary);
    throw err;
  } finally {
    input.close();
  }
}
