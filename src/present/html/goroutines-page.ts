import { formatBytes, formatCount } from '../../model/units.js';
import { maxOf } from '../../analyze/stats.js';
import type { GoroutineAnalysis, GoroutineDiff, GoroutineDumpsReport, GoroutineGroup } from '../../analyze/goroutines/index.js';
import { stateClass, type StateClass } from '../../analyze/goroutines/state.js';
import { cards, escapeHtml, findingHtml, page, table } from './page.js';

/**
 * `footprint goroutines --html`: where the goroutines are, as bars (one per
 * group, coloured by what it waits on), then the group table and findings.
 */

/** Bars drawn; the table lists the same groups. */
export const PAGE_GROUPS = 30;

const CLASS_COLOUR: Record<StateClass, string> = {
  channel: '#2a7ab0',
  forever: '#7b1fa2',
  lock: '#c62828',
  sync: '#ef8f00',
  timer: '#5b8c3a',
  io: '#607d8b',
  active: '#1d2330',
  runtime: '#9aa3b5',
  other: '#b0855a',
};

const CLASS_LABEL: Record<StateClass, string> = {
  channel: 'channel / select',
  forever: 'blocked forever',
  lock: 'lock',
  sync: 'WaitGroup / Cond',
  timer: 'sleep',
  io: 'I/O, syscall',
  active: 'running',
  runtime: 'runtime',
  other: 'other',
};

export function renderGoroutinesPage(a: GoroutineAnalysis, file: string): string {
  const body = [`<h1>Goroutines: ${escapeHtml(file)}</h1>`, analysisHtml(a)];
  return page(`footprint goroutines — ${file}`, body.join('\n'));
}

/** A log of several dumps: one section per dump, in the file's order. */
export function renderGoroutineDumpsPage(r: GoroutineDumpsReport): string {
  const file = r.files[0]!;
  const body = [
    `<h1>Goroutines: ${escapeHtml(file)}</h1>`,
    `<p class="sub">${r.dumps.length} goroutine dumps in this file, each on its own.</p>`,
    ...r.dumps.map((d) => `<section><h2>Dump ${d.index} of ${r.dumps.length}</h2>\n${analysisHtml(d)}</section>`),
  ];
  return page(`footprint goroutines — ${file}`, body.join('\n'));
}

function sourceHtml(a: GoroutineAnalysis): string {
  const what = a.profile ? `${a.profile.name} profile (${a.profile.form})` : 'goroutine dump';
  const lines = a.lines && a.lines.first > 1 ? `, lines ${a.lines.first}–${a.lines.last}` : '';
  return `<p class="sub">${escapeHtml(what + lines)}${a.reason[0] ? ` — ${escapeHtml(a.reason[0])}` : ''}</p>`;
}

function limitsHtml(a: GoroutineAnalysis): string {
  if (a.limits.length === 0) return '';
  const items = a.limits.map((l) => `<li>${escapeHtml(l.text)}${l.goroutines ? ` (${formatCount(l.goroutines)} goroutines)` : ''}</li>`);
  return `<p class="sub">What this form cannot show:</p><ul class="sub">${items.join('')}</ul>`;
}

function analysisHtml(a: GoroutineAnalysis): string {
  const shown = a.groups.filter((g) => !g.system).slice(0, PAGE_GROUPS);
  return [
    sourceHtml(a),
    limitsHtml(a),
    cards([
      ['goroutines', formatCount(a.total)],
      ['groups', formatCount(a.groups.length)],
      ['stack memory', `${formatBytes(a.stackMemory.totalBytes)}${a.stackMemory.basis === 'estimate' ? ' (est.)' : ''}`],
      ['findings', formatCount(a.findings.length)],
    ]),
    ...(a.stackMemory.problems ?? []).map((p) => `<p class="sub">MemStats not used: ${escapeHtml(p)}</p>`),
    '<h2>Groups by size</h2>',
    barChart(shown.map((g) => ({ label: `${g.topFrame?.func ?? '?'} · ${stateText(g)}`, count: g.count, cls: stateClass(g.state) }))),
    legendHtml(),
    '<h2>Groups</h2>',
    table(
      ['count', 'state', 'wait (min)', 'stack', 'top frame', 'created by'],
      shown.map((g) => [
        formatCount(g.count),
        stateText(g),
        waitText(g.waitMinutes),
        formatBytes(g.stackBytes).replace(' ', '\u00a0'),
        g.topFrame ? `${g.topFrame.func} (${g.topFrame.file}:${g.topFrame.line})` : '?',
        g.creator ? `${g.creator.func}${g.parents.length > 1 ? ` (from ${g.parents.length} goroutines)` : ''}` : '',
      ]),
      [true, false, true, true, false, false],
    ),
    '<h2>Findings</h2>',
    a.findings.length ? a.findings.map(findingHtml).join('\n') : '<p>No findings.</p>',
  ].join('\n');
}

function stateText(g: GoroutineGroup): string {
  return g.leaked ? `${g.state} (leaked)` : g.state;
}

/** For a comparison page: the groups whose count changed, before and after. */
export function groupChangesHtml(d: GoroutineDiff): string {
  const changed = d.changes.filter((c) => c.change !== 'same');
  const rows = changed.map((c) => [
    c.change,
    formatCount(c.before),
    formatCount(c.after),
    `${c.delta > 0 ? '+' : ''}${formatCount(c.delta)}`,
    c.state,
    c.group.topFrame ? `${c.group.topFrame.func} (${c.group.topFrame.file}:${c.group.topFrame.line})` : '?',
  ]);
  const body = changed.length ? table(['change', 'before', 'after', 'delta', 'state', 'top frame'], rows, [false, true, true, true, false, false]) : '<p>No group changed.</p>';
  return `<h2>Groups: ${formatCount(d.totalBefore)} → ${formatCount(d.totalAfter)} goroutines</h2>\n${body}`;
}

function waitText({ min, max }: { min: number; max: number }): string {
  if (max === 0) return '';
  return min === max ? String(max) : `${min}–${max}`;
}

const ROW = 18;
const LABEL_WIDTH = 420;
const BAR_WIDTH = 560;

function barChart(rows: { label: string; count: number; cls: StateClass }[]): string {
  const max = Math.max(1, maxOf(rows.map((r) => r.count)));
  const height = rows.length * ROW + 4;
  const bars = rows
    .map((r, i) => {
      const y = i * ROW + 2;
      const w = Math.max(1, (r.count / max) * BAR_WIDTH);
      const label = r.label.length > 64 ? `${r.label.slice(0, 63)}…` : r.label;
      return (
        `<text x="${LABEL_WIDTH - 6}" y="${y + 12}" text-anchor="end">${escapeHtml(label)}</text>` +
        `<rect x="${LABEL_WIDTH}" y="${y}" width="${w.toFixed(1)}" height="${ROW - 4}" fill="${CLASS_COLOUR[r.cls]}"><title>${r.count} · ${escapeHtml(r.label)}</title></rect>` +
        `<text x="${(LABEL_WIDTH + w + 4).toFixed(1)}" y="${y + 12}">${r.count}</text>`
      );
    })
    .join('\n');
  return `<svg role="img" aria-label="goroutine groups by size" width="${LABEL_WIDTH + BAR_WIDTH + 60}" height="${height}" viewBox="0 0 ${LABEL_WIDTH + BAR_WIDTH + 60} ${height}">\n${bars}\n</svg>`;
}

function legendHtml(): string {
  const items = (Object.keys(CLASS_LABEL) as StateClass[]).map(
    (c) => `<span><i style="background:${CLASS_COLOUR[c]};height:10px"></i>${escapeHtml(CLASS_LABEL[c])}</span>`,
  );
  return `<div class="legend">${items.join('')}</div>`;
}
