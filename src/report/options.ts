import type { Granularity } from './nodes.js';

/** The report commands that print pprof-compatible text. */
export type ReportCommand = 'top' | 'peek' | 'traces';

/**
 * Report options, named after pprof's flags (google/pprof internal/driver/config.go).
 * Every field is optional; `resolveOptions` fills pprof's defaults.
 */
export interface ReportOptions {
  /** Sample type by name ("alloc_space", "inuse_objects", …) or index; empty for pprof's default choice. */
  sampleIndex?: string;
  /** Report the average value per sample (value / value[0]). */
  mean?: boolean;
  granularity?: Granularity;
  noInlines?: boolean;
  showColumns?: boolean;
  /** Sort by cumulative value instead of flat. */
  cum?: boolean;
  /** Rows to show; -1 means the command's default (all for top). */
  nodeCount?: number;
  /** Drop rows whose |cum| is below this fraction of the total. */
  nodeFraction?: number;
  edgeFraction?: number;
  /** Set false to turn off nodecount/nodefraction/edgefraction trimming. */
  trim?: boolean;
  focus?: string;
  ignore?: string;
  hide?: string;
  show?: string;
  showFrom?: string;
  /** Keep samples whose labels match: "key=regexp", "regexp" (against key:value) or a numeric range like "bytes=1kb:". */
  tagFocus?: string;
  /** Drop samples whose labels match (same syntax as tagFocus). */
  tagIgnore?: string;
  /** "minimum" (pprof's default), "auto", or a unit such as "MB" or "ms". */
  unit?: string;
  divideBy?: number;
  dropNegative?: boolean;
  /** Percentages relative to the focused total instead of the whole profile. */
  relativePercentages?: boolean;
}

type FilterKey = 'focus' | 'ignore' | 'hide' | 'show' | 'showFrom' | 'tagFocus' | 'tagIgnore';

export type ResolvedOptions = Required<Omit<ReportOptions, FilterKey>> &
  Pick<ReportOptions, FilterKey>;

export const DEFAULT_OPTIONS: ResolvedOptions = {
  sampleIndex: '',
  mean: false,
  granularity: 'functions',
  noInlines: false,
  showColumns: false,
  cum: false,
  nodeCount: -1,
  nodeFraction: 0.005,
  edgeFraction: 0.001,
  trim: true,
  unit: 'minimum',
  divideBy: 1,
  dropNegative: false,
  relativePercentages: false,
};

/** pprof's applyCommandOverrides: per-command defaults and forced settings. */
export function resolveOptions(command: ReportCommand, options: ReportOptions): ResolvedOptions {
  const o: ResolvedOptions = { ...DEFAULT_OPTIONS };
  for (const [k, v] of Object.entries(options)) if (v !== undefined) (o as unknown as Record<string, unknown>)[k] = v;
  let trim = o.trim;
  if (command === 'peek') trim = false;
  if (command === 'top' && o.nodeCount === -1) o.nodeCount = 0;
  if (command !== 'top' && o.nodeCount === -1) o.nodeCount = 80;
  if (!trim) {
    o.nodeCount = 0;
    o.nodeFraction = 0;
    o.edgeFraction = 0;
  }
  return o;
}
