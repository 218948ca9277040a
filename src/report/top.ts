import { printable } from '../model/printable.js';
import { padLeft } from './gofmt.js';
import { formatPercent, percentage } from './measurement.js';
import type { Report } from './report.js';

/** One row of a top report, as data (`--json`). */
export interface TopRow {
  flat: number;
  flatPercent: number;
  sumPercent: number;
  cum: number;
  cumPercent: number;
  name: string;
  function?: string;
  file?: string;
  line?: number;
  address?: string;
  /** "inline" when every call into the row was inlined, "partial-inline" when some were. */
  inline?: 'inline' | 'partial-inline';
}

export interface TopResult {
  /** The header lines pprof prints above the table. */
  labels: string[];
  sampleType: string;
  /** The profile's unit for the sample type (e.g. "bytes"). */
  unit: string;
  /** The unit the text report prints values in (e.g. "MB"). */
  outputUnit: string;
  total: number;
  shownFlat: number;
  droppedNodes: number;
  rows: TopRow[];
  warnings: string[];
}

/** Computes pprof's -top report (printText in google/pprof internal/report). */
export function topReport(rpt: Report): TopResult {
  const { graph: g, origCount, droppedNodes } = rpt.trimmedGraph();
  rpt.selectOutputUnit(g);
  const labels = rpt.reportLabels(g, origCount, droppedNodes);
  const inEdges = g.inEdges();
  const rows: TopRow[] = [];
  const total = rpt.total;
  const pct = (v: number) => (total !== 0 ? Math.abs(v / total) * 100 : 0);
  const running = g.runningFlat(g.nodes);
  g.nodes.forEach((id, i) => {
    const flat = g.flatValue(id);
    const cum = g.cumValue(id);
    let inline = false;
    let notInline = false;
    for (const e of inEdges.get(id) ?? []) {
      if (g.edges.inline[e]) inline = true;
      else notInline = true;
    }
    const info = rpt.nodes.infos[id]!;
    const row: TopRow = {
      flat,
      flatPercent: pct(flat),
      sumPercent: pct(running[i]!),
      cum,
      cumPercent: pct(cum),
      name: rpt.nodes.names[id]!,
    };
    if (info.name !== '') row.function = info.name;
    if (info.file !== '') row.file = info.file;
    if (info.lineno !== 0) row.line = info.lineno;
    if (info.address !== 0n) row.address = '0x' + info.address.toString(16);
    if (inline) row.inline = notInline ? 'partial-inline' : 'inline';
    rows.push(row);
  });
  const shownFlat = running.at(-1) ?? 0;
  return {
    labels,
    sampleType: rpt.sampleType,
    unit: rpt.sampleUnit,
    outputUnit: rpt.outputUnit,
    total,
    shownFlat,
    droppedNodes,
    rows,
    warnings: rpt.warnings,
  };
}

/** The text pprof -top prints, byte for byte. */
export function formatTop(rpt: Report, top: TopResult): string {
  const lines = [...top.labels];
  lines.push(`${padLeft('flat', 10)} ${padLeft('flat', 5)}% ${padLeft('sum', 5)}% ${padLeft('cum', 10)} ${padLeft('cum', 5)}%`);
  for (const r of top.rows) {
    const suffix = r.inline ? ` (${r.inline})` : '';
    lines.push(
      `${padLeft(rpt.formatValue(r.flat), 10)} ${percentage(r.flat, top.total)} ${formatPercent(r.sumPercent)} ${padLeft(
        rpt.formatValue(r.cum),
        10,
      )} ${percentage(r.cum, top.total)}  ${printable(r.name)}${suffix}`,
    );
  }
  return lines.join('\n') + '\n';
}
