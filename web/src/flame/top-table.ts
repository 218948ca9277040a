import { h } from '../dom.js';
import { formatValue, percent, signed } from '../format.js';
import { tableRows, type TableRow } from './table.js';
import { frameName, type Tree } from './tree.js';
import type { FlameHeader } from './wire.js';

const TABLE_ROWS = 200;
/** Subtrees bigger than this get their table after the graph's frame (a pass over millions of nodes). */
const DEFER_TABLE_NODES = 100_000;
/** Zoomed nodes whose rows are kept (zooming back out is then free). */
const CACHED_ZOOMS = 16;

export interface TopTableActions {
  /** A function's name was clicked: search for it. */
  search(name: string): void;
  /** Its sandwich button was clicked. */
  sandwich(name: string): void;
}

/**
 * The `top` table under the flame graph, kept in sync with its zoom: flat and
 * cum per function as `footprint top` counts them, within the zoomed subtree.
 */
export class TopTable {
  readonly element: HTMLElement;
  private readonly body = h('tbody');
  private readonly title = h('h3');
  private rows = new Map<number, TableRow[]>();
  private token = 0;

  constructor(private readonly actions: TopTableActions) {
    const head = h('tr', {}, ...['flat', 'flat%', 'cum', 'cum%'].map((t) => h('th', { class: 'num', text: t })), h('th', { text: 'function' }), h('th'));
    this.element = h('section', { class: 'top' }, this.title, h('table', { class: 'rows' }, h('thead', {}, head), this.body));
  }

  /** A new tree: the cached rows belong to the old one. */
  clear(): void {
    this.rows.clear();
  }

  /** Draws the table for `zoom`, after the graph's frame when the subtree is large and not cached. */
  schedule(tree: Tree, header: FlameHeader, zoom: number): void {
    const token = ++this.token;
    if (this.rows.has(zoom) || tree.end[zoom]! - zoom <= DEFER_TABLE_NODES) return this.render(tree, header, zoom);
    this.body.parentElement!.classList.add('stale');
    requestAnimationFrame(() => setTimeout(() => token === this.token && this.render(tree, header, zoom)));
  }

  private rowsAt(tree: Tree, zoom: number): TableRow[] {
    let rows = this.rows.get(zoom);
    if (!rows) {
      rows = tableRows(tree, zoom);
      if (this.rows.size >= CACHED_ZOOMS) this.rows.delete(this.rows.keys().next().value!);
      this.rows.set(zoom, rows);
    }
    return rows;
  }

  private render(tree: Tree, header: FlameHeader, zoom: number): void {
    const unit = header.unit;
    const total = header.total || Math.abs(tree.value[0]!);
    const rows = this.rowsAt(tree, zoom);
    this.body.parentElement!.classList.remove('stale');
    this.title.textContent =
      zoom === 0 ? `Functions (${rows.length.toLocaleString('en-US')}): flat and cum as footprint top counts them` : `Functions under ${frameName(tree, zoom)} (${rows.length.toLocaleString('en-US')})`;
    const fmt = (v: number) => (header.diff ? signed(v, unit) : formatValue(v, unit));
    this.body.replaceChildren(
      ...rows.slice(0, TABLE_ROWS).map((r) => {
        const name = tree.frames[r.frame]!.name;
        const cls = header.diff ? (r.cum > 0 ? 'grew' : r.cum < 0 ? 'shrank' : '') : '';
        return h(
          'tr',
          { class: cls, 'data-name': name },
          h('td', { class: 'num flat', text: fmt(r.flat) }),
          h('td', { class: 'num', text: percent(r.flat, total) }),
          h('td', { class: 'num cum', text: fmt(r.cum) }),
          h('td', { class: 'num', text: percent(r.cum, total) }),
          h('td', { class: 'name', title: `${name}\n${tree.frames[r.frame]!.file}`, text: name, onclick: () => this.actions.search(name) }),
          h('td', { class: 'num' }, h('button', { type: 'button', class: 'small', text: 'sandwich', title: `callers and callees of ${name}`, onclick: () => this.actions.sandwich(name) })),
        );
      }),
    );
    if (rows.length > TABLE_ROWS) this.body.append(h('tr', {}, h('td', { colspan: 6, class: 'more', text: `… ${rows.length - TABLE_ROWS} more (zoom or focus to see them)` })));
  }
}
