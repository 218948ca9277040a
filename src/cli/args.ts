import { parseArgs, type ParseArgsConfig } from 'node:util';
import { FootprintError } from '../model/errors.js';
import type { ReportOptions } from '../report/options.js';
import type { Granularity } from '../report/nodes.js';

/** Bad usage: reported as one line on stderr with exit code 2. */
export class UsageError extends FootprintError {
  override name = 'UsageError';
}

type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** How inputs given as URLs are fetched, with pprof's flag names (cli/input). */
export const INPUT_FLAGS = {
  seconds: { type: 'string' },
  timeout: { type: 'string' },
} as const satisfies OptionSpec;

/** pprof's report flags, accepted with one dash or two, as pprof users type them. */
export const REPORT_FLAGS: OptionSpec = {
  ...INPUT_FLAGS,
  sample_index: { type: 'string' },
  mean: { type: 'boolean' },
  inuse_space: { type: 'boolean' },
  inuse_objects: { type: 'boolean' },
  alloc_space: { type: 'boolean' },
  alloc_objects: { type: 'boolean' },
  total_delay: { type: 'boolean' },
  contentions: { type: 'boolean' },
  mean_delay: { type: 'boolean' },
  functions: { type: 'boolean' },
  filefunctions: { type: 'boolean' },
  files: { type: 'boolean' },
  lines: { type: 'boolean' },
  addresses: { type: 'boolean' },
  noinlines: { type: 'boolean' },
  showcolumns: { type: 'boolean' },
  cum: { type: 'boolean' },
  flat: { type: 'boolean' },
  nodecount: { type: 'string' },
  nodefraction: { type: 'string' },
  edgefraction: { type: 'string' },
  trim: { type: 'string' },
  focus: { type: 'string' },
  ignore: { type: 'string' },
  hide: { type: 'string' },
  show: { type: 'string' },
  show_from: { type: 'string' },
  tagfocus: { type: 'string' },
  tagignore: { type: 'string' },
  unit: { type: 'string' },
  divide_by: { type: 'string' },
  drop_negative: { type: 'boolean' },
  relative_percentages: { type: 'boolean' },
  base: { type: 'string', multiple: true },
  diff_base: { type: 'string', multiple: true },
  normalize: { type: 'boolean' },
};

export const COMMON_FLAGS: OptionSpec = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  debug: { type: 'boolean' },
};

/**
 * pprof users type `-sample_index=alloc_space`; node's parser would read that
 * as a cluster of short flags. Long flags written with one dash get a second.
 */
export function normalizeDashes(argv: readonly string[]): string[] {
  return argv.map((a) => (/^-[a-z_]{2,}(=|$)/.test(a) ? `-${a}` : a));
}

export type ParsedValues = Record<string, string | boolean | string[] | undefined>;

export function parse(argv: readonly string[], options: OptionSpec): { values: ParsedValues; positionals: string[] } {
  let parsed: ReturnType<typeof parseArgs<{ options: OptionSpec; allowPositionals: true; strict: true; tokens: true }>>;
  try {
    parsed = parseArgs({ args: normalizeDashes(argv), options: { ...COMMON_FLAGS, ...options }, allowPositionals: true, strict: true, tokens: true });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]!);
  }
  const values = parsed.values as ParsedValues;
  lastOfSortFlagsWins(values, parsed.tokens);
  return { values, positionals: parsed.positionals };
}

/**
 * pprof's -flat and -cum choose one sort order, and the later on the command
 * line wins (`-cum -flat` sorts by flat, the default). Only `cum` is kept.
 */
function lastOfSortFlagsWins(values: ParsedValues, tokens: readonly { kind: string; name?: string }[]): void {
  if (!values['flat']) return;
  const last = tokens.filter((t) => t.kind === 'option' && (t.name === 'flat' || t.name === 'cum')).at(-1);
  if (last?.name === 'flat') delete values['cum'];
  delete values['flat'];
}

/** A count flag (`--nodecount=N`, `--top N`): a whole number ≥ 1, or `fallback` when absent. */
export function positiveInteger(values: ParsedValues, key: string, fallback: number): number {
  const v = values[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'string' || !/^\d+$/.test(v) || Number(v) === 0) throw new UsageError(`--${key} must be a positive integer, got ${JSON.stringify(v)}`);
  return Number(v);
}

/** A whole number ≥ 0, or `fallback` when absent. */
export function wholeNumber(values: ParsedValues, key: string, fallback: number): number {
  const v = values[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'string' || !/^\d+$/.test(v)) throw new UsageError(`--${key} must be a whole number, got ${JSON.stringify(v)}`);
  return Number(v);
}

/** A row limit where 0 means "no limit" (`--limit 0`): Infinity for 0, `fallback` when absent. */
export function rowLimit(values: ParsedValues, key: string, fallback: number): number {
  const v = values[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'string' || !/^\d+$/.test(v)) throw new UsageError(`--${key} must be a whole number (0 for all), got ${JSON.stringify(v)}`);
  return Number(v) === 0 ? Infinity : Number(v);
}

function num(values: ParsedValues, key: string, integer: boolean): number | undefined {
  const v = values[key];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    throw new UsageError(`--${key} wants ${integer ? 'an integer' : 'a number'}, got ${JSON.stringify(v)}`);
  }
  return n;
}

const GRANULARITIES: Granularity[] = ['functions', 'filefunctions', 'files', 'lines', 'addresses'];

/** Turns parsed pprof flags into ReportOptions, applying pprof's alias rules. */
export function reportOptions(values: ParsedValues): ReportOptions {
  const o: ReportOptions = {};
  let si = values['sample_index'] as string | undefined;
  const alias = (flag: string, index: string) => {
    if (!values[flag]) return;
    if (si !== undefined && si !== index) throw new UsageError(`-${flag} conflicts with -sample_index=${si}`);
    si = index;
  };
  alias('total_delay', 'delay');
  alias('mean_delay', 'delay');
  alias('contentions', 'contentions');
  alias('inuse_space', 'inuse_space');
  alias('inuse_objects', 'inuse_objects');
  alias('alloc_space', 'alloc_space');
  alias('alloc_objects', 'alloc_objects');
  if (si !== undefined) o.sampleIndex = si;
  if (values['mean'] || values['mean_delay']) o.mean = true;
  const grains = GRANULARITIES.filter((g) => values[g]);
  if (grains.length > 1) throw new UsageError(`only one of ${grains.map((g) => '--' + g).join(', ')} may be given`);
  if (grains[0]) o.granularity = grains[0];
  if (values['noinlines']) o.noInlines = true;
  if (values['showcolumns']) o.showColumns = true;
  if (values['cum']) o.cum = true;
  const nodeCount = num(values, 'nodecount', true);
  if (nodeCount !== undefined) o.nodeCount = nodeCount;
  const nodeFraction = num(values, 'nodefraction', false);
  if (nodeFraction !== undefined) o.nodeFraction = nodeFraction;
  const edgeFraction = num(values, 'edgefraction', false);
  if (edgeFraction !== undefined) o.edgeFraction = edgeFraction;
  if (values['trim'] !== undefined) o.trim = !/^(false|0|f)$/i.test(values['trim'] as string);
  for (const [flag, key] of [
    ['focus', 'focus'],
    ['ignore', 'ignore'],
    ['hide', 'hide'],
    ['show', 'show'],
    ['show_from', 'showFrom'],
    ['tagfocus', 'tagFocus'],
    ['tagignore', 'tagIgnore'],
  ] as const) {
    const v = values[flag];
    if (typeof v === 'string' && v !== '') o[key] = v;
  }
  if (typeof values['unit'] === 'string') o.unit = values['unit'];
  const divideBy = num(values, 'divide_by', false);
  if (divideBy !== undefined) o.divideBy = divideBy;
  if (values['drop_negative']) o.dropNegative = true;
  if (values['relative_percentages']) o.relativePercentages = true;
  return o;
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration flag in Go's spelling (`30s`, `1m30s`, `500ms`) or plain seconds (`30`), in ms; `fallback` when absent. */
export function durationMs(values: ParsedValues, key: string, fallback: number): number {
  const v = values[key];
  if (v === undefined) return fallback;
  const text = typeof v === 'string' ? v.trim() : '';
  if (/^\d+(?:\.\d+)?$/.test(text)) return Number(text) * 1000;
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  if (text === '' || parts.map((p) => p[0]).join('') !== text) throw new UsageError(`--${key} wants a duration such as 30s, 2m, 1m30s or 7d, got ${JSON.stringify(v)}`);
  return parts.reduce((ms, p) => ms + Number(p[1]) * DURATION_UNITS[p[2]!]!, 0);
}

/** `Name: value`, as curl -H takes it. */
export function parseHeaders(given: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of Array.isArray(given) ? given : []) {
    const m = /^([^:\s]+):\s*(.*)$/.exec(String(h));
    if (!m) throw new UsageError(`--header wants 'Name: value', got ${JSON.stringify(h)}`);
    out[m[1]!] = m[2]!;
  }
  return out;
}
