import type { LabelTable, Profile, SampleTable } from './profile.js';
import { GrowableFloat64, GrowableInt32 } from './growable.js';

/** Go's math.Round: halves round away from zero (JS Math.round rounds them up). */
export function goRound(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/**
 * Multiplies each sample type's values by its ratio, rounding as pprof's
 * ScaleN does (from the value as a double: a scaled value past 2^53 is no
 * more exact in pprof), and drops samples left with only zeros. Returns `p`
 * itself when every ratio is 1.
 */
export function scaleValues(p: Profile, ratios: readonly number[]): Profile {
  const n = p.sampleTypes.length;
  if (ratios.length !== n) throw new Error(`mismatched scale ratios, got ${ratios.length}, want ${n}`);
  if (ratios.every((r) => r === 1)) return p;
  const values = p.samples.values.slice();
  const exact = p.samples.exact?.slice();
  const keep: number[] = [];
  for (let i = 0; i < p.samples.count; i++) {
    let nonZero = false;
    for (let t = 0; t < n; t++) {
      if (ratios[t] === 1) continue;
      const v = goRound(values[i * n + t]! * ratios[t]!);
      values[i * n + t] = v;
      if (exact) exact[i * n + t] = BigInt(v);
      nonZero ||= v !== 0;
    }
    if (nonZero) keep.push(i);
  }
  return selectSamples({ ...p, samples: { ...p.samples, values, ...(exact ? { exact } : {}) } }, keep);
}

/** A profile holding only the listed samples (in that order); other tables are shared. */
export function selectSamples(p: Profile, keep: readonly number[]): Profile {
  if (keep.length === p.samples.count && keep.every((k, i) => k === i)) return p;
  const S = p.samples;
  const pick = (a: Int32Array): Int32Array => Int32Array.from(keep, (k) => a[k]!);
  return {
    ...p,
    samples: {
      count: keep.length,
      locStart: pick(S.locStart),
      locCount: pick(S.locCount),
      ...pickValues(p, keep),
      labelStart: pick(S.labelStart),
      labelCount: pick(S.labelCount),
    },
  };
}

/**
 * The values of the samples `rows`, in that order, for the sample types
 * `columns` (every type when absent), with their exact values when the
 * profile has them: the one place sample tables are cut, so none drops them.
 */
export function pickValues(p: Profile, rows: ArrayLike<number>, columns?: readonly number[]): Pick<SampleTable, 'values' | 'exact'> {
  const n = p.sampleTypes.length;
  const cols = columns ?? Array.from({ length: n }, (_, t) => t);
  const m = cols.length;
  const { values: from, exact: exactFrom } = p.samples;
  const values = new Float64Array(rows.length * m);
  const exact = exactFrom ? new BigInt64Array(rows.length * m) : undefined;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]! * n;
    for (let t = 0; t < m; t++) {
      values[i * m + t] = from[row + cols[t]!]!;
      if (exact) exact[i * m + t] = exactFrom![row + cols[t]!]!;
    }
  }
  return exact ? { values, exact } : { values };
}

/** Sets label `key` to `value` on every sample, replacing earlier values of that key (pprof SetLabel). */
export function setLabel(p: Profile, key: string, value: string): Profile {
  const strings = p.strings.slice();
  const internAt = (s: string): number => {
    const i = strings.indexOf(s);
    if (i >= 0) return i;
    strings.push(s);
    return strings.length - 1;
  };
  const keyX = internAt(key);
  const valueX = internAt(value);
  const L = p.labels;
  const k = new GrowableInt32();
  const s = new GrowableInt32();
  const num = new GrowableFloat64();
  const unit = new GrowableInt32();
  const labelStart = new Int32Array(p.samples.count);
  const labelCount = new Int32Array(p.samples.count);
  for (let i = 0; i < p.samples.count; i++) {
    labelStart[i] = k.length;
    const start = p.samples.labelStart[i]!;
    for (let j = start, end = start + p.samples.labelCount[i]!; j < end; j++) {
      if (L.key[j] === keyX && L.str[j] !== 0) continue;
      k.push(L.key[j]!);
      s.push(L.str[j]!);
      num.push(L.num[j]!);
      unit.push(L.numUnit[j]!);
    }
    k.push(keyX);
    s.push(valueX);
    num.push(0);
    unit.push(0);
    labelCount[i] = k.length - labelStart[i]!;
  }
  const labels: LabelTable = { count: k.length, key: k.finish(), str: s.finish(), num: num.finish(), numUnit: unit.finish() };
  return { ...p, strings, labels, samples: { ...p.samples, labelStart, labelCount } };
}

/**
 * Keeps only the named sample types, in that order (pprof's
 * compatibilizeSampleTypes, used before merging profiles of different kinds).
 */
export function projectSampleTypes(p: Profile, types: readonly string[]): Profile {
  const remap = types.map((t) => {
    const i = p.sampleTypes.findIndex((st) => st.type === t);
    if (i < 0) throw new Error(`${JSON.stringify(t)} sample type is not found in profile`);
    return i;
  });
  if (remap.length === p.sampleTypes.length && remap.every((r, i) => r === i)) return p;
  const defaultSampleType = types.includes(p.defaultSampleType) ? p.defaultSampleType : types[0]!;
  return {
    ...p,
    defaultSampleType,
    sampleTypes: remap.map((r) => ({ ...p.sampleTypes[r]! })),
    samples: { ...p.samples, ...pickValues(p, Array.from({ length: p.samples.count }, (_, i) => i), remap) },
  };
}

/** A source line a symboliser gives a location: function name, file and line. */
export interface SourceLine {
  func: string;
  file: string;
  line: number;
}

/**
 * Gives the locations `linesOf` answers for new lines (callee first), as
 * pprof's symboliser does with a binary: functions are keyed by name and file
 * (start line 0) and numbered in the order the locations first use them.
 * Other locations keep their lines. Samples, locations and labels are shared.
 */
export function withLocationLines(p: Profile, linesOf: (loc: number) => readonly SourceLine[] | undefined): Profile {
  const strings = p.strings.slice();
  const stringIndex = new Map<string, number>();
  strings.forEach((s, i) => stringIndex.has(s) || stringIndex.set(s, i));
  const intern = (s: string): number => {
    let i = stringIndex.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      stringIndex.set(s, i);
    }
    return i;
  };
  const F = p.functions;
  const fnName = new GrowableInt32();
  const fnSystemName = new GrowableInt32();
  const fnFilename = new GrowableInt32();
  const fnStartLine = new GrowableFloat64();
  const fnIndex = new Map<string, number>();
  const fn = (name: number, systemName: number, filename: number, startLine: number): number => {
    const key = `${name},${systemName},${filename},${startLine}`;
    let f = fnIndex.get(key);
    if (f === undefined) {
      f = fnName.length;
      fnName.push(name);
      fnSystemName.push(systemName);
      fnFilename.push(filename);
      fnStartLine.push(startLine);
      fnIndex.set(key, f);
    }
    return f;
  };
  const L = p.locations;
  const lineFn = new GrowableInt32();
  const lineNo = new GrowableFloat64();
  const lineCol = new GrowableFloat64();
  const lineStart = new Int32Array(L.count);
  const lineCount = new Int32Array(L.count);
  for (let loc = 0; loc < L.count; loc++) {
    lineStart[loc] = lineFn.length;
    const fresh = linesOf(loc);
    if (fresh) {
      for (const l of fresh) {
        const name = intern(l.func);
        lineFn.push(fn(name, name, intern(l.file), 0));
        lineNo.push(l.line);
        lineCol.push(0);
      }
    } else {
      for (let k = L.lineStart[loc]!, end = k + L.lineCount[loc]!; k < end; k++) {
        const f = p.lines.function[k]!;
        lineFn.push(f < 0 ? -1 : fn(F.name[f]!, F.systemName[f]!, F.filename[f]!, F.startLine[f]!));
        lineNo.push(p.lines.line[k]!);
        lineCol.push(p.lines.column[k]!);
      }
    }
    lineCount[loc] = lineFn.length - lineStart[loc]!;
  }
  const count = fnName.length;
  return {
    ...p,
    strings,
    functions: {
      count,
      id: Float64Array.from({ length: count }, (_, i) => i + 1),
      name: fnName.finish(),
      systemName: fnSystemName.finish(),
      filename: fnFilename.finish(),
      startLine: fnStartLine.finish(),
    },
    locations: { ...L, lineStart, lineCount },
    lines: { count: lineFn.length, function: lineFn.finish(), line: lineNo.finish(), column: lineCol.finish() },
  };
}
