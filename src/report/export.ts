import { printable } from '../model/printable.js';
import { MAX_EXACT, type Profile } from '../model/profile.js';
import { pickValues } from '../model/transform.js';
import { FrameTable, type Frame } from './frames.js';
import { ReportError, type Report } from './report.js';

/**
 * Exports of a report's profile to other tools: the filtered profile itself
 * (for profile.proto), Brendan Gregg's folded stacks, and speedscope's file
 * format. Frames are functions (pprof's default granularity), with inlined
 * frames expanded unless the report says --noinlines.
 */

/** Frames and the distinct stacks of a report, summed, for one sample type. */
export interface FoldedStacks {
  frames: Frame[];
  /** Distinct stacks as frame indexes, root first, sorted by their folded text; zero sums are left out. */
  stacks: number[][];
  values: number[];
  /**
   * The sums exactly, when they can pass 2^53 (`values` then holds the
   * doubles nearest them); absent otherwise.
   */
  exact?: bigint[];
  /** Sum of `values`. */
  total: number;
  /** How many stacks have a negative sum (only in a --base/--diff_base comparison). */
  negative: number;
}

/** Collects the report's samples into distinct stacks of function frames, summing the selected value. */
export function foldStacks(rpt: Report): FoldedStacks {
  const table = new FrameTable(rpt.profile);
  // Summed in bigint only when the sums can pass 2^53 (Report.computeTotal decides).
  const wide = rpt.sampleValue.limbs !== undefined;
  const sums = new Map<string, { stack: number[]; value: number; exact: bigint }>();
  const stack: number[] = [];
  for (const s of rpt.work.samples) {
    const value = rpt.sampleValue.value(s);
    if (value === 0) continue;
    const exact = wide ? rpt.exactSampleValue(s) : 0n;
    table.stackOf(rpt.work, s, rpt.options.noInlines, stack);
    if (stack.length === 0) continue;
    const key = stack.join(',');
    const e = sums.get(key);
    if (e) {
      e.value += value;
      e.exact += exact;
    } else sums.set(key, { stack: stack.slice(), value, exact });
  }
  if (wide) for (const e of sums.values()) e.value = Number(e.exact);
  const frames = table.frames;

  const rows = [...sums.values()]
    .filter((e) => (wide ? e.exact !== 0n : e.value !== 0))
    .map((e) => ({ ...e, text: e.stack.map((f) => frames[f]!.name).join(';') }))
    .sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  return {
    frames,
    stacks: rows.map((r) => r.stack),
    values: rows.map((r) => r.value),
    ...(wide ? { exact: rows.map((r) => r.exact) } : {}),
    total: wide ? Number(rows.reduce((t, r) => t + r.exact, 0n)) : rows.reduce((t, r) => t + r.value, 0),
    negative: rows.filter((r) => r.value < 0).length,
  };
}

/** A frame name made safe for the folded format: ';' separates frames and a line ends the record. */
/** A frame as folded text: `;` separates frames, so it becomes `:`; control characters are escaped (a newline would end the line). */
function foldedName(name: string): string {
  return printable(name.replace(/;/g, ':'));
}

/**
 * Folded stacks: `root;caller;callee value`, one line per distinct stack,
 * sorted. Stacks whose names fold to the same text are summed again.
 */
export function collapsedText(folded: FoldedStacks): string {
  const lines = new Map<string, number | bigint>();
  const { exact } = folded;
  folded.stacks.forEach((stack, i) => {
    const text = stack.map((f) => foldedName(folded.frames[f]!.name)).join(';');
    const sum = lines.get(text);
    if (exact) lines.set(text, ((sum as bigint | undefined) ?? 0n) + exact[i]!);
    else lines.set(text, ((sum as number | undefined) ?? 0) + folded.values[i]!);
  });
  const out = [...lines].filter(([, v]) => v !== 0 && v !== 0n).map(([text, v]) => `${text} ${v}`);
  out.sort();
  return out.length > 0 ? out.join('\n') + '\n' : '';
}

export type SpeedscopeUnit = 'none' | 'nanoseconds' | 'microseconds' | 'milliseconds' | 'seconds' | 'bytes';

export interface SpeedscopeFile {
  $schema: 'https://www.speedscope.app/file-format-schema.json';
  shared: { frames: { name: string; file?: string; line?: number }[] };
  profiles: {
    type: 'sampled';
    name: string;
    unit: SpeedscopeUnit;
    startValue: number;
    endValue: number;
    samples: number[][];
    weights: number[];
  }[];
  name: string;
  activeProfileIndex: number;
  exporter: string;
}

const SPEEDSCOPE_UNITS: Record<string, SpeedscopeUnit> = {
  bytes: 'bytes',
  byte: 'bytes',
  b: 'bytes',
  nanoseconds: 'nanoseconds',
  nanosecond: 'nanoseconds',
  ns: 'nanoseconds',
  microseconds: 'microseconds',
  microsecond: 'microseconds',
  us: 'microseconds',
  milliseconds: 'milliseconds',
  millisecond: 'milliseconds',
  ms: 'milliseconds',
  seconds: 'seconds',
  second: 'seconds',
  s: 'seconds',
};

/** Speedscope's unit for a pprof sample unit; counts and anything unknown are "none". */
export function speedscopeUnit(unit: string): SpeedscopeUnit {
  return SPEEDSCOPE_UNITS[unit.toLowerCase()] ?? 'none';
}

/** Thrown when a profile cannot be expressed in a format (e.g. negative weights in speedscope). */
export class ExportError extends ReportError {}

/** One sampled speedscope profile over the folded stacks. Speedscope has no negative weights. */
export function speedscopeFile(folded: FoldedStacks, meta: { name: string; unit: string; exporter: string }): SpeedscopeFile {
  if (folded.negative > 0) {
    throw new ExportError(`speedscope weights cannot be negative, and ${folded.negative} stacks of this comparison sum below zero`);
  }
  if (folded.total > MAX_EXACT) {
    throw new ExportError(
      'speedscope reads weights as doubles, exact only up to 2^53, and this profile\'s sums pass it: ' +
        'use --format=collapsed or --format=proto, which keep every value exactly',
    );
  }
  return {
    $schema: 'https://www.speedscope.app/file-format-schema.json',
    shared: {
      frames: folded.frames.map((f) => ({
        name: f.name,
        ...(f.file !== '' ? { file: f.file } : {}),
        ...(f.line > 0 ? { line: f.line } : {}),
      })),
    },
    profiles: [
      {
        type: 'sampled',
        name: meta.name,
        unit: speedscopeUnit(meta.unit),
        startValue: 0,
        endValue: folded.total,
        samples: folded.stacks,
        weights: folded.values,
      },
    ],
    name: meta.name,
    activeProfileIndex: 0,
    exporter: meta.exporter,
  };
}

/**
 * The report's profile as pprof -proto writes it: drop_frames pruning and the
 * focus/ignore/hide/show/show_from filters applied, every sample type kept.
 * Returns the profile itself when nothing was filtered. Sample values keep
 * their exact int64s; a profile with integers read rounded is refused.
 */
export function filteredProfile(rpt: Report): Profile {
  const p = rpt.profile;
  const w = rpt.work;
  if (p.roundedIntegers > 0) {
    throw new ExportError(
      `integers were read rounded past 2^53 (period, numeric labels, line numbers, IDs, or a text profile's values): ` +
        `${p.roundedIntegers}; the export would write different numbers`,
    );
  }
  if (untouched(rpt)) return p;
  const lineStart = new Int32Array(p.locations.count);
  const lineCount = new Int32Array(p.locations.count);
  let lines = 0;
  for (let loc = 0; loc < p.locations.count; loc++) lines += w.lineCount[loc]!;
  const fn = new Int32Array(lines);
  const ln = new Float64Array(lines);
  const col = new Float64Array(lines);
  let k = 0;
  for (let loc = 0; loc < p.locations.count; loc++) {
    lineStart[loc] = k;
    lineCount[loc] = w.lineCount[loc]!;
    for (let j = w.lineStart[loc]!, end = j + w.lineCount[loc]!; j < end; j++, k++) {
      const src = w.lineIdx[j]!;
      fn[k] = p.lines.function[src]!;
      ln[k] = p.lines.line[src]!;
      col[k] = p.lines.column[src]!;
    }
  }
  const count = w.samples.length;
  let stackLen = 0;
  for (const s of w.samples) stackLen += w.stackCount[s]!;
  const stacks = new Int32Array(stackLen);
  const locStart = new Int32Array(count);
  const locCount = new Int32Array(count);
  const labelStart = new Int32Array(count);
  const labelCount = new Int32Array(count);
  let at = 0;
  w.samples.forEach((s, i) => {
    locStart[i] = at;
    locCount[i] = w.stackCount[s]!;
    stacks.set(w.stacks.subarray(w.stackStart[s]!, w.stackStart[s]! + w.stackCount[s]!), at);
    at += w.stackCount[s]!;
    labelStart[i] = p.samples.labelStart[s]!;
    labelCount[i] = p.samples.labelCount[s]!;
  });
  return {
    ...p,
    locations: { ...p.locations, lineStart, lineCount },
    lines: { count: lines, function: fn, line: ln, column: col },
    samples: { count, locStart, locCount, ...pickValues(p, w.samples), labelStart, labelCount },
    stacks,
  };
}

function untouched(rpt: Report): boolean {
  const p = rpt.profile;
  const w = rpt.work;
  const same = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  };
  if (w.samples.length !== p.samples.count || w.stacks !== p.stacks) return false;
  for (let i = 0; i < w.samples.length; i++) if (w.samples[i] !== i) return false;
  for (let i = 0; i < w.lineIdx.length; i++) if (w.lineIdx[i] !== i) return false;
  return (
    same(w.stackStart, p.samples.locStart) &&
    same(w.stackCount, p.samples.locCount) &&
    same(w.lineStart, p.locations.lineStart) &&
    same(w.lineCount, p.locations.lineCount)
  );
}
