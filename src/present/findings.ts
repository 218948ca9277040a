import type { Evidence, Finding } from '../analyze/finding.js';
import { formatQuantity } from '../model/units.js';
import type { Style } from './style.js';
import { printableData } from './printable.js';

/** `label: value` with the value written in its unit (strings as they are). */
export function formatEvidence(e: Evidence): string {
  return `${e.label}: ${e.unit === undefined ? e.value : formatQuantity(e.value, e.unit)}`;
}

/** `main.put (cache.go:42)`, or the function alone. */
export function formatLocation(location: NonNullable<Finding['location']>): string {
  const { function: fn, file, line } = location;
  return file ? `${fn} (${file}${line !== undefined ? `:${line}` : ''})` : fn;
}

/** Findings as text: severity tag, title, location, evidence lines and advice. */
export function renderFindings(findings: readonly Finding[], style: Style): string {
  if (findings.length === 0) return 'No findings.\n';
  return findings.flatMap((f) => [...findingLines(f, style), '']).join('\n');
}

/**
 * One finding's lines: `tag` (its severity, by default) and title, then
 * location, evidence and advice indented under the title; `brief` stops after
 * the location.
 */
export function findingLines(finding: Finding, style: Style, opts: { tag?: string; brief?: boolean } = {}): string[] {
  const f = printableData(finding);
  const tag = opts.tag ?? f.severity.toUpperCase().padEnd(6);
  const indent = ' '.repeat(tag.length + 1);
  const lines = [`${style.severity(f.severity, tag)} ${style.bold(f.title)} ${style.dim(`[${f.kind}]`)}`];
  if (f.location) lines.push(`${indent}at ${formatLocation(f.location)}`);
  if (opts.brief) return lines;
  for (const e of f.evidence) lines.push(`${indent}- ${formatEvidence(e)}`);
  lines.push(`${indent}→ ${f.advice}`);
  return lines;
}
