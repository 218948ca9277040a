import type { GcAnalysis, WhatIfResult, WhatIfRow } from '../analyze/gc/types.js';
import { formatBytes, formatCount, formatDuration, formatFraction } from '../model/units.js';

/** A memory limit as GOMEMLIMIT takes it: `256MiB`, `2GiB`; an inferred, unround one as `≈120MiB`. */
export function goMemLimitText(bytes: number): string {
  for (const [unit, size] of [['TiB', 2 ** 40], ['GiB', 2 ** 30], ['MiB', 2 ** 20], ['KiB', 2 ** 10]] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  // Not a round size: an estimate (a limit inferred from the log), so say roughly which.
  return bytes >= 2 ** 20 ? `≈${Math.round(bytes / 2 ** 20)}MiB` : String(bytes);
}

export function settingLabel(r: { gogc: number | 'off'; gomemlimit: number | null }): string {
  return `GOGC=${r.gogc}${r.gomemlimit !== null ? ` GOMEMLIMIT=${goMemLimitText(r.gomemlimit)}` : ''}`;
}

export interface WhatIfTable {
  header: string[];
  /** Right-aligned columns (numbers). */
  numeric: boolean[];
  rows: string[][];
  /** Footnotes: what limits a prediction, or why none is given; rows refer to them by number. */
  notes: string[];
}

/**
 * The what-if comparison as cells, for the terminal and the page alike: the
 * log, the log replayed by the model, and each what-if with its range and
 * how far to trust it.
 */
export function whatIfTable(a: GcAnalysis): WhatIfTable {
  const notes: string[] = [];
  const noteRef = (text: string | undefined): string => {
    if (text === undefined) return '';
    let i = notes.indexOf(text);
    if (i < 0) i = notes.push(text) - 1;
    return ` [${i + 1}]`;
  };
  const row = (label: string, r: WhatIfResult, trust: string): string[] => {
    if (r.cycles === null) return [label, 'no figure', '-', '-', '-', `refused${noteRef(r.refusal)}`];
    const range = r.cyclesRange && (r.cyclesRange[0] !== r.cycles || r.cyclesRange[1] !== r.cycles) ? ` (${formatCount(r.cyclesRange[0])}–${formatCount(r.cyclesRange[1])})` : '';
    return [
      label,
      `${formatCount(r.cycles)}${range}`,
      r.meanIntervalMs === null ? '-' : formatDuration(r.meanIntervalMs * 1e6),
      r.peakHeapBytes === null ? '-' : formatBytes(r.peakHeapBytes),
      r.gcCpuFraction === null ? '-' : formatFraction(r.gcCpuFraction),
      trust + noteRef(r.note),
    ];
  };
  const base = a.baseline.setting;
  const rows = [
    row(`log: ${settingLabel(base)}${a.summary.inferredGogc !== null ? ' (inferred)' : ''}`, a.baseline.observed, 'measured'),
    row('  the log replayed by the model', a.baseline.model, 'calibrated'),
    ...a.whatIf.map((w: WhatIfRow) => row(`what if ${settingLabel(w)}`, w, w.trust ?? '')),
  ];
  return { header: ['setting', 'cycles (range)', 'every', 'peak heap', 'GC CPU', 'trust'], numeric: [false, true, true, true, true, false], rows, notes };
}
