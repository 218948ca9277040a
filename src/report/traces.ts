import { printable } from '../model/printable.js';
import { padLeft } from './gofmt.js';
import { label } from './measurement.js';
import { numLabelUnits, sampleLabels } from '../model/labels.js';
import type { Report } from './report.js';

export interface TraceFrame {
  name: string;
  inline: boolean;
}

export interface Trace {
  value: number;
  labels: Record<string, string[]>;
  numLabels: Record<string, number[]>;
  frames: TraceFrame[];
}

/**
 * pprof's -traces (printTraces): every sample with its labels, value and
 * stack, leaf first, rows named at the report's granularity.
 */
export function tracesReport(rpt: Report): { labels: string[]; traces: Trace[]; text: string } {
  const labels = rpt.profileLabels();
  const out = [...labels];
  const separator = '-----------+-------------------------------------------------------';
  const p = rpt.profile;
  const w = rpt.work;
  const t = rpt.nodes;
  const numUnits = numLabelUnits(p);
  const traces: Trace[] = [];
  for (const s of w.samples) {
    const frames: TraceFrame[] = [];
    const start = w.stackStart[s]!;
    for (let i = 0; i < w.stackCount[s]!; i++) {
      const loc = w.stacks[start + i]!;
      const ls = t.locStart[loc]!;
      const lc = t.locCount[loc]!;
      for (let j = 0; j < lc; j++) frames.push({ name: t.names[t.locNodes[ls + j]!]!, inline: j !== lc - 1 });
    }
    if (frames.length === 0) continue;
    out.push(separator);
    const sl = sampleLabels(p, s);
    const strLines = [...sl.str].map(([k, vs]) => `${padLeft(printable(k), 10)}:  ${printable(vs.join(' '))}\n`).sort();
    const numLines = [...sl.num]
      .map(([k, vs]) => `${padLeft(printable(k), 10)}:  ${printable(vs.map((v) => label(v, numUnits.get(k) ?? '')).join(' '))}\n`)
      .sort();
    const text = strLines.join('') + numLines.join('');
    if (text !== '') out.push(text.slice(0, -1));
    let v = rpt.sampleValue.value(s);
    const d = rpt.sampleValue.meanDivisor?.(s) ?? 0;
    if (d !== 0) v = Math.trunc(v / d);
    frames.forEach((f, i) => {
      const vs = i === 0 ? rpt.formatValue(v) : '';
      out.push(`${padLeft(vs, 10)}   ${printable(f.name)}${f.inline ? ' (inline)' : ''}`);
    });
    traces.push({ value: v, labels: Object.fromEntries(sl.str), numLabels: Object.fromEntries(sl.num), frames });
  }
  out.push(separator);
  return { labels, traces, text: out.join('\n') + '\n' };
}
