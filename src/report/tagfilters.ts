import { sampleLabels, type SampleLabels } from '../model/labels.js';
import { ReportError } from './errors.js';
import type { Profile } from '../model/profile.js';
import { cachedTest, compileGoRegexp } from './goregexp.js';
import { scale } from './measurement.js';
import type { WorkProfile } from './work.js';

/**
 * pprof's -tagfocus / -tagignore (google/pprof internal/driver/driver_focus.go):
 * `key=value` or `value`, where value is either a numeric range ("32kb",
 * "4mb:", ":64kb", "1kb:1mb") matched against numeric labels in their unit, or
 * comma-separated regexps matched against string labels ("key:value" when no
 * key is given).
 */
export type TagMatch = (labels: SampleLabels) => boolean;

export class TagFilterError extends ReportError {
  override name = 'TagFilterError';
}

export function compileTagFilter(name: string, filter: string, numUnits: Map<string, string>): TagMatch {
  let wantKey = '';
  let value = filter;
  const eq = filter.indexOf('=');
  if (eq >= 0) {
    wantKey = filter.slice(0, eq);
    value = filter.slice(eq + 1);
  }
  const range = parseTagFilterRange(value);
  if (range) {
    const matchAny = (vals: number[], unit: string) => vals.some((v) => range(v, unit));
    if (wantKey === '') {
      return (l) => [...l.num].some(([key, vals]) => matchAny(vals, numUnits.get(key) ?? ''));
    }
    return (l) => {
      const vals = l.num.get(wantKey);
      return vals !== undefined && matchAny(vals, numUnits.get(wantKey) ?? '');
    };
  }
  // Label values repeat from sample to sample: each regexp is tested once per distinct value.
  let rxs: { test: (s: string) => boolean }[];
  try {
    rxs = value.split(',').map((v) => ({ test: cachedTest(compileGoRegexp(v)) }));
  } catch (err) {
    throw new TagFilterError(`parsing ${name} regexp: ${(err as Error).message}`);
  }
  if (wantKey === '') {
    return (l) => rxs.every((rx) => [...l.str].some(([key, vals]) => vals.some((v) => rx.test(`${key}:${v}`))));
  }
  return (l) => {
    const vals = l.str.get(wantKey);
    return vals !== undefined && rxs.some((rx) => vals.some((v) => rx.test(v)));
  };
}

/** pprof's parseTagFilterRange; undefined when `filter` is not a numeric range. */
export function parseTagFilterRange(filter: string): ((v: number, unit: string) => boolean) | undefined {
  const ranges = [...filter.matchAll(/([+-]?\d+)([a-zA-Z]+)?/g)].slice(0, 2);
  if (ranges.length === 0) return undefined;
  const [first, second] = ranges as [RegExpMatchArray, RegExpMatchArray | undefined];
  const [lo, unit] = scale(Number(first[1]), first[2] ?? '', first[2] ?? '');
  const inUnit = (v: number, u: string): number | undefined => {
    const [sv, su] = scale(v, u, unit);
    return su === unit ? sv : undefined;
  };
  if (!second) {
    const m = first[0];
    if (filter === m) return (v, u) => inUnit(v, u) === lo;
    if (filter === m + ':') return (v, u) => (inUnit(v, u) ?? -Infinity) >= lo;
    if (filter === ':' + m) return (v, u) => (inUnit(v, u) ?? Infinity) <= lo;
    return undefined;
  }
  if (filter !== `${first[0]}:${second[0]}`) return undefined;
  const [hi, unit2] = scale(Number(second[1]), second[2] ?? '', unit);
  if (unit2 !== unit) return undefined;
  return (v, u) => {
    const sv = inUnit(v, u);
    return sv !== undefined && sv >= lo && sv <= hi;
  };
}

/** pprof FilterSamplesByTag: keeps samples the focus matches and the ignore does not. */
export function filterSamplesByTag(
  w: WorkProfile,
  p: Profile,
  focus: TagMatch | undefined,
  ignore: TagMatch | undefined,
): { focus: boolean; ignore: boolean } {
  const m = { focus: false, ignore: false };
  if (!focus && !ignore) return m;
  w.filterSamples((s) => {
    const labels = sampleLabels(p, s);
    const focused = focus ? focus(labels) : true;
    const ignored = ignore ? ignore(labels) : false;
    m.focus ||= focused;
    m.ignore ||= ignored;
    return focused && !ignored;
  });
  return m;
}
