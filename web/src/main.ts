import { getJson, type Session } from './api.js';
import { h, notice } from './dom.js';
import { renderFindings } from './findings.js';
import { renderFlame } from './flame/view.js';
import { renderGoroutines } from './goroutines.js';
import { renderTimeline } from './timeline.js';
import { renderStore } from './store.js';
import { renderTrace } from './trace.js';

type Render = (root: HTMLElement, session: Session, params: URLSearchParams) => Promise<void>;

const VIEWS: Record<string, { label: string; render: Render }> = {
  store: { label: 'Store', render: renderStore },
  findings: { label: 'Findings', render: renderFindings },
  flame: { label: 'Flame graph', render: renderFlame },
  timeline: { label: 'GC timeline', render: renderTimeline },
  trace: { label: 'Trace', render: renderTrace },
  goroutines: { label: 'Goroutines', render: renderGoroutines },
};

/** `#view?a=b` → the view's name and its parameters. */
function route(session: Session): { view: string; params: URLSearchParams } {
  const hash = location.hash.slice(1);
  const q = hash.indexOf('?');
  const view = q < 0 ? hash : hash.slice(0, q);
  return { view: session.views.includes(view) ? view : session.start, params: new URLSearchParams(q < 0 ? '' : hash.slice(q + 1)) };
}

async function show(session: Session): Promise<void> {
  const { view, params } = route(session);
  for (const a of document.querySelectorAll<HTMLAnchorElement>('#tabs a')) a.classList.toggle('active', a.dataset['view'] === view);
  const root = document.getElementById('view')!;
  root.replaceChildren(h('p', { class: 'loading', text: 'Loading…' }));
  root.className = `view-${view}`;
  try {
    await VIEWS[view]!.render(root, session, params);
  } catch (err) {
    root.replaceChildren(notice(String(err instanceof Error ? err.message : err), 'error'));
  }
}

async function start(): Promise<void> {
  const session = await getJson<Session>('session');
  document.getElementById('title')!.textContent = session.title;
  document.title = `footprint — ${session.title}`;
  document.getElementById('tabs')!.replaceChildren(...session.views.map((v) => h('a', { href: `#${v}`, 'data-view': v, text: VIEWS[v]!.label })));
  window.addEventListener('hashchange', () => void show(session));
  await show(session);
}

void start().catch((err: unknown) => {
  document.getElementById('view')!.replaceChildren(notice(`cannot start: ${err instanceof Error ? err.message : String(err)}`, 'error'));
});
