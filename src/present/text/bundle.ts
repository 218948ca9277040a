import type { BudgetResult, BundleAnalysis, BundleComparison, BundleReport, SizeDelta } from '../../analyze/bundle/index.js';
import { formatBytes, formatCount, formatFraction } from '../../model/units.js';
import { renderFindings } from '../findings.js';
import type { Style } from '../style.js';
import { comparisonText } from './compare.js';
import { table } from './table.js';

/**
 * `footprint bundle` on a terminal: per bundle its sizes, the packages (raw
 * bytes, share, what removing each would save gzipped), the app's code,
 * runtime and unmapped bytes, the largest files; then findings.
 */
export function bundleText(a: BundleAnalysis, style: Style, rows: number): string {
  const out: string[] = [];
  for (const r of a.bundles) {
    for (const line of reportLines(r, style, rows)) out.push(line);
    out.push('');
  }
  if (a.targets) out.push(style.dim(`Polyfills judged for ${a.targets.query} (from ${a.targets.from}): ${formatCount(a.targets.browsers.length)} browsers`), '');
  out.push(style.bold('Findings'), renderFindings(a.findings, style));
  return out.join('\n');
}

function sizesLine(r: BundleReport): string {
  const parts = [formatBytes(r.bytes)];
  if (r.gzip !== null) parts.push(`${formatBytes(r.gzip)} gzip`);
  if (r.brotli !== null) parts.push(`${formatBytes(r.brotli)} brotli`);
  return parts.join(', ');
}

function reportLines(r: BundleReport, style: Style, rows: number): string[] {
  const lines = [style.bold(`${r.file}: ${sizesLine(r)}`) + style.dim(r.map ? `  (map: ${r.map})` : '  (no source map)')];
  for (const w of r.warnings) lines.push(style.dim(`  warning: ${w}`));
  const share = (b: number) => (r.bytes ? formatFraction(b / r.bytes) : '-');
  const gz = r.gzip !== null;
  const header = ['', 'bytes', 'share', ...(gz ? ['gzip'] : []), 'files'];
  const shown = rows > 0 ? r.packages.slice(0, rows) : r.packages;
  const body = shown.map((p) => [
    p.name + (p.version ? `@${p.version}` : '') + (p.copies ? ` (${p.copies.length} copies)` : ''),
    formatBytes(p.bytes),
    share(p.bytes),
    ...(gz ? [p.gzip === undefined ? '-' : `${p.gzipMethod === 'proportional' ? '~' : ''}${formatBytes(p.gzip)}`] : []),
    formatCount(p.files),
  ]);
  const extra: string[][] = [];
  const row = (label: string, bytes: number, files: string) => extra.push([label, formatBytes(bytes), share(bytes), ...(gz ? [''] : []), files]);
  if (r.packages.length > shown.length) {
    const rest = r.packages.slice(shown.length);
    row(`… ${formatCount(rest.length)} more packages`, rest.reduce((s, p) => s + p.bytes, 0), formatCount(rest.reduce((s, p) => s + p.files, 0)));
  }
  row('(app code)', r.app.bytes, formatCount(r.app.files));
  if (r.runtime > 0) row('(bundler runtime)', r.runtime, '');
  row('(unmapped)', r.unmapped, '');
  const numeric = header.map((_, i) => i > 0);
  lines.push(table([header, ...body, ...extra], numeric).replace(/^/gm, '  '));
  if (gz) lines.push(style.dim('  gzip: what removing the package saves, compressed with the rest of the file (leave-one-out); ~ marks a proportional estimate'));
  if (r.files.length) {
    lines.push('', style.bold('  Largest files'));
    const top = r.files.slice(0, Math.max(rows, 1));
    lines.push(table([['bytes', 'share', 'file'], ...top.map((f) => [formatBytes(f.bytes), share(f.bytes), f.path])], [true, true, false]).replace(/^/gm, '    '));
  }
  return lines;
}

/** `--check`: every budget, what it measured, and which are over. */
export function budgetText(b: BudgetResult, style: Style): string {
  if (b.checks.length === 0) return `No budget applied${b.unmatched.length ? ` (matched nothing: ${b.unmatched.join('; ')})` : ''}.\n`;
  const body = b.checks.map((c) => [c.over ? 'OVER' : 'ok', c.target === 'file' ? c.name : `package ${c.name}`, c.metric, c.actual === null ? 'not measured' : formatBytes(c.actual), formatBytes(c.limit), c.actual === null ? '' : signed(c.actual - c.limit)]);
  const lines = [style.bold(`Budgets: ${b.over === 0 ? 'all within' : `${b.over} over`}`), table([['', 'what', 'metric', 'size', 'limit', 'margin'], ...body], [false, false, false, true, true, true]).replace(/^/gm, '  ')];
  for (const u of b.unmatched) lines.push(style.dim(`  matched nothing: ${u}`));
  return lines.join('\n') + '\n';
}

function signed(bytes: number): string {
  return bytes > 0 ? `+${formatBytes(bytes)}` : bytes < 0 ? `−${formatBytes(-bytes)}` : '0 B';
}

function deltaCell(d: SizeDelta | null): string[] {
  if (!d) return ['-', '-', '-'];
  return [d.before === null ? '-' : formatBytes(d.before), d.after === null ? '-' : formatBytes(d.after), signed(d.delta)];
}

/** `--compare OLD NEW`: totals and findings (the shared comparison text), then bundles, packages and files that moved. */
export function bundleComparisonText(c: BundleComparison, style: Style, rows: number): string {
  const limit = <T>(xs: T[]) => (rows > 0 ? xs.slice(0, rows) : xs);
  const bundles = table([['bundle', 'change', 'before', 'after', 'Δ bytes', 'gzip before', 'gzip after', 'Δ gzip'], ...c.bundles.map((b) => [b.name, b.change, ...deltaCell(b.bytes), ...deltaCell(b.gzip)])], [false, false, true, true, true, true, true, true]);
  const moved = c.packages.filter((p) => p.change !== 'same');
  const packages = moved.length
    ? table([['package', 'change', 'before', 'after', 'Δ bytes', 'gzip before', 'gzip after', 'Δ gzip'], ...limit(moved).map((p) => [p.name, p.change, ...deltaCell(p.bytes), ...deltaCell(p.gzip)])], [false, false, true, true, true, true, true, true])
    : 'no package changed';
  const movedFiles = c.files.filter((f) => f.change !== 'same');
  const files = movedFiles.length ? table([['file', 'change', 'before', 'after', 'Δ bytes'], ...limit(movedFiles).map((f) => [f.path, f.change, ...deltaCell(f.bytes)])], [false, false, true, true, true]) : 'no file changed';
  const extra = [style.bold('Bundles'), indent(bundles), '', style.bold(`Packages (${moved.length} changed)`), indent(packages), '', style.bold(`Files (${movedFiles.length} changed)`), indent(files), ''].join('\n');
  return comparisonText(c, style, extra);
}

function indent(text: string): string {
  return text.replace(/^/gm, '  ');
}
