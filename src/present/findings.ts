import type { Evidence, Finding, Severity } from '../analyze/finding.js';

/**
 * Terminal rendering of findings, shared by every command that reports them.
 * Colour only when the caller says the output is a terminal (NO_COLOR wins).
 */
export interface Style {
  bold: (s: string) => string;
  dim: (s: string) => string;
  severity: (sev: Severity, s: string) => string;
}

const SEVERITY_COLOUR: Record<Severity, number> = { high: 31, medium: 33, low: 36, info: 37 };

export function styleFor(isTty: boolean): Style {
  const on = isTty && process.env.NO_COLOR === undefined;
  const wrap = (code: number) => (s: string) => (on ? `\x1b[${code}m${s}\x1b[0m` : s);
  return {
    bold: wrap(1),
    dim: wrap(2),
    severity: (sev, s) => wrap(SEVERITY_COLOUR[sev])(s),
  };
}

export function formatEvidence(e: Evidence): string {
  const value = typeof e.value === 'number' ? formatNumber(e.value) : e.value;
  return `${e.label}: ${value}${e.unit ? ` ${e.unit}` : ''}`;
}

function formatNumber(v: number): string {
  if (Number.isInteger(v)) return String(v);
  const abs = Math.abs(v);
  return abs >= 100 ? v.toFixed(0) : abs >= 1 ? v.toFixed(2).replace(/\.?0+$/, '') : v.toPrecision(2);
}

function formatLocation(f: Finding): string {
  if (!f.location) return '';
  const { function: fn, file, line } = f.location;
  const where = file ? ` (${file}${line !== undefined ? `:${line}` : ''})` : '';
  return `${fn}${where}`;
}

/** Findings as text: severity tag, title, location, evidence lines and advice. */
export function renderFindings(findings: readonly Finding[], style: Style): string {
  if (findings.length === 0) return 'No findings.\n';
  const lines: string[] = [];
  for (const f of findings) {
    lines.push(`${style.severity(f.severity, f.severity.toUpperCase().padEnd(6))} ${style.bold(f.title)} ${style.dim(`[${f.kind}]`)}`);
    const where = formatLocation(f);
    if (where) lines.push(`       at ${where}`);
    for (const e of f.evidence) lines.push(`       - ${formatEvidence(e)}`);
    lines.push(`       → ${f.advice}`);
    lines.push('');
  }
  return lines.join('\n');
}
