import { strippableBytes } from '../../analyze/binary/index.js';
import type { BinaryAnalysis, BinaryChange, BinaryDiff } from '../../analyze/binary/types.js';
import { formatBytes, formatChange, formatCount, formatFraction } from '../../model/units.js';
import { renderFindings } from '../findings.js';
import type { Style } from '../style.js';
import { table } from './table.js';

function strippedLine(a: BinaryAnalysis): string {
  const saved = strippableBytes(a);
  if (a.strippedBytes === null) return `With -ldflags="-s -w": ${a.strippedUnknown ?? 'not estimated'}. DWARF and symbol table: ${formatBytes(saved)}.`;
  return saved > 0 ? `With -ldflags="-s -w": ${formatBytes(a.strippedBytes)} (${formatBytes(saved)} less: DWARF and the symbol table)` : 'Already stripped: no DWARF and no symbol table.';
}

/** `footprint binary`: the file at a glance, sections, packages, the other parts, build info, findings. */
export function binaryText(a: BinaryAnalysis, style: Style, rows: number): string {
  const out: string[] = [];
  const of = (n: number) => formatFraction(n / a.bytes);
  out.push(style.bold(`${a.file}: ${a.format.toUpperCase()}, ${a.goVersion || 'Go version unknown'}, ${formatBytes(a.bytes)} (${formatCount(a.bytes)} bytes)`));
  out.push(strippedLine(a));
  out.push(a.trimpathSavings > 0 ? `With -trimpath: ${formatBytes(a.trimpathSavings)} fewer file-name bytes in the pclntab` : 'File names are already short (-trimpath, or nothing to trim).');
  if (!a.hasSymbols) out.push(style.dim('No symbol table: packages get their functions\' code and pclntab entries; data and read-only data show as sections.'));
  out.push('', style.bold('Sections'));
  out.push(table([['section', 'kind', 'file bytes', 'share'], ...a.sections.filter((s) => s.bytes > 0).map((s) => [s.name, s.kind, formatBytes(s.bytes), of(s.bytes)])], [false, false, true, true]));
  out.push('', style.bold(`Packages (${formatCount(a.packages.length)}${a.packages.length > rows ? `, largest ${rows}` : ''})`));
  const pkgRows = a.packages.slice(0, rows).map((p) => [formatBytes(p.bytes), of(p.bytes), formatBytes(p.code), formatBytes(p.pclntab), formatBytes(p.data), p.module, p.name]);
  out.push(table([['bytes', 'share', 'code', 'pclntab', 'data', 'module', 'package'], ...pkgRows], [true, true, true, true, true, false, false]));
  out.push('', style.bold('Not owned by a package'));
  out.push(table([['bytes', 'share', 'part'], ...a.parts.map((p) => [formatBytes(p.bytes), of(p.bytes), p.name])], [true, true, false]));
  out.push('', style.bold(`Largest functions`));
  const fnRows = a.functions.slice(0, Math.min(rows, 10)).map((f) => [formatBytes(f.code), formatBytes(f.pclntab), f.name]);
  out.push(table([['code', 'pclntab', 'function'], ...fnRows], [true, true, false]));
  const info = a.buildInfo;
  if (info) {
    out.push('', style.bold('Build info'));
    out.push(`${info.goVersion}  ${info.path}${info.main ? `  (module ${info.main.path} ${info.main.version})` : ''}`);
    for (const d of info.deps) out.push(`  dep  ${d.path} ${d.version}${d.replace ? ` => ${d.replace.path} ${d.replace.version}` : ''}`);
    const settings = info.settings.filter((s) => s.key !== 'DefaultGODEBUG').map((s) => `${s.key}=${s.value}`);
    if (settings.length > 0) out.push(`  build ${settings.join(' ')}`);
  }
  out.push('', renderFindings(a.findings, style));
  return `${out.join('\n')}\n`;
}

/** `footprint binary --diff_base OLD NEW`: the file, then sections, packages and functions that changed. */
export function binaryDiffText(d: BinaryDiff, style: Style, rows: number): string {
  const out: string[] = [];
  out.push(style.bold(`${d.base.file} → ${d.next.file}: ${formatChange(d.base.bytes, d.next.bytes, 'bytes')} (${signed(d.delta)})`));
  if (d.base.goVersion !== d.next.goVersion) out.push(`Go ${d.base.goVersion} → ${d.next.goVersion}`);
  const block = (title: string, list: BinaryChange[]) => {
    out.push('', style.bold(`${title} (${formatCount(list.length)} changed${list.length > rows ? `, largest ${rows}` : ''})`));
    if (list.length === 0) return;
    const body = list.slice(0, rows).map((c) => [signed(c.delta), formatBytes(c.base), formatBytes(c.next), c.status, c.name]);
    out.push(table([['change', 'before', 'after', 'status', 'name'], ...body], [true, true, true, false, false]));
  };
  block('Sections', d.sections);
  block('Packages', d.packages);
  block('Functions', d.functions);
  return `${out.join('\n')}\n`;
}

function signed(delta: number): string {
  return delta > 0 ? `+${formatBytes(delta)}` : delta < 0 ? `-${formatBytes(-delta)}` : '0 B';
}
