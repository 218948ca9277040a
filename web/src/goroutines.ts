import { getJson, type Session } from './api.js';
import { h, markReady } from './dom.js';
import { formatBytes, formatCount } from './format.js';

interface GoFrame {
  func: string;
  file: string;
  line: number;
  inlined: boolean;
}

interface Group {
  count: number;
  state: string;
  stateInferred: boolean;
  leaked: boolean;
  waitMinutes: { min: number; max: number };
  frames: GoFrame[];
  topFrame?: GoFrame;
  creator?: GoFrame;
  stackBytes: number;
  system: boolean;
}

interface Report {
  files: string[];
  total: number;
  system: number;
  groups: Group[];
  states: { state: string; count: number }[];
  limits: { what: string; why?: string }[] | string[];
  diff?: { totalBefore: number; totalAfter: number; changes: { change: string; before: number; after: number; delta: number; group: Group }[] };
  stackMemory: { totalBytes: number };
}

function changeCell(c: { change: string; delta: number } | undefined): HTMLElement {
  const text = !c || c.delta === 0 ? '' : c.change === 'appeared' ? `new +${c.delta}` : c.delta > 0 ? `+${c.delta}` : String(c.delta);
  return h('td', { class: `num ${c && c.delta > 0 ? 'grew' : c && c.delta < 0 ? 'shrank' : ''}`, text });
}

const key = (g: Group) => `${g.state}\n${g.frames.map((f) => `${f.func} ${f.file}:${f.line}`).join('\n')}\n${g.creator?.func ?? ''}`;

/** Colour of a wait state: what kind of thing the goroutines wait on. */
function stateClass(state: string): string {
  if (/running|runnable|syscall/.test(state)) return 'run';
  if (/Mutex|RWMutex|semacquire|sync\./.test(state)) return 'lock';
  if (/chan|select/.test(state)) return 'chan';
  if (/IO wait|sleep|timer/.test(state)) return 'io';
  return 'other';
}

function wait(g: Group): string {
  const { min, max } = g.waitMinutes;
  if (max === 0) return '';
  return min === max ? `${min} min` : `${min}–${max} min`;
}

export async function renderGoroutines(root: HTMLElement, _session: Session, params: URLSearchParams): Promise<void> {
  const r = await getJson<Report>('goroutines');
  const search = params.get('search');
  const re = search ? new RegExp(search) : undefined;
  const growth = new Map((r.diff?.changes ?? []).map((c) => [key(c.group), c]));
  const max = Math.max(1, ...r.groups.slice(0, 1).map((g) => g.count));
  const th = (text: string, cls = '') => h('th', { class: cls, text });
  const head = h('tr', {}, th('goroutines', 'num'), th(''), th('state'), th('waiting'), ...(r.diff ? [th('change', 'num')] : []), th('top frame (click for the stack)'), th('created by'), th('stacks', 'num'));
  const rows = r.groups.map((g, i) => {
    const change = growth.get(key(g));
    const hit = re !== undefined && g.frames.some((f) => re.test(f.func));
    const stack = h('pre', { class: 'stack', text: g.frames.map((f) => `${f.func}${f.inlined ? ' (inlined)' : ''}\n\t${f.file}:${f.line}`).join('\n') + (g.creator ? `\ncreated by ${g.creator.func}\n\t${g.creator.file}:${g.creator.line}` : '') });
    const details = h('details', { open: hit || (re === undefined && i === 0) }, h('summary', { text: g.topFrame?.func ?? g.frames[0]?.func ?? '?' }), stack);
    return h(
      'tr',
      { class: `${hit ? 'hit' : ''} ${g.system ? 'system' : ''}`, 'data-count': g.count },
      h('td', { class: 'num', text: formatCount(g.count) }),
      h('td', { class: 'bar' }, h('span', { class: `bar ${stateClass(g.state)}` })),
      h('td', { class: 'state', text: `${g.state}${g.stateInferred ? ' (from the stack)' : ''}${g.leaked ? ' · leaked (proven)' : ''}` }),
      h('td', { class: 'wait', text: wait(g) }),
      ...(r.diff ? [changeCell(change)] : []),
      h('td', { class: 'frames' }, details),
      h('td', { text: g.creator?.func ?? '' }),
      h('td', { class: 'num', text: formatBytes(g.stackBytes) }),
    );
  });
  // Bar widths are set through the CSSOM (the page's CSP allows no inline style attributes).
  rows.forEach((row, i) => ((row.querySelector('span.bar') as HTMLElement).style.width = `${Math.max(2, (r.groups[i]!.count / max) * 100)}%`));
  // Groups of the first look that the last one no longer has: their goroutines ended.
  const vanished = (r.diff?.changes ?? [])
    .filter((c) => c.change === 'vanished')
    .map((c) =>
      h(
        'tr',
        { class: 'vanished' },
        h('td', { class: 'num', text: '0' }),
        h('td'),
        h('td', { text: c.group.state }),
        h('td'),
        changeCell(c),
        h('td', { class: 'frames', text: `${c.group.topFrame?.func ?? c.group.frames[0]?.func ?? '?'} (gone since the first look)` }),
        h('td', { text: c.group.creator?.func ?? '' }),
        h('td'),
      ),
    );
  const states = h('p', { class: 'states' }, ...r.states.map((s) => h('span', { class: `chip ${stateClass(s.state)}`, text: `${s.state}: ${formatCount(s.count)}` })));
  const growthLine: HTMLElement | undefined = r.diff
    ? h('p', { class: 'growth', text: `${r.files.length} looks: ${formatCount(r.diff.totalBefore)} → ${formatCount(r.diff.totalAfter)} goroutines (${r.diff.totalAfter - r.diff.totalBefore >= 0 ? '+' : ''}${r.diff.totalAfter - r.diff.totalBefore}) between the first and the last` })
    : undefined;
  root.replaceChildren(
    ...[
    h('h2', { text: `${formatCount(r.total)} goroutines in ${formatCount(r.groups.length)} groups · stacks ${formatBytes(r.stackMemory.totalBytes)}` }),
    h('p', { class: 'caption', text: r.files.join(', ') }),
    growthLine,
    states,
    h('table', { class: 'rows goroutines' }, h('thead', {}, head), h('tbody', {}, ...rows, ...vanished)),
    ].filter((x) => x !== undefined),
  );
  markReady('goroutines');
}
