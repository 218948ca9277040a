import { ApiError, getFlame, getJson, type Session } from '../api.js';
import { h, hideTooltip, markReady, notice, showTooltip } from '../dom.js';
import { formatValue, percent, signed } from '../format.js';
import { FlameCanvas, type Orientation } from './canvas.js';
import { sandwich } from './sandwich.js';
import { matchedTotal } from './table.js';
import { TopTable } from './top-table.js';
import { frameName, pathTo, type Tree } from './tree.js';
import type { FlameHeader } from './wire.js';

/** The view's state, kept in the URL hash so a view can be linked and reloaded. */
interface State {
  p: string;
  si: string;
  focus: string;
  ignore: string;
  hide: string;
  search: string;
  zoom: number;
  o: Orientation;
  /** A function name: show its sandwich. */
  sw: string;
}


function stateFrom(params: URLSearchParams, session: Session): State {
  const p = Number(params.get('p') ?? 0);
  const profile = session.profiles[p] ?? session.profiles[0]!;
  const si = params.get('si') ?? profile.sampleTypes[profile.sampleIndex]!.type;
  return {
    p: String(p),
    si,
    focus: params.get('focus') ?? '',
    ignore: params.get('ignore') ?? '',
    hide: params.get('hide') ?? '',
    search: params.get('search') ?? '',
    zoom: Number(params.get('zoom') ?? 0) || 0,
    o: params.get('o') === 'flame' ? 'flame' : 'icicle',
    sw: params.get('sw') ?? '',
  };
}

/** Writes the state into the hash without a navigation (the view is already showing it). */
function saveState(s: State): void {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(s)) if (v !== '' && !(k === 'zoom' && v === 0) && !(k === 'o' && v === 'icicle')) q.set(k, String(v));
  history.replaceState(null, '', `#flame?${q}`);
}

/** The flame graph view: toolbar, breadcrumbs, the graph, a sandwich when asked, and the table in sync with the zoom. */
export async function renderFlame(root: HTMLElement, session: Session, params: URLSearchParams): Promise<void> {
  if (session.profiles.length === 0) {
    root.replaceChildren(notice('No profile is open yet: open a snapshot from the Store tab.'));
    return;
  }
  const s = stateFrom(params, session);
  const view = new FlameView(root, session, s);
  await view.load();
}

class FlameView {
  private tree: Tree | undefined;
  private header: FlameHeader | undefined;
  private readonly graph = new FlameCanvas('flame graph');
  private readonly callers = new FlameCanvas('callers');
  private readonly callees = new FlameCanvas('callees');
  private readonly crumbs = h('nav', { class: 'crumbs' });
  private readonly status = h('div', { class: 'status' });
  private readonly searchInfo = h('span', { class: 'search-info' });
  private readonly top = new TopTable({ search: (name) => void this.searchExact(name), sandwich: (name) => this.showSandwich(name) });
  private readonly sandwichBox = h('section', { class: 'sandwich', hidden: true });
  private readonly graphBox = h('div', { class: 'graph' });
  private readonly warnings = h('div', { class: 'warnings' });
  private searchTimer: number | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly session: Session,
    private readonly s: State,
  ) {
    this.graphBox.append(this.graph.canvas);
    root.replaceChildren(this.toolbar(), this.warnings, this.crumbs, this.status, this.graphBox, this.sandwichBox, this.top.element);
    this.wire(this.graph, true);
    this.wire(this.callers, false);
    this.wire(this.callees, false);
    new ResizeObserver(() => this.redraw()).observe(this.graphBox);
    (window as unknown as { footprintFlame: unknown }).footprintFlame = this;
  }

  private toolbar(): HTMLElement {
    const s = this.s;
    const profile = h('select', { 'aria-label': 'profile', onchange: (e: Event) => this.reload({ p: (e.target as HTMLSelectElement).value, si: '' }) });
    this.session.profiles.forEach((p, i) => profile.append(h('option', { value: String(i), text: `${p.name} (${p.kind})`, selected: String(i) === s.p })));
    const current = this.session.profiles[Number(s.p)]!;
    const type = h('select', { 'aria-label': 'sample type', onchange: (e: Event) => this.reload({ si: (e.target as HTMLSelectElement).value }) });
    for (const t of current.sampleTypes) type.append(h('option', { value: t.type, text: t.type, selected: t.type === s.si }));
    const orientation = h('button', {
      type: 'button',
      class: 'toggle',
      title: 'icicle: callers on top; flame: callers at the bottom',
      text: s.o === 'icicle' ? 'Icicle ▾' : 'Flame ▴',
      onclick: (e: Event) => {
        s.o = s.o === 'icicle' ? 'flame' : 'icicle';
        (e.target as HTMLButtonElement).textContent = s.o === 'icicle' ? 'Icicle ▾' : 'Flame ▴';
        saveState(s);
        this.redraw();
      },
    });
    const search = h('input', { type: 'search', placeholder: 'search (Go regexp)', value: s.search, 'aria-label': 'search', spellcheck: false });
    search.addEventListener('input', () => {
      window.clearTimeout(this.searchTimer);
      this.searchTimer = window.setTimeout(() => void this.search(search.value), 250);
    });
    const filter = (name: 'focus' | 'ignore' | 'hide', title: string) =>
      h('input', { type: 'text', name, placeholder: name, value: s[name], title, 'aria-label': name, spellcheck: false });
    const focus = filter('focus', 'keep only stacks through a matching function (pprof --focus)');
    const ignore = filter('ignore', 'drop stacks through a matching function (pprof --ignore)');
    const hide = filter('hide', 'remove matching frames from stacks (pprof --hide)');
    const form = h(
      'form',
      {
        class: 'filters',
        onsubmit: (e: Event) => {
          e.preventDefault();
          void this.reload({ focus: focus.value, ignore: ignore.value, hide: hide.value });
        },
      },
      h('label', { text: 'Filters, as pprof names them:' }),
      focus,
      ignore,
      hide,
      h('button', { type: 'submit', text: 'Apply' }),
    );
    const reset = h('button', { type: 'button', text: 'Clear', onclick: () => void this.reload({ focus: '', ignore: '', hide: '' }) });
    form.append(reset);
    return h('div', { class: 'toolbars' }, h('div', { class: 'toolbar' }, profile, type, orientation, h('span', { class: 'search' }, search, this.searchInfo)), h('div', { class: 'toolbar' }, form));
  }

  /** Fetches the tree for the current profile, sample type and filters, then draws everything. */
  async load(): Promise<void> {
    this.status.textContent = 'Loading the profile…';
    try {
      const s = this.s;
      const { header, tree } = await getFlame({ p: s.p, si: s.si, focus: s.focus, ignore: s.ignore, hide: s.hide });
      this.header = header;
      this.tree = tree;
      this.top.clear();
    } catch (err) {
      this.status.replaceChildren(notice(err instanceof ApiError ? err.message : String(err), 'error'));
      markReady('flame');
      return;
    }
    if (this.s.zoom >= this.tree.count) this.s.zoom = 0;
    this.graph.tree = this.tree;
    this.graph.root = this.s.zoom;
    this.warnings.replaceChildren(...this.header.warnings.map((w) => notice(w)), ...(this.header.diff ? [this.legend()] : []));
    this.redraw();
    markReady('flame');
    if (this.s.search) await this.search(this.s.search);
    if (this.s.sw) this.showSandwich(this.s.sw);
  }

  private legend(): HTMLElement {
    return h(
      'p',
      { class: 'legend' },
      h('span', { class: 'swatch grew' }),
      ' grew  ',
      h('span', { class: 'swatch shrank' }),
      ' shrank (new − base; deeper colour, larger relative change); width is base + new, so what vanished still shows',
    );
  }

  private async reload(change: Partial<State>): Promise<void> {
    Object.assign(this.s, change, { zoom: 0, sw: '' });
    if (change.p !== undefined) {
      const profile = this.session.profiles[Number(change.p)]!;
      this.s.si = profile.sampleTypes[profile.sampleIndex]!.type;
      this.root.replaceChildren();
      saveState(this.s);
      await renderFlame(this.root, this.session, new URLSearchParams(location.hash.slice('#flame?'.length)));
      return;
    }
    saveState(this.s);
    this.sandwichBox.hidden = true;
    await this.load();
  }

  redraw(): void {
    const tree = this.tree;
    if (!tree) return;
    const width = Math.max(200, this.graphBox.clientWidth);
    this.graph.orientation = this.s.o;
    this.graph.draw(width);
    this.renderCrumbs();
    this.top.schedule(this.tree!, this.header!, this.s.zoom);
    this.renderMatches();
    const st = this.graph.stats;
    const unit = this.header!.unit;
    this.status.textContent =
      `${this.header!.sampleType}: ${formatValue(tree.value[0]!, unit)} in ${tree.count.toLocaleString('en-US')} nodes` +
      ` · drew ${st.boxes.toLocaleString('en-US')} boxes (+${st.merged.toLocaleString('en-US')} merged runs) in ${st.ms.toFixed(1)} ms` +
      ' · click a box to zoom, Esc to zoom out';
    if (!this.sandwichBox.hidden) this.drawSandwich();
  }

  zoomTo(node: number): void {
    if (!this.tree || node < 0) return;
    this.s.zoom = node;
    this.graph.root = node;
    saveState(this.s);
    this.redraw();
  }

  private renderCrumbs(): void {
    const tree = this.tree!;
    const path = pathTo(tree, this.s.zoom);
    const items = path.map((n, i) =>
      i === path.length - 1 ? h('span', { class: 'here', text: frameName(tree, n) }) : h('a', { href: '#', text: frameName(tree, n), onclick: (e: Event) => (e.preventDefault(), this.zoomTo(n)) }),
    );
    const sep = () => h('span', { class: 'sep', text: '›' });
    this.crumbs.replaceChildren(...items.flatMap((el, i) => (i === 0 ? [el] : [sep(), el])));
    if (this.s.zoom > 0) {
      const name = frameName(tree, this.s.zoom);
      this.crumbs.append(h('button', { type: 'button', class: 'small', text: `Sandwich of ${name}`, onclick: () => this.showSandwich(name) }));
    }
  }

  /**
   * The table follows the graph: at once when known or small, else after the
   * frame that shows the new graph, so a zoom never waits for it.
   */
  /** The search's total inside the current zoom (a match's own descendants are not counted twice). */
  private renderMatches(): void {
    const tree = this.tree!;
    if (!this.graph.marked) return;
    const m = matchedTotal(tree, this.s.zoom, this.graph.marked);
    this.searchInfo.className = 'search-info';
    const where = this.s.zoom === 0 ? 'of all' : 'of this view';
    this.searchInfo.textContent = m.nodes === 0 ? 'no match' : `matched ${formatValue(m.total, this.header!.unit)} (${percent(m.total, tree.value[this.s.zoom]!)} ${where})`;
    this.searchInfo.dataset['total'] = String(m.total);
  }

  private async searchExact(name: string): Promise<void> {
    const re = `^${name.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&')}$`;
    (this.root.querySelector('input[type=search]') as HTMLInputElement).value = re;
    await this.search(re);
  }

  /** Marks the frames whose names match (Go's regexp syntax, matched by the server) and shows their total. */
  async search(re: string): Promise<void> {
    this.s.search = re;
    saveState(this.s);
    const tree = this.tree;
    if (!tree) return;
    if (!re) {
      this.graph.marked = undefined;
      this.searchInfo.textContent = '';
      this.redraw();
      return;
    }
    let frames: number[];
    try {
      frames = (await getJson<{ frames: number[] }>('match', { p: this.s.p, re })).frames;
    } catch (err) {
      this.searchInfo.textContent = err instanceof ApiError ? err.message : String(err);
      this.searchInfo.className = 'search-info error';
      return;
    }
    const marked = new Uint8Array(tree.frames.length);
    for (const f of frames) if (f < marked.length) marked[f] = 1;
    this.graph.marked = marked;
    this.redraw();
  }

  private showSandwich(name: string): void {
    this.s.sw = name;
    saveState(this.s);
    this.sandwichBox.hidden = false;
    this.drawSandwich();
    this.sandwichBox.scrollIntoView({ block: 'nearest' });
  }

  private drawSandwich(): void {
    const tree = this.tree!;
    const frame = tree.frames.findIndex((f) => f.name === this.s.sw);
    const both = frame >= 0 ? sandwich(tree, frame) : undefined;
    const close = h('button', { type: 'button', class: 'small', text: 'close', onclick: () => ((this.sandwichBox.hidden = true), (this.s.sw = ''), saveState(this.s)) });
    if (!both) {
      this.sandwichBox.replaceChildren(h('h3', { text: `Sandwich: ${this.s.sw}` }), close, notice('not in this graph'));
      return;
    }
    this.callers.tree = both.callers;
    this.callees.tree = both.callees;
    this.callers.orientation = 'flame';
    this.callees.orientation = 'icicle';
    this.callers.firstRow = this.callees.firstRow = 1;
    const width = Math.max(200, this.graphBox.clientWidth - 18);
    this.callers.draw(width);
    this.callees.draw(width);
    this.sandwichBox.replaceChildren(
      h('h3', { text: `Sandwich: ${this.s.sw} — ${formatValue(both.callers.value[0]!, this.header!.unit)}` }, ' ', close),
      h('p', { class: 'caption', text: 'callers: the bottom row is the function, each row above calls the one below' }),
      this.callers.canvas,
      h('p', { class: 'caption', text: 'callees: the top row is the function, below it what it calls' }),
      this.callees.canvas,
    );
  }

  private wire(c: FlameCanvas, zooms: boolean): void {
    const at = (e: MouseEvent) => {
      const r = c.canvas.getBoundingClientRect();
      return c.nodeAt(e.clientX - r.left, e.clientY - r.top);
    };
    c.canvas.addEventListener('mousemove', (e) => {
      const n = at(e);
      if (n < 0 || !c.tree) return hideTooltip();
      showTooltip(e, this.describe(c.tree, n, c.tree === this.tree ? this.s.zoom : 0));
    });
    c.canvas.addEventListener('mouseleave', hideTooltip);
    c.canvas.addEventListener('click', (e) => {
      const n = at(e);
      if (n < 0 || !c.tree) return;
      if (zooms) this.zoomTo(n);
      else if (n > 0) this.showSandwich(frameName(c.tree, n));
    });
    if (zooms) {
      window.addEventListener('keydown', (e) => {
        if (e.key === 'Escape' && this.tree && this.s.zoom > 0) this.zoomTo(this.tree.parent[this.s.zoom]!);
      });
    }
  }

  /** The hover card: name, file:line, cum and self with units and shares; under a diff, base → new. */
  private describe(tree: Tree, n: number, viewRoot: number): HTMLElement {
    const unit = this.header!.unit;
    const f = tree.frame[n]!;
    const frame = f >= 0 ? tree.frames[f]! : undefined;
    let children = 0;
    for (let c = n + 1; c < tree.end[n]!; c = tree.end[c]!) children += tree.value[c]!;
    const total = this.header!.total || Math.abs(tree.value[0]!);
    const lines: (string | HTMLElement)[] = [h('strong', { text: frameName(tree, n) })];
    if (frame?.file) lines.push(h('span', { class: 'file', text: `${frame.file}${frame.line ? `:${frame.line}` : ''}` }));
    if (tree.base) {
      const base = tree.base[n]!;
      const now = tree.value[n]! + base;
      lines.push(`base ${formatValue(base, unit)} → new ${formatValue(now, unit)}`, `change ${signed(tree.value[n]!, unit)} (${percent(tree.value[n]!, total)} of base total)`);
    } else {
      lines.push(`cum ${formatValue(tree.value[n]!, unit)} (${percent(tree.value[n]!, total)}; ${percent(tree.value[n]!, tree.value[viewRoot]!)} of view)`);
      lines.push(`flat ${formatValue(tree.value[n]! - children, unit)} (${percent(tree.value[n]! - children, total)})`);
    }
    return h('div', {}, ...lines.flatMap((l) => [typeof l === 'string' ? h('span', { text: l }) : l]));
  }
}
