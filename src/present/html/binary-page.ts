import { strippableBytes } from '../../analyze/binary/index.js';
import type { BinaryAnalysis } from '../../analyze/binary/types.js';
import { formatBytes, formatFraction } from '../../model/units.js';
import { cards, escapeHtml, findingHtml, page, table } from './page.js';
import { squarify, type Rect } from './treemap.js';

/**
 * The binary-size page: the figures, a treemap of the whole file (packages,
 * each split into its largest functions, and the parts no package owns),
 * the tables and the findings. Static SVG: each box's tooltip names it.
 */

const WIDTH = 1070;
const HEIGHT = 560;
/** Tiles below this many bytes are merged into one "smaller" tile per level. */
const TILES = 60;
const FUNCTIONS_PER_PACKAGE = 40;

const LEGEND: readonly [string, string][] = [
  ['#5b8fc0', 'standard-library package'],
  ['#5aa06a', 'package of another module'],
  ['#9cc3e4', 'function (code and table entries)'],
  ['#e3d7a8', 'data symbols'],
  ['#b8b8b8', 'not owned by a package'],
];

interface Tile {
  label: string;
  bytes: number;
  colour: string;
  children?: Tile[];
}

export function renderBinaryPage(a: BinaryAnalysis): string {
  const saved = strippableBytes(a);
  const body = [
    `<h1>${escapeHtml(a.file)}</h1>`,
    `<p class="sub">${escapeHtml(`${a.format.toUpperCase()}, ${a.goVersion || 'Go version unknown'}`)}</p>`,
    cards([
      ['file', formatBytes(a.bytes)],
      ['with -s -w', a.strippedBytes === null ? 'not estimated' : formatBytes(a.strippedBytes)],
      ['DWARF and symbols', formatBytes(saved)],
      ['-trimpath would save', formatBytes(a.trimpathSavings)],
      ['packages', String(a.packages.length)],
    ]),
    '<h2>Where the bytes go</h2>',
    treemap(tiles(a), a.bytes),
    `<p class="legend">${LEGEND.map(([colour, what]) => `<span><i style="background:${colour};height:10px"></i>${escapeHtml(what)}</span>`).join('')}</p>`,
    '<h2>Findings</h2>',
    a.findings.length === 0 ? '<p class="sub">None.</p>' : a.findings.map(findingHtml).join('\n'),
    '<h2>Packages</h2>',
    table(
      ['package', 'module', 'bytes', 'share', 'code', 'pclntab', 'data'],
      a.packages.slice(0, 200).map((p) => [p.name, p.module, formatBytes(p.bytes), formatFraction(p.bytes / a.bytes), formatBytes(p.code), formatBytes(p.pclntab), formatBytes(p.data)]),
      [false, false, true, true, true, true, true],
    ),
    '<h2>Not owned by a package</h2>',
    table(['part', 'bytes', 'share'], a.parts.map((p) => [p.name, formatBytes(p.bytes), formatFraction(p.bytes / a.bytes)]), [false, true, true]),
    '<h2>Sections</h2>',
    table(['section', 'kind', 'file bytes'], a.sections.map((s) => [s.name, s.kind, formatBytes(s.bytes)]), [false, false, true]),
  ];
  return page(`footprint binary: ${a.file}`, body.join('\n'));
}

/** Packages with their largest functions, then the parts, the long tail of each level merged into one tile. */
function tiles(a: BinaryAnalysis): Tile[] {
  const byPackage = new Map<string, Tile[]>();
  for (const f of a.functions) {
    const list = byPackage.get(f.package) ?? [];
    if (list.length < FUNCTIONS_PER_PACKAGE) list.push({ label: f.name, bytes: f.code + f.pclntab, colour: '#9cc3e4' });
    byPackage.set(f.package, list);
  }
  const top: Tile[] = a.packages.map((p) => {
    const children = byPackage.get(p.name) ?? [];
    let shown = 0;
    for (const c of children) shown += c.bytes;
    const rest = p.code + p.pclntab - shown;
    if (rest > 0) children.push({ label: `${p.name}: ${p.functions - children.length} smaller functions`, bytes: rest, colour: '#c9dced' });
    if (p.data > 0) children.push({ label: `${p.name}: data symbols`, bytes: p.data, colour: '#e3d7a8' });
    return { label: p.name, bytes: p.bytes, colour: p.module === 'std' ? '#5b8fc0' : '#5aa06a', children };
  });
  for (const part of a.parts) top.push({ label: part.name, bytes: part.bytes, colour: '#b8b8b8' });
  return capped(top.filter((t) => t.bytes > 0).sort((x, y) => y.bytes - x.bytes));
}

function capped(list: Tile[]): Tile[] {
  if (list.length <= TILES) return list;
  let rest = 0;
  for (const t of list.slice(TILES - 1)) rest += t.bytes;
  return list.slice(0, TILES - 1).concat({ label: `${list.length - TILES + 1} smaller`, bytes: rest, colour: '#dddddd' });
}

function treemap(list: Tile[], total: number): string {
  const boxes: string[] = [];
  const rects = squarify(
    list.map((t) => t.bytes),
    { x: 0, y: 0, w: WIDTH, h: HEIGHT },
  );
  list.forEach((t, i) => draw(t, rects[i]!, total, boxes, true));
  return `<svg width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="treemap of the file's bytes">${boxes.join('')}</svg>`;
}

function draw(t: Tile, r: Rect, total: number, out: string[], top: boolean): void {
  const tip = `<title>${escapeHtml(`${t.label}: ${formatBytes(t.bytes)} (${formatFraction(t.bytes / total)})`)}</title>`;
  out.push(`<rect x="${r.x.toFixed(1)}" y="${r.y.toFixed(1)}" width="${r.w.toFixed(1)}" height="${r.h.toFixed(1)}" fill="${t.colour}" stroke="#fff" stroke-width="${top ? 2 : 0.5}">${tip}</rect>`);
  const inner = { x: r.x + 2, y: r.y + 16, w: r.w - 4, h: r.h - 18 };
  if (t.children && t.children.length > 0 && inner.w > 30 && inner.h > 20) {
    const kids = capped(t.children.slice().sort((x, y) => y.bytes - x.bytes));
    const rects = squarify(kids.map((k) => k.bytes), inner);
    kids.forEach((k, i) => draw(k, rects[i]!, total, out, false));
  }
  if (top && r.w > 50 && r.h > 14) out.push(`<text x="${(r.x + 3).toFixed(1)}" y="${(r.y + 12).toFixed(1)}" style="fill:#102030">${escapeHtml(fit(t.label, r.w))}</text>`);
}

/** A label cut to the pixels it has (about 6 px a character at 11 px). */
function fit(label: string, width: number): string {
  const chars = Math.floor((width - 6) / 6);
  return label.length <= chars ? label : `${label.slice(0, Math.max(1, chars - 1))}…`;
}
