import type { Finding, Severity } from '../analyze/finding.js';
import { EXIT } from '../model/errors.js';
import { UsageError, type ParsedValues } from './args.js';
import type { Io } from './io.js';

/** `--fail-on SEVERITY`: the CI gate every analysing command takes. */
export const FAIL_ON_FLAG = { 'fail-on': { type: 'string' } } as const;

export const FAIL_ON_HELP = '  --fail-on SEVERITY  exit 1 when a finding is at SEVERITY or above (high, medium, low, info): a CI gate';

const ORDER: readonly Severity[] = ['info', 'low', 'medium', 'high'];

/** The threshold --fail-on names, checked before any work is done; undefined without the flag. */
export function failOnThreshold(values: ParsedValues): Severity | undefined {
  const v = values['fail-on'];
  if (v === undefined) return undefined;
  const found = ORDER.find((s) => s === v);
  if (!found) throw new UsageError(`--fail-on wants one of ${[...ORDER].reverse().join(', ')}, got ${JSON.stringify(v)}`);
  return found;
}

/**
 * The command's exit code given its findings: 1 (with one line on stderr
 * saying why) when any is at the threshold or above, else 0. An earlier
 * failure (`code`, e.g. 2 for an --html file that could not be written) wins.
 * `what` words the findings in that line (`new or worse findings` for --compare).
 */
export function exitForFindings(io: Io, command: string, threshold: Severity | undefined, findings: readonly Finding[], code: number = EXIT.ok, what = 'finding'): number {
  if (code !== EXIT.ok || threshold === undefined) return code;
  const at = ORDER.indexOf(threshold);
  const failing = findings.filter((f) => ORDER.indexOf(f.severity) >= at);
  if (failing.length === 0) return EXIT.ok;
  io.err(`footprint ${command}: ${failing.length} ${what}${failing.length === 1 ? '' : 's'} at ${threshold} or above (--fail-on ${threshold})\n`);
  return EXIT.checkFailed;
}
