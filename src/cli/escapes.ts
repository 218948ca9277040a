import { allocIndexes, analyzeEscapes } from '../analyze/escapes/index.js';
import { WrongInputError } from '../model/errors.js';
import { escapesText } from '../present/text/escapes.js';
import { INPUT_FLAGS, parse, rowLimit, UsageError } from './args.js';
import { loadEscapeOutput } from './escapes-input.js';
import { printJson, styleOf, type Io } from './io.js';
import { Inputs, INPUT_HELP } from './input/index.js';
import { loadProfile, warner, type Warn } from './load.js';
import { exitForFindings, failOnThreshold, FAIL_ON_FLAG, FAIL_ON_HELP } from './fail-on.js';

export const ESCAPES_HELP = `footprint escapes — the compiler's escape decisions, ranked by the bytes they cost

Usage: footprint escapes [flags] OUTPUT

OUTPUT is what go build prints with -gcflags=-m or -gcflags=-m=2 (stderr as is,
# pkg headers and other messages included), a -gcflags=-json=0,DIR folder or one
of its files, or - for stdin. The form is recognised from the content.

Without --profile: a summary by package, file and function, and the causes
(interface conversion, closure capture, too large for the stack, size not known
at compile time, append growth …). With --profile: every escape site is joined
with the alloc_space/alloc_objects the profile puts on its line (inlined copies
included), ranked by bytes, with the allocation lines no escape explains, the
share from interface conversions and reflect, and escape-hotspot findings.

Flags:        --profile=FILE  a heap or allocs profile (proto or legacy text)
              --top=N         ranked rows to print (default 15; 0 for all)
Output:       --json          { summary, sites, findings, join?, amplification? }; sites ordered by allocBytes with --profile
${FAIL_ON_HELP.replace(/^  /, '              ')}
${INPUT_HELP}

Examples:
  go build -gcflags=-m=2 ./cmd/server 2> escapes.txt
  footprint escapes escapes.txt
  footprint escapes escapes.txt --profile allocs.pb.gz
  go build -gcflags='example.com/server=-json=0,/tmp/esc' ./cmd/server
  footprint escapes /tmp/esc --profile heap.pb.gz --json | jq '.sites[:5]'
  go build -gcflags=-m ./... 2>&1 | footprint escapes -
`;

const FLAGS = { profile: { type: 'string' as const }, top: { type: 'string' as const }, ...INPUT_FLAGS, ...FAIL_ON_FLAG };

export async function runEscapes(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, FLAGS);
  if (values['help']) {
    io.out(ESCAPES_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('want exactly one escape output (file, -json folder or -)');
  const top = rowLimit(values, 'top', 15);
  const failOn = failOnThreshold(values);
  const inputs = Inputs.fromFlags(values, [...positionals, values['profile'] as string | undefined]);
  const report = await loadEscapeOutput(inputs, positionals[0]!);
  const profileSpec = values['profile'] as string | undefined;
  const analysis = analyzeEscapes(report, profileSpec === undefined ? undefined : await loadAllocs(inputs, profileSpec, warner(io, 'escapes')));
  if (values['json']) printJson(io, analysis);
  else io.out(escapesText(report, analysis, profileSpec === undefined ? undefined : inputs.name(profileSpec), top, styleOf(io)));
  return exitForFindings(io, 'escapes', failOn, analysis.findings);
}

async function loadAllocs(inputs: Inputs, spec: string, warn: Warn) {
  const profile = await loadProfile(inputs, spec, undefined, warn);
  const indexes = allocIndexes(profile);
  if (!indexes) throw new WrongInputError('has no alloc_space/alloc_objects: give a heap or allocs profile', inputs.name(spec));
  return { profile, indexes };
}
