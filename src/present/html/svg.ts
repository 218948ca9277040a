import { escapeHtml } from './page.js';
import { thinBands, thinMarkers, thinPoints } from './thin.js';

export interface Series {
  name: string;
  color: string;
  points: readonly [number, number][];
  /** Draw as steps (a value holds until the next point), as a heap goal does. */
  step?: boolean;
  dashed?: boolean;
}

export interface Marker {
  x: number;
  /** Height as a share of the marker band (0–1). */
  size: number;
  color: string;
  title: string;
}

/** A stretch of the x axis, e.g. a GC cycle or a mark assist. */
export interface Band {
  x0: number;
  x1: number;
  color: string;
  title: string;
  /** 0–1; default 0.15 behind the plot, 0.8 in a strip. */
  opacity?: number;
}

export interface ChartSpec {
  width: number;
  height: number;
  series: readonly Series[];
  /** Drawn as ticks in a band under the plot, e.g. stop-the-world pauses. */
  markers?: readonly Marker[];
  markerLabel?: string;
  /** Full-height shaded stretches behind the series, e.g. GC cycles. */
  spans?: readonly Band[];
  /** A thin labelled row under the plot, e.g. mark assists. */
  strip?: { label: string; bands: readonly Band[] };
  xLabel: string;
  yLabel: string;
}

const PAD = { left: 56, right: 16, top: 12, bottom: 40 };
const SPAN_OPACITY = 0.15;
const STRIP_OPACITY = 0.8;
const MARKER_BAND = 36;
const STRIP = 14;

/** The plot's width in the viewBox's units (about pixels): how many x positions a chart of this width can tell apart. */
export function plotColumns(width: number): number {
  return Math.ceil(width - PAD.left - PAD.right);
}

/** A line chart as inline SVG with axes, ticks and a band of markers, reduced to what its width can show (thin.ts). */
export function lineChart(spec: ChartSpec): string {
  const stripH = spec.strip ? STRIP + 6 : 0;
  const band = (spec.markers?.length ? MARKER_BAND + 8 : 0) + stripH;
  const plotW = spec.width - PAD.left - PAD.right;
  const plotH = spec.height - PAD.top - PAD.bottom - band;
  const { xMax, yTop } = extent(spec);
  const yMax = niceCeiling(yTop);
  const buckets = plotColumns(spec.width);
  const series = spec.series.map((s) => ({ ...s, points: thinPoints(s.points, xMax, buckets) }));
  const markers = thinMarkers(spec.markers ?? [], xMax, buckets);
  const spans = thinBands(spec.spans ?? [], xMax, buckets, SPAN_OPACITY);
  const strip = spec.strip && { label: spec.strip.label, bands: thinBands(spec.strip.bands, xMax, buckets, STRIP_OPACITY) };
  const x = (v: number) => PAD.left + (v / xMax) * plotW;
  const y = (v: number) => PAD.top + plotH - (v / yMax) * plotH;
  const parts: string[] = [];
  for (const t of ticks(yMax)) {
    parts.push(`<line x1="${PAD.left}" x2="${PAD.left + plotW}" y1="${y(t)}" y2="${y(t)}" stroke="#eceef2"/>`);
    parts.push(`<text x="${PAD.left - 6}" y="${y(t) + 4}" text-anchor="end">${fmt(t)}</text>`);
  }
  for (const t of ticks(xMax)) {
    parts.push(`<text x="${x(t)}" y="${PAD.top + plotH + band + 16}" text-anchor="middle">${fmt(t)}</text>`);
  }
  for (const b of spans) parts.push(rect(b, x, PAD.top, plotH, SPAN_OPACITY, 'span'));
  parts.push(`<line x1="${PAD.left}" x2="${PAD.left + plotW}" y1="${PAD.top + plotH}" y2="${PAD.top + plotH}" stroke="#9aa1ae"/>`);
  if (strip) {
    const top = PAD.top + plotH + 6;
    parts.push(`<text x="${PAD.left - 6}" y="${top + STRIP - 3}" text-anchor="end">${escapeHtml(strip.label)}</text>`);
    for (const b of strip.bands) parts.push(rect(b, x, top, STRIP, STRIP_OPACITY, 'strip'));
  }
  for (const s of series) parts.push(path(s, x, y));
  if (markers.length) {
    const base = PAD.top + plotH + band - 4;
    parts.push(`<text x="${PAD.left - 6}" y="${base - MARKER_BAND / 2}" text-anchor="end">${escapeHtml(spec.markerLabel ?? '')}</text>`);
    for (const m of markers) {
      const h = Math.max(2, m.size * MARKER_BAND);
      parts.push(
        `<line class="marker" x1="${x(m.x)}" x2="${x(m.x)}" y1="${base}" y2="${base - h}" stroke="${m.color}" stroke-width="2"><title>${escapeHtml(m.title)}</title></line>`,
      );
    }
  }
  parts.push(`<text x="${PAD.left + plotW / 2}" y="${spec.height - 6}" text-anchor="middle">${escapeHtml(spec.xLabel)}</text>`);
  parts.push(`<text x="14" y="${PAD.top + plotH / 2}" text-anchor="middle" transform="rotate(-90 14 ${PAD.top + plotH / 2})">${escapeHtml(spec.yLabel)}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${spec.width} ${spec.height}" width="100%" role="img">${parts.join('')}</svg>`;
}

export function legend(series: readonly Pick<Series, 'name' | 'color'>[]): string {
  return `<div class="legend">${series.map((s) => `<span><i style="background:${s.color}"></i>${escapeHtml(s.name)}</span>`).join('')}</div>`;
}

function rect(b: Band, x: (v: number) => number, top: number, height: number, opacity: number, cls: string): string {
  const w = Math.max(1, x(b.x1) - x(b.x0));
  return (
    `<rect class="${cls}" x="${x(b.x0).toFixed(1)}" y="${top}" width="${w.toFixed(1)}" height="${height}" fill="${b.color}" ` +
    `fill-opacity="${b.opacity ?? opacity}"><title>${escapeHtml(b.title)}</title></rect>`
  );
}

function path(s: Series, x: (v: number) => number, y: (v: number) => number): string {
  const cmds: string[] = [];
  s.points.forEach(([px, py], i) => {
    if (i === 0) cmds.push(`M${x(px).toFixed(1)},${y(py).toFixed(1)}`);
    else {
      if (s.step) cmds.push(`H${x(px).toFixed(1)}`);
      cmds.push(`L${x(px).toFixed(1)},${y(py).toFixed(1)}`);
    }
  });
  const dash = s.dashed ? ' stroke-dasharray="5 4"' : '';
  return `<path class="series" data-name="${escapeHtml(s.name)}" d="${cmds.join('')}" fill="none" stroke="${s.color}" stroke-width="1.6"${dash}><title>${escapeHtml(s.name)}</title></path>`;
}

/** The largest x of anything drawn and the largest y of the series, in loops (spreading them into Math.max overflows the stack on long inputs). */
function extent(spec: ChartSpec): { xMax: number; yTop: number } {
  let xMax = 1e-9;
  let yTop = 1e-9;
  for (const s of spec.series) {
    for (const [px, py] of s.points) {
      if (px > xMax) xMax = px;
      if (py > yTop) yTop = py;
    }
  }
  for (const m of spec.markers ?? []) if (m.x > xMax) xMax = m.x;
  for (const b of [...(spec.spans ?? []), ...(spec.strip?.bands ?? [])]) if (b.x1 > xMax) xMax = b.x1;
  return { xMax, yTop };
}

function niceCeiling(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function ticks(max: number): number[] {
  const step = niceCeiling(max / 5);
  const out: number[] = [];
  for (let t = 0; t <= max + step * 1e-9; t += step) out.push(t);
  return out;
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(v < 1 ? 2 : 1).replace(/\.?0+$/, '');
}
