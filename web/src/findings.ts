import { getJson, type Session } from './api.js';
import { h, markReady, notice } from './dom.js';
import { formatValue } from './format.js';
import { formatQuantity, type Unit } from '../../src/model/units.js';

interface Evidence {
  label: string;
  value: number | string;
  unit?: string;
}

/** src/analyze/finding.ts Finding, as the API sends it. */
export interface Finding {
  kind: string;
  severity: 'high' | 'medium' | 'low' | 'info';
  title: string;
  location?: { function: string; file?: string; line?: number };
  evidence: Evidence[];
  advice: string;
  seenIn?: string[];
}

interface LinkedFinding {
  finding: Finding;
  from: string;
  link?: { view: string; dataset: number; sampleType?: string; search?: string };
}

const VIEW_LABEL: Record<string, string> = { flame: 'flame graph', timeline: 'GC timeline', trace: 'trace', goroutines: 'goroutines' };

function evidenceText(e: Evidence): string {
  if (typeof e.value === 'string') return e.value;
  if (!e.unit) return formatValue(e.value, 'count');
  return (formatQuantity(e.value, e.unit as Unit) as string | undefined) ?? `${e.value} ${e.unit}`;
}

/** The hash a finding's link opens: the view, its input, and the function to highlight. */
export function linkHash(link: NonNullable<LinkedFinding['link']>): string {
  const q = new URLSearchParams();
  if (link.view === 'flame') {
    q.set('p', String(link.dataset));
    if (link.sampleType) q.set('si', link.sampleType);
  } else if (link.dataset > 0) q.set('d', String(link.dataset));
  if (link.search) q.set('search', link.search);
  return `#${link.view}${q.size ? `?${q}` : ''}`;
}

export async function renderFindings(root: HTMLElement, session: Session): Promise<void> {
  const items = await getJson<LinkedFinding[]>('findings');
  const notes = session.notes.map((n) => h('li', { text: n }));
  root.replaceChildren(
    h('h2', { text: items.length ? `${items.length} finding${items.length === 1 ? '' : 's'}, most important first` : 'No findings' }),
    ...(notes.length ? [h('ul', { class: 'notes' }, ...notes)] : []),
    ...(items.length ? items.map(card) : [notice('Nothing here needs attention. The other tabs show the data.')]),
  );
  markReady('findings');
}

function card(item: LinkedFinding): HTMLElement {
  const f = item.finding;
  const from = `${f.kind} · from ${item.from}${f.seenIn ? ` · seen in ${f.seenIn.join(', ')}` : ''}`;
  return findingCard(f, from, item.link ? h('a', { class: 'goto', href: linkHash(item.link), text: `Show in the ${VIEW_LABEL[item.link.view] ?? item.link.view} →` }) : undefined);
}

/** One finding as a card: title, where, evidence, advice, and a footer with where it came from and a link to its evidence. */
export function findingCard(f: Finding, from: string, goto?: HTMLElement): HTMLElement {
  const loc = f.location;
  const where = loc ? `${loc.function}${loc.file ? ` (${loc.file}${loc.line ? `:${loc.line}` : ''})` : ''}` : '';
  return h(
    'article',
    { class: `finding ${f.severity}`, 'data-kind': f.kind },
    h('header', {}, h('span', { class: `badge ${f.severity}`, text: f.severity.toUpperCase() }), h('span', { class: 'title', text: f.title })),
    where ? h('p', { class: 'where', text: `at ${where}` }) : undefined,
    h('dl', {}, ...f.evidence.flatMap((e) => [h('dt', { text: e.label }), h('dd', { text: evidenceText(e) })])),
    h('p', { class: 'advice', text: f.advice }),
    h('footer', {}, h('span', { class: 'from', text: from }), goto),
  );
}
