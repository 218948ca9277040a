import type { Profile } from './profile.js';

/** A sample's labels grouped by key, as pprof's Sample.Label / NumLabel / NumUnit maps hold them. */
export interface SampleLabels {
  str: Map<string, string[]>;
  num: Map<string, number[]>;
  /** Units per numeric label key; empty when none was given. Padded with "" as pprof pads them. */
  units: Map<string, string[]>;
}

/**
 * Groups sample i's labels as pprof's Sample holds them: a label with a string
 * value is a string label, any other is numeric. (pprof's proto decoder drops
 * a label with neither a value nor a unit, and so does ours; its legacy
 * parsers keep a `bytes` label of 0, and so do ours.)
 */
export function sampleLabels(p: Profile, i: number): SampleLabels {
  const out: SampleLabels = { str: new Map(), num: new Map(), units: new Map() };
  const start = p.samples.labelStart[i]!;
  const end = start + p.samples.labelCount[i]!;
  const s = p.strings;
  const L = p.labels;
  for (let j = start; j < end; j++) {
    const key = s[L.key[j]!]!;
    if (L.str[j] !== 0) {
      push(out.str, key, s[L.str[j]!]!);
    } else {
      const nums = out.num.get(key) ?? [];
      if (L.numUnit[j] !== 0) {
        const units = pad(out.units.get(key) ?? [], nums.length);
        units.push(s[L.numUnit[j]!]!);
        out.units.set(key, units);
      }
      nums.push(L.num[j]!);
      out.num.set(key, nums);
    }
  }
  for (const [key, units] of out.units) out.units.set(key, pad(units, out.num.get(key)!.length));
  return out;
}

function push(m: Map<string, string[]>, k: string, v: string): void {
  const a = m.get(k);
  if (a) a.push(v);
  else m.set(k, [v]);
}

function pad(a: string[], n: number): string[] {
  while (a.length < n) a.push('');
  return a;
}

/** True when sample i carries the label pprof puts on `-diff_base` samples. */
export function isDiffBaseSample(p: Profile, i: number, baseKey: number): boolean {
  if (baseKey < 0) return false;
  const start = p.samples.labelStart[i]!;
  const end = start + p.samples.labelCount[i]!;
  for (let j = start; j < end; j++) {
    if (p.labels.key[j] === baseKey && p.strings[p.labels.str[j]!] === 'true') return true;
  }
  return false;
}

/**
 * pprof's NumLabelUnits: the unit of each numeric label key over the whole
 * profile — the first one given, else inferred from the key ("bytes" for
 * request/alignment, otherwise the key itself, as for "bytes").
 */
export function numLabelUnits(p: Profile): Map<string, string> {
  const units = new Map<string, string>();
  const seen = new Set<string>();
  for (let i = 0; i < p.samples.count; i++) {
    if (p.samples.labelCount[i] === 0) continue;
    const sl = sampleLabels(p, i);
    for (const k of sl.num.keys()) {
      seen.add(k);
      for (const u of sl.units.get(k) ?? []) if (u !== '' && !units.has(k)) units.set(k, u);
    }
  }
  for (const k of seen) {
    if (units.has(k)) continue;
    units.set(k, k === 'request' || k === 'alignment' ? 'bytes' : k);
  }
  return units;
}
