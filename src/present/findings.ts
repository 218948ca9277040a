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
  const lines: string[] = [];
  for (const f of printableData(findings)) {
    lines.push(`${style.severity(f.severity, f.severity.toUpperCase().padEnd(6))} ${style.bold(f.title)} ${style.dim(`[${f.kind}]`)}`);
    if (f.location) lines.push(`       at ${formatLocation(f.location)}`);
    for (const e of f.evidence) lines.push(`       - ${formatEvidence(e)}`);
    lines.push(`       → ${f.advice}`);
    lines.push('');
  }
  return lines.join('\n');
}
