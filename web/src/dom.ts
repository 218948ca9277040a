/** A small element builder: the app has no framework. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<Record<string, string | number | boolean | EventListener>> = {},
  ...children: (Node | string | undefined)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else if (k === 'class') el.className = String(v);
    else if (k === 'text') el.textContent = String(v);
    else if (k in el && k !== 'list') (el as unknown as Record<string, unknown>)[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== undefined) el.append(c);
  return el;
}

/** Marks a view as painted: `<body data-ready>` lists every view that has painted (the end-to-end tests wait on it). */
export function markReady(view: string): void {
  const ready = new Set((document.body.dataset['ready'] ?? '').split(' ').filter(Boolean));
  if (ready.has(view)) return;
  ready.add(view);
  document.body.dataset['ready'] = [...ready].join(' ');
  // Timestamps for bench/ui-flame.mjs: the view is drawn, then the frame that shows it starts.
  performance.mark(`footprint:ready:${view}`);
  requestAnimationFrame(() => performance.mark(`footprint:frame:${view}`));
}

/** Shows the tooltip near the pointer, kept inside the window. */
export function showTooltip(e: MouseEvent, content: Node): void {
  const tip = document.getElementById('tooltip')!;
  tip.replaceChildren(content);
  tip.hidden = false;
  const pad = 14;
  const { innerWidth: w, innerHeight: hgt } = window;
  const r = tip.getBoundingClientRect();
  tip.style.left = `${Math.min(e.clientX + pad, w - r.width - 4)}px`;
  tip.style.top = `${e.clientY + pad + r.height > hgt ? e.clientY - r.height - pad : e.clientY + pad}px`;
}

export function hideTooltip(): void {
  document.getElementById('tooltip')!.hidden = true;
}

/** A message in place of a view (an error from the server, or nothing to show). */
export function notice(text: string, kind: 'error' | 'info' = 'info'): HTMLElement {
  return h('p', { class: `notice ${kind}`, text });
}
