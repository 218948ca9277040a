import { mergeProfiles } from '../model/merge.js';
import type { Profile } from '../model/profile.js';
import { projectSampleTypes, scaleValues, setLabel } from '../model/transform.js';
import { sameUnitKind, scale } from './measurement.js';
import { ReportError } from './report.js';

/** How a base profile is applied (pprof -base vs -diff_base). */
export type BaseMode = 'base' | 'diff_base';

export interface CombineOptions {
  base?: readonly Profile[];
  baseMode?: BaseMode;
  /** Scale the sources so their totals match the base's, per sample type. */
  normalize?: boolean;
}

/**
 * Combines the profiles of one report as pprof's fetch stage does: sources
 * are merged; a base is labelled (under -diff_base), optionally normalised
 * against, negated and merged in, so identical stacks cancel under -base and
 * stay apart under -diff_base.
 */
export function combineSources(sources: readonly Profile[], opts: CombineOptions = {}): Profile {
  let p = combine(sources);
  if (!opts.base || opts.base.length === 0) return p;
  let base = combine(opts.base);
  if (opts.baseMode === 'diff_base') base = setLabel(base, 'pprof::base', 'true');
  if (opts.normalize) p = normalize(p, base);
  base = scaleValues(base, base.sampleTypes.map(() => -1));
  return combine([p, base]);
}

/** pprof combineProfiles: common sample types, common units, then merge (a single profile is returned as is). */
export function combine(profiles: readonly Profile[]): Profile {
  if (profiles.length === 0) throw new ReportError('no profiles to combine');
  const first = profiles[0]!;
  const common = first.sampleTypes.map((t) => t.type).filter((t) => profiles.every((p) => p.sampleTypes.some((s) => s.type === t)));
  if (common.length === 0) throw new ReportError('profiles have empty common sample type list');
  let ps = profiles.map((p) => projectSampleTypes(p, common));
  ps = scaleToCommonUnits(ps);
  return ps.length === 1 ? ps[0]! : mergeProfiles(ps);
}

/** pprof measurement.ScaleProfiles: converts each sample type to the finest unit among the profiles. */
function scaleToCommonUnits(ps: Profile[]): Profile[] {
  if (ps.length <= 1) return ps;
  const n = ps[0]!.sampleTypes.length;
  const target: string[] = [];
  for (let t = 0; t < n; t++) {
    let unit = ps[0]!.sampleTypes[t]!.unit;
    for (const p of ps.slice(1)) {
      const u = p.sampleTypes[t]!.unit;
      const a = ps[0]!.sampleTypes[t]!;
      const b = p.sampleTypes[t]!;
      if (a.type.replace(/s$/, '') !== b.type.replace(/s$/, '') || !sameUnitKind(a.unit, b.unit)) {
        throw new ReportError(`sample types: incompatible types ${a.type}/${a.unit} ${b.type}/${b.unit}`);
      }
      if (scale(1, u, unit)[0] < 1) unit = u;
    }
    target.push(unit);
  }
  return ps.map((p) => {
    const ratios = p.sampleTypes.map((st, t) => (st.unit === target[t] ? 1 : scale(1, st.unit, target[t]!)[0]));
    const scaled = scaleValues(p, ratios);
    return { ...scaled, sampleTypes: p.sampleTypes.map((st, t) => ({ type: st.type, unit: target[t]! })) };
  });
}

/** pprof Profile.Normalize: scales `p` so each sample type sums to the base's sum. */
function normalize(p: Profile, base: Profile): Profile {
  const n = p.sampleTypes.length;
  const sums = (q: Profile) => {
    const s = new Array<number>(n).fill(0);
    for (let i = 0; i < q.samples.count; i++) for (let t = 0; t < n; t++) s[t] += q.samples.values[i * n + t]!;
    return s;
  };
  const b = sums(base);
  const src = sums(p);
  return scaleValues(
    p,
    src.map((v, t) => (v === 0 ? 0 : b[t]! / v)),
  );
}
