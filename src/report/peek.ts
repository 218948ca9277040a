import { printable } from '../model/printable.js';
import { padLeft } from './gofmt.js';
import { percentage } from './measurement.js';
import { compileGoRegexp, type GoRegexp } from './goregexp.js';
import { ReportError, type Report } from './report.js';

export interface PeekEdge {
  name: string;
  weight: number;
  /** Share of the row's cum. */
  percent: number;
  inline: boolean;
}

export interface PeekEntry {
  name: string;
  flat: number;
  cum: number;
  flatPercent: number;
  cumPercent: number;
  callers: PeekEdge[];
  callees: PeekEdge[];
}

/**
 * pprof's -peek (printTree with a symbol regexp): every row whose name matches,
 * with the callers above it and callees below, and each edge's share of cum.
 */
export function peekReport(rpt: Report, regex: string): { labels: string[]; entries: PeekEntry[]; text: string } {
  let rx: GoRegexp;
  try {
    rx = compileGoRegexp(regex);
  } catch (err) {
    throw new ReportError(`parsing argument regexp ${regex}: ${(err as Error).message}`);
  }
  const { graph: g, origCount, droppedNodes } = rpt.trimmedGraph();
  rpt.selectOutputUnit(g);
  const labels = rpt.reportLabels(g, origCount, droppedNodes);
  const separator = '----------------------------------------------------------+-------------';
  const legend = '      flat  flat%   sum%        cum   cum%   calls calls% + context 	 	 ';
  const out = [...labels, separator, legend];
  const names = rpt.nodes.names;
  const e = g.edges;
  const inEdges = g.inEdges();
  const outEdges = g.outEdges();
  const sortEdges = (ids: number[]) =>
    ids.sort((a, b) => {
      const wa = e.weight[a]!;
      const wb = e.weight[b]!;
      if (wa !== wb && Math.abs(wa) !== Math.abs(wb)) return Math.abs(wb) - Math.abs(wa);
      // pprof compares source names, then destination names.
      const sa = names[e.src[a]!]!;
      const sb = names[e.src[b]!]!;
      if (sa !== sb) return sa < sb ? -1 : 1;
      const da = names[e.dst[a]!]!;
      const db = names[e.dst[b]!]!;
      return da < db ? -1 : da > db ? 1 : 0;
    });
  const entries: PeekEntry[] = [];
  const matching = g.nodes.filter((id) => rx.test(names[id]!));
  const running = g.runningFlat(matching);
  matching.forEach((id, i) => {
    const name = names[id]!;
    const flat = g.flatValue(id);
    const cum = g.cumValue(id);
    out.push(separator);
    const edge = (ei: number, peer: number): PeekEdge => ({
      name: names[peer]!,
      weight: e.weight[ei]!,
      percent: cum !== 0 ? Math.abs(e.weight[ei]! / cum) * 100 : 0,
      inline: e.inline[ei] === 1,
    });
    const line = (pe: PeekEdge) =>
      `${padLeft(rpt.formatValue(pe.weight), 50)} ${percentage(pe.weight, cum)} |   ${printable(pe.name)}${pe.inline ? ' (inline)' : ''}`;
    const callers = sortEdges([...(inEdges.get(id) ?? [])]).map((ei) => edge(ei, e.src[ei]!));
    for (const c of callers) out.push(line(c));
    const flatSum = running[i]!;
    out.push(
      `${padLeft(rpt.formatValue(flat), 10)} ${percentage(flat, rpt.total)} ${percentage(flatSum, rpt.total)} ${padLeft(
        rpt.formatValue(cum),
        10,
      )} ${percentage(cum, rpt.total)}                | ${printable(name)}`,
    );
    const callees = sortEdges([...(outEdges.get(id) ?? [])]).map((ei) => edge(ei, e.dst[ei]!));
    for (const c of callees) out.push(line(c));
    entries.push({
      name,
      flat,
      cum,
      flatPercent: rpt.total ? Math.abs(flat / rpt.total) * 100 : 0,
      cumPercent: rpt.total ? Math.abs(cum / rpt.total) * 100 : 0,
      callers,
      callees,
    });
  });
  if (g.nodes.length > 0) out.push(separator);
  if (entries.length === 0) throw new ReportError(`no matches found for regexp: ${regex}`);
  return { labels, entries, text: out.join('\n') + '\n' };
}
