import type { HistoryAnalysis } from '../../analyze/history/types.js';
import { renderFindings } from '../findings.js';
import type { Style } from '../style.js';

/** A snapshot as `history` lists it (the --json shape). */
export interface ListedSnapshot {
  id: number;
  target: string;
  time: string;
  kinds: string[];
}

/** Snapshots listed in full up to this many; beyond, the first and the latest. */
const LIST_ALL = 20;
const LIST_HEAD = 3;
const LIST_TAIL = 10;

/** The store, its snapshots per target (the latest when many) and the findings over them. */
export function historyText(store: string, snapshots: readonly ListedSnapshot[], analysis: HistoryAnalysis, style: Style): string {
  if (snapshots.length === 0) return `${store}: no snapshots (footprint watch --store … stores them)\n`;
  const out = [`${style.bold(store)}: ${snapshots.length} snapshot${snapshots.length === 1 ? '' : 's'}`];
  for (const t of analysis.targets) out.push(`  ${t.target}: ${t.snapshots} from ${t.from} to ${t.to}`);
  out.push('', style.bold('Snapshots (DEST#ID for footprint top / heap):'));
  const shown = snapshots.length <= LIST_ALL ? snapshots : [...snapshots.slice(0, LIST_HEAD), null, ...snapshots.slice(-LIST_TAIL)];
  for (const s of shown) {
    if (s === null) out.push(style.dim(`  … ${snapshots.length - LIST_HEAD - LIST_TAIL} more (--json lists them all)`));
    else out.push(`  #${String(s.id).padEnd(6)} ${s.time}  ${s.target}  ${s.kinds.join(', ')}`);
  }
  out.push('', style.bold('Findings over the stored history:'), renderFindings(analysis.findings, style));
  return out.join('\n');
}
