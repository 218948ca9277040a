import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { analyzeGcTrace } from '../analyze/gc/index.js';
import { maxOf, minOf } from '../analyze/stats.js';
import type { WhatIfResult, WhatIfSetting } from '../analyze/gc/types.js';
import { decodeGcTrace } from '../formats/gctrace/index.js';

/**
 * The GOGC/GOMEMLIMIT what-if checked against real runs it was not tuned on
 * (testdata/go1.2x/whatif, testdata/regen-whatif.sh): four program shapes,
 * three runs of each setting, two Go versions. Every log is the baseline in
 * turn and predicts every other setting of its shape. Used by the what-if
 * test and printed by bench/whatif-matrix.mjs.
 */

const TESTDATA = new URL('../../testdata/', import.meta.url).pathname;
const MiB = 2 ** 20;
/** A prediction counts as inside when it lies within the real runs' spread widened by this share, and by at least one cycle. */
export const WIDEN = 0.1;

export interface MatrixRun {
  version: string;
  shape: string;
  setting: string;
  log: string;
  cycles: number;
  file: string;
  whatIf: WhatIfSetting;
}

export interface MatrixRow {
  /** `go1.26 plateau`. */
  group: string;
  baseline: string;
  setting: string;
  /** The log replayed at its own setting. */
  replay: boolean;
  /** Cycle counts of the three real runs of `setting`. */
  real: number[];
  predicted: number | null;
  range: [number, number] | null;
  refused: string | null;
  trust: string | null;
  note: string | null;
  /** The baseline log's own count, for replays. */
  observed: number | null;
  replayError: number | null;
  /** Within the widened spread of the real runs. */
  inside: boolean;
  /** The stated range overlaps the widened spread. */
  rangeInside: boolean;
  /** Signed distance to the nearest real run, relative to it (0 inside the real spread). */
  error: number | null;
}

interface Manifest {
  runs: { log: string; shape: string; setting: string; gogc: string; gomemlimit: string; cycles: number; outcome: string }[];
}

export function loadMatrix(versions: readonly string[] = ['go1.23', 'go1.26']): MatrixRun[] {
  const out: MatrixRun[] = [];
  for (const version of versions) {
    const dir = join(TESTDATA, version, 'whatif');
    const manifest = JSON.parse(readFileSync(join(dir, 'runs.json'), 'utf8')) as Manifest;
    for (const r of manifest.runs) {
      if (r.outcome !== 'ok') continue;
      const limit = r.gomemlimit === '' ? null : Number(/^(\d+)MiB$/.exec(r.gomemlimit)![1]) * MiB;
      out.push({
        version,
        shape: r.shape,
        setting: r.setting,
        log: r.log,
        cycles: r.cycles,
        file: join(dir, r.log),
        whatIf: { gogc: r.gogc === 'off' ? null : Number(r.gogc), gomemlimit: limit },
      });
    }
  }
  return out;
}

export function evaluateMatrix(runs: readonly MatrixRun[]): MatrixRow[] {
  const groups = new Map<string, MatrixRun[]>();
  for (const r of runs) {
    const key = `${r.version} ${r.shape}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const rows: MatrixRow[] = [];
  for (const [group, members] of groups) {
    const settings = [...new Set(members.map((r) => r.setting))];
    const real = new Map(settings.map((s) => [s, members.filter((r) => r.setting === s).map((r) => r.cycles)]));
    const whatIfOf = new Map(members.map((r) => [r.setting, r.whatIf]));
    for (const base of members) {
      const trace = decodeGcTrace(gunzipSync(readFileSync(base.file)), base.log);
      const others = settings.filter((s) => s !== base.setting);
      const a = analyzeGcTrace(trace, { baseline: base.whatIf, whatIfs: others.map((s) => whatIfOf.get(s)!) });
      rows.push(row(group, base.log, base.setting, real.get(base.setting)!, a.baseline.model, a.baseline.observed.cycles));
      others.forEach((s, i) => rows.push(row(group, base.log, s, real.get(s)!, a.whatIf[i]!, null)));
    }
  }
  return rows;
}

function row(group: string, baseline: string, setting: string, real: number[], p: WhatIfResult, observed: number | null): MatrixRow {
  const lo = minOf(real);
  const hi = maxOf(real);
  // A count is a whole number of cycles: never narrower than one cycle either side.
  const widened: [number, number] = [Math.min(lo * (1 - WIDEN), lo - 1), Math.max(hi * (1 + WIDEN), hi + 1)];
  const n = p.cycles;
  const range = p.cyclesRange ?? null;
  return {
    group,
    baseline,
    setting,
    replay: observed !== null,
    real,
    predicted: n,
    range,
    refused: p.refusal ?? null,
    trust: p.trust ?? null,
    note: p.note ?? null,
    observed,
    replayError: observed !== null && n !== null ? (n - observed) / observed : null,
    inside: n !== null && n >= widened[0] && n <= widened[1],
    rangeInside: range !== null && range[0] <= widened[1] && range[1] >= widened[0],
    error: n === null ? null : n < lo ? (n - lo) / lo : n > hi ? (n - hi) / hi : 0,
  };
}

export interface GroupSummary {
  group: string;
  replays: number;
  replaysWithin5: number;
  worstReplay: number;
  predictions: number;
  inside: number;
  medianError: number | null;
  worstError: number;
  refused: number;
}

export function summarizeMatrix(rows: readonly MatrixRow[]): GroupSummary[] {
  return [...new Set(rows.map((r) => r.group))].map((group) => {
    const rs = rows.filter((r) => r.group === group);
    const replays = rs.filter((r) => r.replay && r.refused === null);
    const preds = rs.filter((r) => !r.replay && r.refused === null);
    const errors = preds.map((r) => Math.abs(r.error ?? 0)).sort((a, b) => a - b);
    return {
      group,
      replays: replays.length,
      replaysWithin5: replays.filter((r) => Math.abs(r.replayError ?? 1) <= 0.05).length,
      worstReplay: replays.reduce((w, r) => (Math.abs(r.replayError ?? 0) > Math.abs(w) ? r.replayError ?? 0 : w), 0),
      predictions: preds.length,
      inside: preds.filter((r) => r.inside).length,
      medianError: errors.length ? errors[Math.floor(errors.length / 2)]! : null,
      worstError: preds.reduce((w, r) => (Math.abs(r.error ?? 0) > Math.abs(w) ? r.error ?? 0 : w), 0),
      refused: rs.filter((r) => r.refused !== null).length,
    };
  });
}
