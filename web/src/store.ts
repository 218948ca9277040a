import { getJson, type Session } from './api.js';
import { h, markReady, notice } from './dom.js';
import { findingCard, type Finding } from './findings.js';

/** GET /api/store (src/server/store.ts StoreOverview). */
interface StoreOverview {
  description: string;
  snapshots: { id: number; target: string; time: string; kinds: string[] }[];
  findings: { finding: Finding; target: string; link?: { snapshot: number; kind: string; base?: number; sampleType?: string; search?: string } }[];
}

/** GET /api/store/open: the session's index of the opened profile, and the profile as the session lists it. */
interface Opened {
  p: number;
  profile: Session['profiles'][number];
}

/**
 * The store view: its history's findings (each linking to the snapshots it
 * spans, as a diff), and its snapshots per target, any kind of any snapshot
 * one click from the flame graph; a snapshot chosen as base makes the next
 * one opened a diff against it (pprof's --diff_base).
 *
 * `#store?open=ID&kind=K[&base=B][&si=…][&search=…]` opens a snapshot: the
 * server reads it from the store and adds it to the session's profiles, then
 * the flame view shows it.
 */
export async function renderStore(root: HTMLElement, session: Session, params: URLSearchParams): Promise<void> {
  const open = params.get('open');
  if (open !== null) return openSnapshot(root, session, params);
  const store = await getJson<StoreOverview>('store');
  const targets = [...new Set(store.snapshots.map((s) => s.target))];
  const base = h('span', { class: 'base-info', text: 'Choose a base (◉) to open the next snapshot as a diff against it.' });
  root.replaceChildren(
    h('h2', { text: `${store.snapshots.length} snapshot${store.snapshots.length === 1 ? '' : 's'} of ${targets.length} service${targets.length === 1 ? '' : 's'} in ${store.description}` }),
    h('h3', { text: store.findings.length ? `${store.findings.length} finding${store.findings.length === 1 ? '' : 's'} over the stored history` : 'No findings over the stored history' }),
    ...store.findings.map((f) => findingCard(f.finding, `${f.finding.kind} · ${f.target}`, f.link ? findingLink(f.link) : undefined)),
    h('p', { class: 'notes' }, base),
    ...targets.map((t) => snapshotTable(t, store.snapshots.filter((s) => s.target === t), base)),
  );
  if (store.snapshots.length === 0) root.append(notice('The store holds no snapshot yet: footprint watch writes them.'));
  markReady('store');
}

function findingLink(link: NonNullable<StoreOverview['findings'][number]['link']>): HTMLElement {
  const q = new URLSearchParams({ open: String(link.snapshot), kind: link.kind });
  if (link.base !== undefined) q.set('base', String(link.base));
  if (link.sampleType) q.set('si', link.sampleType);
  if (link.search) q.set('search', link.search);
  const what = link.base !== undefined ? `#${link.snapshot} − #${link.base}` : `#${link.snapshot}`;
  return h('a', { class: 'goto', href: `#store?${q}`, text: `Show ${link.kind} ${what} in the flame graph →` });
}

function snapshotTable(target: string, snapshots: StoreOverview['snapshots'], baseInfo: HTMLElement): HTMLElement {
  const rows = snapshots.map((s) =>
    h(
      'tr',
      { 'data-snapshot': s.id },
      h('td', { class: 'num', text: `#${s.id}` }),
      h('td', { text: new Date(s.time).toLocaleString() }),
      h('td', { class: 'kinds' }, ...s.kinds.filter((k) => k !== 'memstats').map((k) => kindLink(s.id, k))),
      h('td', {}, h('input', { type: 'radio', name: 'base', value: String(s.id), title: `diff base: snapshot #${s.id}`, onchange: () => (baseInfo.textContent = `Base: #${s.id} — the next snapshot opened is shown as a diff against it.`) })),
    ),
  );
  return h(
    'section',
    { class: 'target' },
    h('h3', { text: target }),
    h('table', { class: 'rows snapshots' }, h('thead', {}, h('tr', {}, h('th', { text: 'id' }), h('th', { text: 'taken' }), h('th', { text: 'open' }), h('th', { text: 'base' }))), h('tbody', {}, ...rows)),
  );
}

/** Opens snapshot `id`'s `kind`, as a diff when another snapshot is the chosen base. */
function kindLink(id: number, kind: string): HTMLElement {
  const href = `#store?${new URLSearchParams({ open: String(id), kind })}`;
  return h('a', {
    href,
    class: 'kind',
    text: kind,
    onclick: (e: Event) => {
      const base = document.querySelector<HTMLInputElement>('input[name=base]:checked')?.value;
      if (!base || base === String(id)) return;
      e.preventDefault();
      location.hash = `${href}&base=${base}`;
    },
  });
}

async function openSnapshot(root: HTMLElement, session: Session, params: URLSearchParams): Promise<void> {
  const base = params.get('base');
  // A 400k-stack snapshot takes seconds to read and more to diff: say what is being read.
  root.replaceChildren(h('p', { class: 'loading', text: `Reading snapshot #${params.get('open')} (${params.get('kind') ?? 'heap'})${base ? ` and its base #${base}` : ''} from the store…` }));
  const opened = await getJson<Opened>('store/open', { id: params.get('open')!, kind: params.get('kind') ?? undefined, base: params.get('base') ?? undefined });
  session.profiles[opened.p] = opened.profile;
  const q = new URLSearchParams({ p: String(opened.p) });
  for (const key of ['si', 'search']) {
    const v = params.get(key);
    if (v) q.set(key, v);
  }
  // Replaced, not pushed: Back returns to the store's list, not to this redirect.
  location.replace(`#flame?${q}`);
}
