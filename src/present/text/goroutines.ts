import type { GoroutineAnalysis, GoroutineDiff, GoroutineDumpsReport, GoroutineGroup, GoroutinesReport } from '../../analyze/goroutines/index.js';
import type { GoFrame } from '../../model/goroutines.js';
import { formatBytes, formatCount, formatFraction } from '../../model/units.js';
import { renderFindings } from '../findings.js';
import type { Style } from '../style.js';
import { table } from './table.js';
import { printableData } from '../printable.js';

export interface GoroutineTextOptions {
  /** Groups to list (Infinity: all). */
  limit: number;
  /** List runtime-internal goroutines too. */
  system: boolean;
}

/** The goroutines report: one look's groups, or the diff of several, then the findings. */
export function goroutinesText(report: GoroutinesReport, style: Style, opts: GoroutineTextOptions): string {
  const r = printableData(report);
  const head = r.diff
    ? diffText(r.diff, r.files[0]!, r.files[r.files.length - 1]!, style)
    : analysisText(r, r.files[0]!, style, opts);
  return `${head}\n${style.bold('Findings')}\n${renderFindings(r.findings, style)}`;
}

/** A log of several dumps: each one's report in the file's order, under a rule that says which it is. */
export function goroutineDumpsText(r: GoroutineDumpsReport, style: Style, opts: GoroutineTextOptions): string {
  const file = r.files[0]!;
  const n = r.dumps.length;
  const intro = `${file} holds ${n} goroutine dumps; each is reported on its own (--dump N shows one).\n`;
  const parts = r.dumps.map((d) => {
    const rule = style.bold(`── Dump ${d.index} of ${n} ${'─'.repeat(40)}`);
    return `${rule}\n${analysisText(d, file, style, opts)}\n${style.bold('Findings')}\n${renderFindings(d.findings, style)}`;
  });
  return `${intro}\n${parts.join('\n')}`;
}

export function frameText(f: GoFrame | undefined): string {
  return f ? `${f.func} (${shortFile(f.file)}:${f.line})` : '?';
}

function shortFile(file: string): string {
  return file.split('/').slice(-2).join('/');
}

function sourceText(a: GoroutineAnalysis): string {
  if (a.profile) return `${a.profile.name} profile (${a.profile.form})`;
  const what = a.reason[0] ? `dump (${a.reason[0]})` : 'goroutine dump';
  return a.lines && a.lines.first > 1 ? `${what} at lines ${a.lines.first}–${a.lines.last}` : what;
}

function analysisText(a: GoroutineAnalysis, file: string, style: Style, opts: GoroutineTextOptions): string {
  const shown = a.groups.filter((g) => opts.system || !g.system);
  const out = [
    style.bold(
      `${file}: ${sourceText(a)}, ${formatCount(a.total)} goroutines in ${formatCount(a.groups.length)} groups` +
        (a.system ? ` (${formatCount(a.system)} runtime-internal)` : ''),
    ),
    `States   ${a.states.map((s) => `${s.state} ${formatCount(s.count)}`).join(', ')}`,
    `Stacks   ${stackText(a)}`,
    ...(a.stackMemory.problems ?? []).map((p) => style.severity('medium', `         not used: ${p}`)),
  ];
  for (const l of a.limits) out.push(style.dim(`Cannot show  ${l.text}${l.goroutines ? ` (${formatCount(l.goroutines)} goroutines)` : ''}`));
  if (a.truncated) out.push(style.severity('medium', 'The dump ends in the middle of a stack (cut off?): the last goroutine is incomplete.'));
  out.push('', groupTable(shown.slice(0, opts.limit), a.source === 'dump'));
  if (shown.length > opts.limit) out.push(style.dim(`… ${formatCount(shown.length - opts.limit)} more groups (--limit 0 lists all)`));
  out.push('');
  return out.join('\n');
}

function stackText(a: GoroutineAnalysis): string {
  const s = a.stackMemory;
  if (s.basis === 'estimate') return `≈ ${formatBytes(s.totalBytes)} (estimated from stack depths; --memstats FILE calibrates it)`;
  const share = s.sys ? `, ${formatFraction(s.totalBytes / s.sys)} of Sys ${formatBytes(s.sys)}` : '';
  return `${formatBytes(s.totalBytes)} (StackInuse from MemStats${share})`;
}

function waitText(g: GoroutineGroup): string {
  const { min, max } = g.waitMinutes;
  if (max === 0) return '';
  return `${min === max ? max : `${min}-${max}`}m`;
}

function groupTable(groups: readonly GoroutineGroup[], fromDump: boolean): string {
  const header = ['count', 'state', 'wait', 'stack', 'top frame', fromDump ? 'created by' : ''];
  const body = groups.map((g) => [
    formatCount(g.count),
    g.state + (g.stateInferred ? '?' : '') + (g.leaked ? ' (leaked)' : '') + (g.lockedToThread ? ' (locked)' : ''),
    waitText(g),
    formatBytes(g.stackBytes),
    frameText(g.topFrame) + (g.elided ? ' …deep' : ''),
    g.creator ? frameText(g.creator) + (g.parents.length > 1 ? ` from ${g.parents.length} goroutines` : '') : '',
  ]);
  return table([header, ...body], [true, false, true, true, false, false]);
}

function signed(n: number): string {
  return (n > 0 ? '+' : '') + formatCount(n);
}

function diffText(d: GoroutineDiff, before: string, after: string, style: Style): string {
  const out = [
    style.bold(`${before} → ${after}: ${formatCount(d.totalBefore)} → ${formatCount(d.totalAfter)} goroutines (${signed(d.totalAfter - d.totalBefore)})`),
    '',
    groupChangesText(d),
    '',
  ];
  return out.join('\n');
}

/** The groups whose count changed: change, before, after, delta, state, top frame. */
export function groupChangesText(d: GoroutineDiff): string {
  const changed = d.changes.filter((c) => c.change !== 'same');
  const header = ['change', 'before', 'after', 'delta', 'state', 'top frame'];
  const body = changed.map((c) => [c.change, formatCount(c.before), formatCount(c.after), signed(c.delta), c.state, frameText(c.group.topFrame)]);
  return changed.length ? table([header, ...body], [false, true, true, true, false, false]) : 'No group changed.';
}
