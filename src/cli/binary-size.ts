import { analyzeBinary, diffBinaries, type BinaryAnalysis } from '../analyze/binary/index.js';
import { readBinaryImageFile } from '../formats/gobinary/image.js';
import { renderBinaryPage } from '../present/html/binary-page.js';
import { binaryDiffText, binaryText } from '../present/text/binary.js';
import { parse, positiveInteger, UsageError } from './args.js';
import { exitForFindings, failOnThreshold, FAIL_ON_FLAG, FAIL_ON_HELP } from './fail-on.js';
import { printJson, styleOf, type Io } from './io.js';
import { writeOutput } from './output.js';
import { Progress } from './progress.js';

export const BINARY_HELP = `footprint binary — where the bytes of a Go executable go

Usage: footprint binary [flags] FILE
       footprint binary [flags] --diff_base OLD NEW

FILE is a Go executable built by Go 1.18 or later, stripped (-ldflags="-s -w")
or not: ELF (Linux and other Unixes), Mach-O (macOS, 64-bit) or PE (Windows,
64-bit). Every byte of the file is charged once: to a
package (its functions' machine code, their entries in the runtime's pclntab
and funcdata, its data symbols when a symbol table is there) or to a named
part (headers, DWARF, the symbol table, type descriptors, string literals,
what is left of a section). Packages and parts add up to the file size.

Flags:
  --diff_base OLD    compare OLD with FILE: sections, packages and functions that grew, shrank, appeared, vanished
  --rows N           rows per table on the terminal (default 20; --json always has every row)
  --html FILE        write a page with a treemap of packages and their functions
  --json             { file, format, bytes, goVersion, sections, packages, parts, functions,
                       strippedBytes (null, with strippedUnknown saying why, where not estimated),
                       trimpathSavings, buildInfo, findings }; with --diff_base, { base, next, delta,
                       sections, packages, functions }
${FAIL_ON_HELP}

Examples:
  footprint binary ./server
  footprint binary --json ./server | jq '.packages[:5]'
  footprint binary --diff_base server.v1 server.v2
  footprint binary --html size.html "$(go env GOTOOLDIR)/compile"
`;

const FLAGS = {
  diff_base: { type: 'string' },
  rows: { type: 'string' },
  html: { type: 'string' },
  ...FAIL_ON_FLAG,
} as const;

export function runBinary(argv: string[], io: Io): number {
  const { values, positionals } = parse(argv, FLAGS);
  if (values['help']) {
    io.out(BINARY_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('expects one Go executable (footprint binary --help)');
  const json = values['json'] === true;
  const rows = positiveInteger(values, 'rows', 20);
  const failOn = failOnThreshold(values);
  const progress = Progress.for(io, json);
  const read = (file: string): BinaryAnalysis => {
    progress.phase(`reading ${file}`);
    return analyzeBinary(readBinaryImageFile(file), file);
  };
  const baseFile = values['diff_base'] as string | undefined;
  const html = values['html'] as string | undefined;
  if (baseFile !== undefined && html !== undefined) throw new UsageError('--html draws one binary: leave it out with --diff_base');
  const base = baseFile === undefined ? undefined : read(baseFile);
  const analysis = read(positionals[0]!);
  progress.done();
  if (base) {
    const diff = diffBinaries(base, analysis);
    if (json) printJson(io, diff);
    else io.out(binaryDiffText(diff, styleOf(io), rows));
    return 0;
  }
  if (json) printJson(io, analysis);
  else io.out(binaryText(analysis, styleOf(io), rows));
  const written = html === undefined ? 0 : writeOutput(io, 'binary', html, renderBinaryPage(analysis), !json);
  return exitForFindings(io, 'binary', failOn, analysis.findings, written);
}
