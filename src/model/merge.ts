import { ProfileBuilder, type LabelInput, type LineInput } from './builder.js';
import { IncompatibleProfilesError } from './errors.js';
import { sampleLabels } from './labels.js';
import type { Profile, ValueType } from './profile.js';

/**
 * Merges profiles with pprof's semantics (google/pprof profile/merge.go):
 * mappings, functions and locations are unified by key, samples with the same
 * stack and labels are summed, and samples whose values are all zero vanish.
 * Sample order is first-seen order, so `-traces` prints what pprof prints.
 */
export function mergeProfiles(srcs: readonly Profile[]): Profile {
  if (srcs.length === 0) throw new Error('no profiles to merge');
  const first = srcs[0]!;
  for (const p of srcs.slice(1)) checkCompatible(first, p);
  const b = new ProfileBuilder(combineHeaders(srcs));
  const m = new Merger(b);
  for (const p of srcs) m.add(p);
  const merged = b.build();
  return hasZeroSample(merged) ? mergeProfiles([merged]) : merged;
}

// IncompatibleProfilesError is in its own module so the CLI can recognise it without loading the merge code.
export { IncompatibleProfilesError };

function sameType(a: ValueType | undefined, b: ValueType | undefined): boolean {
  if (!a || !b) return a === b;
  return a.type === b.type && a.unit === b.unit;
}

function describe(types: ValueType[]): string {
  return types.map((t) => `${t.type}/${t.unit}`).join(' ');
}

export function checkCompatible(a: Profile, b: Profile): void {
  if (!sameType(a.periodType, b.periodType)) {
    throw new IncompatibleProfilesError(
      `incompatible period types ${a.periodType?.type ?? '-'}/${a.periodType?.unit ?? '-'} and ${b.periodType?.type ?? '-'}/${b.periodType?.unit ?? '-'}`,
    );
  }
  const same = a.sampleTypes.length === b.sampleTypes.length && a.sampleTypes.every((t, i) => sameType(t, b.sampleTypes[i]));
  if (!same) {
    throw new IncompatibleProfilesError(`incompatible sample types [${describe(a.sampleTypes)}] and [${describe(b.sampleTypes)}]`);
  }
}

function combineHeaders(srcs: readonly Profile[]): ConstructorParameters<typeof ProfileBuilder>[0] {
  let timeNanos = 0n;
  let durationNanos = 0n;
  let period = 0;
  const comments: string[] = [];
  let defaultSampleType = '';
  let roundedIntegers = 0;
  for (const s of srcs) {
    roundedIntegers += s.roundedIntegers;
    if (timeNanos === 0n || s.timeNanos < timeNanos) timeNanos = s.timeNanos;
    durationNanos += s.durationNanos;
    if (period === 0 || period < s.period) period = s.period;
    for (const c of s.comments) if (!comments.includes(c)) comments.push(c);
    if (defaultSampleType === '') defaultSampleType = s.defaultSampleType;
  }
  const first = srcs[0]!;
  return {
    sampleTypes: first.sampleTypes.map((t) => ({ ...t })),
    dropFrames: first.dropFrames,
    keepFrames: first.keepFrames,
    timeNanos,
    durationNanos,
    ...(first.periodType ? { periodType: { ...first.periodType } } : {}),
    period,
    comments,
    defaultSampleType,
    roundedIntegers,
  };
}

function hasZeroSample(p: Profile): boolean {
  const n = p.sampleTypes.length;
  outer: for (let i = 0; i < p.samples.count; i++) {
    for (let t = 0; t < n; t++) if (p.samples.values[i * n + t] !== 0) continue outer;
    return true;
  }
  return false;
}

function isZeroSample(p: Profile, i: number): boolean {
  const n = p.sampleTypes.length;
  for (let t = 0; t < n; t++) if (p.samples.values[i * n + t] !== 0) return false;
  return true;
}

const PAGE = 0x1000n;

/** Keys and tables shared across all merged sources. */
class Merger {
  private readonly mappings = new Map<string, number>();
  private readonly functions = new Map<string, number>();
  private readonly locations = new Map<string, number>();
  private readonly samples = new Map<string, number>();

  constructor(private readonly b: ProfileBuilder) {}

  add(src: Profile): void {
    const mapInfo = new Map<number, { index: number; offset: bigint }>();
    const fnMap = new Int32Array(src.functions.count).fill(-1);
    const locMap = new Int32Array(src.locations.count).fill(-1);
    if (this.b.mappings.length === 0 && src.mappings.length > 0) this.mapMapping(src, 0, mapInfo);

    const n = src.sampleTypes.length;
    for (let i = 0; i < src.samples.count; i++) {
      if (isZeroSample(src, i)) continue;
      const start = src.samples.locStart[i]!;
      const locs = new Int32Array(src.samples.locCount[i]!);
      for (let j = 0; j < locs.length; j++) {
        locs[j] = this.mapLocation(src, src.stacks[start + j]!, mapInfo, fnMap, locMap);
      }
      const labels = sampleLabels(src, i);
      const key = sampleKey(locs, labels);
      const values = src.samples.values.subarray(i * n, i * n + n);
      const exact = src.samples.exact?.subarray(i * n, i * n + n);
      const existing = this.samples.get(key);
      if (existing !== undefined) {
        this.b.addToSample(existing, values, exact);
        continue;
      }
      this.samples.set(key, this.b.addSample(locs, values, labelInputs(labels), exact));
    }
  }

  private mapMapping(src: Profile, mi: number, cache: Map<number, { index: number; offset: bigint }>) {
    const hit = cache.get(mi);
    if (hit) return hit;
    const m = src.mappings[mi]!;
    let size = m.limit - m.start;
    size = size + PAGE - 1n;
    size = size - (size % PAGE);
    const key = `${size}|${m.offset}|${m.buildId !== '' ? m.buildId : m.file}`;
    const existing = this.mappings.get(key);
    let info;
    if (existing !== undefined) {
      info = { index: existing, offset: this.b.mappings[existing]!.start - m.start };
    } else {
      const index = this.b.addMapping({ ...m });
      this.mappings.set(key, index);
      info = { index, offset: 0n };
    }
    cache.set(mi, info);
    return info;
  }

  private mapFunction(src: Profile, f: number, fnMap: Int32Array): number {
    if (f < 0) return -1;
    if (fnMap[f]! >= 0) return fnMap[f]!;
    const s = src.strings;
    const F = src.functions;
    const name = s[F.name[f]!]!;
    const system = s[F.systemName[f]!]!;
    const file = s[F.filename[f]!]!;
    const start = F.startLine[f]!;
    const key = `${start}\0${name}\0${system}\0${file}`;
    let index = this.functions.get(key);
    if (index === undefined) {
      index = this.b.addFunction(name, system, file, start);
      this.functions.set(key, index);
    }
    fnMap[f] = index;
    return index;
  }

  private mapLocation(
    src: Profile,
    l: number,
    mapInfo: Map<number, { index: number; offset: bigint }>,
    fnMap: Int32Array,
    locMap: Int32Array,
  ): number {
    if (locMap[l]! >= 0) return locMap[l]!;
    const L = src.locations;
    const mi = L.mapping[l]! >= 0 ? this.mapMapping(src, L.mapping[l]!, mapInfo) : undefined;
    const address = BigInt.asUintN(64, L.address[l]! + (mi?.offset ?? 0n));
    const lines: LineInput[] = [];
    for (let j = L.lineStart[l]!, end = j + L.lineCount[l]!; j < end; j++) {
      lines.push({ fn: this.mapFunction(src, src.lines.function[j]!, fnMap), line: src.lines.line[j]!, column: src.lines.column[j]! });
    }
    const mapping = mi?.index ?? -1;
    const key = locationKey(mapping >= 0 ? address - this.b.mappings[mapping]!.start : address, mapping, lines, L.isFolded[l] === 1);
    let index = this.locations.get(key);
    if (index === undefined) {
      index = this.b.addLocation(mapping, address, lines, L.isFolded[l] === 1);
      this.locations.set(key, index);
    }
    locMap[l] = index;
    return index;
  }
}

/**
 * pprof's location key, including its quirk: the per-line slots overlap
 * (index i*2 in a slice of len*3), so a line's column is overwritten by the
 * next line's function. Reproduced so merges unify exactly what pprof unifies.
 */
function locationKey(addr: bigint, mapping: number, lines: readonly LineInput[], folded: boolean): string {
  const slots: string[] = new Array<string>(lines.length * 3).fill('');
  lines.forEach((ln, i) => {
    if (ln.fn >= 0) slots[i * 2] = (ln.fn + 1).toString(16);
    slots[i * 2 + 1] = hex(ln.line);
    slots[i * 2 + 2] = hex(ln.column ?? 0);
  });
  return `${BigInt.asUintN(64, addr)}|${mapping}|${folded ? 1 : 0}|${slots.join('|')}`;
}

function hex(n: number): string {
  return n < 0 ? '-' + (-n).toString(16) : n.toString(16);
}

function sampleKey(locs: Int32Array, labels: ReturnType<typeof sampleLabels>): string {
  let key = locs.join(',') + ';';
  for (const k of [...labels.str.keys()].sort()) key += `${JSON.stringify(k)}=${JSON.stringify(labels.str.get(k))};`;
  for (const k of [...labels.num.keys()].sort()) {
    key += `#${JSON.stringify(k)}=${labels.num.get(k)!.join(',')}/${JSON.stringify(labels.units.get(k) ?? [])};`;
  }
  return key;
}

function labelInputs(labels: ReturnType<typeof sampleLabels>): LabelInput[] {
  const out: LabelInput[] = [];
  for (const [key, values] of labels.str) for (const str of values) out.push({ key, str });
  for (const [key, nums] of labels.num) {
    const units = labels.units.get(key);
    nums.forEach((num, i) => {
      const numUnit = units?.[i] ?? '';
      out.push(numUnit !== '' ? { key, num, numUnit } : { key, num });
    });
  }
  return out;
}
