import type { BundleAnalysis, BundleComparison, BundleReport, SizeDelta } from '../../analyze/bundle/index.js';
import { formatBytes, formatCount, formatFraction } from '../../model/units.js';
import { renderComparisonPage } from './compare-page.js';
import { cards, escapeHtml, findingHtml, page, table } from './page.js';
import { squarify, type Rect } from './treemap.js';

/**
 * `footprint bundle --html`: per bundle a treemap of packages (and the app's
 * code) with their files inside, sized by raw bytes, every box titled with
 * its raw and gzip bytes; a search box that lights up matching boxes and
 * rows; the package table; and the findings. One self-contained file: inline
 * CSS, SVG-free absolutely placed boxes, and a few lines of inline script for
 * the search only (the page reads the same without it).
 */

const WIDTH = 1072;
const HEIGHT = 560;
/** Room for a package's name above its files. */
const HEADER = 16;
/** Boxes smaller than this (px²) are not drawn one by one: their parent shows them. */
const MIN_AREA = 12;

const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

const TREEMAP_STYLE = `
.tm { position: relative; width: ${WIDTH}px; height: ${HEIGHT}px; border: 1px solid var(--line); margin: 8px 0 4px; overflow: hidden; }
.tm div { position: absolute; overflow: hidden; box-sizing: border-box; border: 1px solid rgba(255,255,255,.85); font-size: 11px; line-height: 14px; color: #fff; padding: 0 3px; white-space: nowrap; }
.tm .pkg { font-weight: 600; }
.tm .file { background: rgba(255,255,255,.16); font-weight: 400; }
.tm .dim { opacity: .22; } .tm .hit { outline: 2px solid #111; z-index: 2; opacity: 1; }
input.search { font: inherit; padding: 5px 8px; width: 360px; border: 1px solid var(--line); border-radius: 4px; }
tr.dim { opacity: .35; }
`;

const SEARCH_SCRIPT = `
const box = document.querySelector('input.search');
box.addEventListener('input', () => {
  const q = box.value.trim().toLowerCase();
  for (const el of document.querySelectorAll('[data-name]')) {
    const hit = q !== '' && el.dataset.name.toLowerCase().includes(q);
    el.classList.toggle('hit', hit && el.tagName === 'DIV');
    el.classList.toggle('dim', q !== '' && !hit);
  }
});
`;

interface Node {
  name: string;
  label: string;
  bytes: number;
  gzip?: number;
  children: { name: string; bytes: number }[];
}

function nodesOf(r: BundleReport): Node[] {
  const byPackage = new Map<string, { name: string; bytes: number }[]>();
  const app: { name: string; bytes: number }[] = [];
  for (const f of r.files) {
    if (f.package) (byPackage.get(f.package) ?? byPackage.set(f.package, []).get(f.package)!).push({ name: f.path, bytes: f.bytes });
    else if (f.kind === 'app') app.push({ name: f.path, bytes: f.bytes });
  }
  const nodes: Node[] = r.packages.map((p) => ({ name: p.name, label: p.name, bytes: p.bytes, ...(p.gzip !== undefined ? { gzip: p.gzip } : {}), children: byPackage.get(p.name) ?? [] }));
  if (r.app.bytes > 0) nodes.push({ name: '(app code)', label: '(app code)', bytes: r.app.bytes, children: app });
  if (r.runtime > 0) nodes.push({ name: '(bundler runtime)', label: '(bundler runtime)', bytes: r.runtime, children: [] });
  if (r.unmapped > 0) nodes.push({ name: '(unmapped)', label: '(unmapped)', bytes: r.unmapped, children: [] });
  return nodes.sort((a, b) => b.bytes - a.bytes);
}

function place(rect: Rect): string {
  return `left:${rect.x.toFixed(1)}px;top:${rect.y.toFixed(1)}px;width:${rect.w.toFixed(1)}px;height:${rect.h.toFixed(1)}px`;
}

function treemap(r: BundleReport): string {
  const nodes = nodesOf(r);
  const rects = squarify(
    nodes.map((n) => n.bytes),
    { x: 0, y: 0, w: WIDTH, h: HEIGHT },
  );
  const boxes: string[] = [];
  nodes.forEach((n, i) => {
    const rect = rects[i]!;
    if (rect.w * rect.h < MIN_AREA) return;
    const colour = n.name.startsWith('(') ? '#8a94a6' : PALETTE[i % PALETTE.length]!;
    const title = `${n.label}: ${formatBytes(n.bytes)} (${formatFraction(n.bytes / r.bytes)})${n.gzip !== undefined ? `, gzip ${formatBytes(n.gzip)}` : ''}`;
    boxes.push(`<div class="pkg" data-name="${escapeHtml(n.name)}" style="${place(rect)};background:${colour}" title="${escapeHtml(title)}">${escapeHtml(n.label)} ${escapeHtml(formatBytes(n.bytes))}</div>`);
    if (rect.h <= HEADER + 4 || n.children.length < 2) return;
    const inner = { x: rect.x + 1, y: rect.y + HEADER, w: rect.w - 2, h: rect.h - HEADER - 1 };
    const kids = [...n.children].sort((a, b) => b.bytes - a.bytes);
    squarify(
      kids.map((k) => k.bytes),
      inner,
    ).forEach((kr, k) => {
      if (kr.w * kr.h < MIN_AREA) return;
      const kid = kids[k]!;
      const short = kid.name.split('/').pop()!;
      boxes.push(`<div class="file" data-name="${escapeHtml(kid.name)}" style="${place(kr)}" title="${escapeHtml(`${kid.name}: ${formatBytes(kid.bytes)}`)}">${escapeHtml(short)}</div>`);
    });
  });
  return `<div class="tm">${boxes.join('')}</div>`;
}

function reportHtml(r: BundleReport): string {
  const head = [
    ['bytes', formatBytes(r.bytes)],
    ...(r.gzip !== null ? [['gzip', formatBytes(r.gzip)]] : []),
    ...(r.brotli !== null ? [['brotli', formatBytes(r.brotli)]] : []),
    ['packages', formatCount(r.packages.length)],
    ['app code', formatBytes(r.app.bytes)],
    ['unmapped', formatBytes(r.unmapped)],
  ] as [string, string][];
  const rows = r.packages.map((p) => [p.name, formatBytes(p.bytes), formatFraction(p.share), p.gzip === undefined ? '-' : `${p.gzipMethod === 'proportional' ? '~' : ''}${formatBytes(p.gzip)}`, formatCount(p.files)]);
  const tableHtml = table(['package', 'bytes', 'share', 'gzip saved', 'files'], rows, [false, true, true, true, true]).replace(/<tr><td>([^<]*)<\/td>/g, (m, name: string) => m.replace('<tr>', `<tr data-name="${name}">`));
  return [
    `<h2>${escapeHtml(r.file)}</h2>`,
    `<p class="sub">${r.map ? `map: ${escapeHtml(r.map)}` : 'no source map: every byte is unmapped'}</p>`,
    ...r.warnings.map((w) => `<p class="sub">warning: ${escapeHtml(w)}</p>`),
    cards(head),
    treemap(r),
    '<p class="sub">Boxes are sized by raw bytes; hover for raw and gzip. gzip saved: the file compressed without the package (leave-one-out); ~ marks a proportional estimate.</p>',
    tableHtml,
  ].join('\n');
}

export function renderBundlePage(a: BundleAnalysis): string {
  const body = [
    `<style>${TREEMAP_STYLE}</style>`,
    `<h1>Bundle: ${escapeHtml(a.bundles.map((b) => b.file).join(', '))}</h1>`,
    '<p><input class="search" type="search" placeholder="Search packages and files…" aria-label="search packages and files"></p>',
    ...a.bundles.map(reportHtml),
    `<h2>Findings (${a.findings.length})</h2>`,
    a.findings.length ? a.findings.map(findingHtml).join('\n') : '<p>No findings.</p>',
    `<script>${SEARCH_SCRIPT}</script>`,
  ];
  return page(`footprint bundle — ${a.bundles.map((b) => b.file).join(', ')}`, body.join('\n'));
}

function deltaCells(d: SizeDelta | null): string[] {
  if (!d) return ['-', '-', '-'];
  const sign = d.delta > 0 ? '+' : d.delta < 0 ? '−' : '';
  return [d.before === null ? '-' : formatBytes(d.before), d.after === null ? '-' : formatBytes(d.after), `${sign}${formatBytes(Math.abs(d.delta))}`];
}

/** `--compare --html`: the shared comparison page with the bundles', packages' and files' deltas. */
export function renderBundleComparisonPage(c: BundleComparison): string {
  const numeric = [false, false, true, true, true, true, true, true];
  const sections = [
    '<h2>Bundles</h2>',
    table(['bundle', 'change', 'before', 'after', 'Δ', 'gzip before', 'gzip after', 'Δ gzip'], c.bundles.map((b) => [b.name, b.change, ...deltaCells(b.bytes), ...deltaCells(b.gzip)]), numeric),
    '<h2>Packages</h2>',
    table(['package', 'change', 'before', 'after', 'Δ', 'gzip before', 'gzip after', 'Δ gzip'], c.packages.map((p) => [p.name, p.change, ...deltaCells(p.bytes), ...deltaCells(p.gzip)]), numeric),
    '<h2>Files that changed</h2>',
    table(['file', 'change', 'before', 'after', 'Δ'], c.files.filter((f) => f.change !== 'same').map((f) => [f.path, f.change, ...deltaCells(f.bytes)]), numeric.slice(0, 5)),
  ];
  return renderComparisonPage(c, 'bundle', sections);
}
