import type { Severity } from '../analyze/finding.js';

/**
 * How text is emphasised on a terminal. The caller decides whether colour is
 * on (the CLI: stdout is a terminal and NO_COLOR is unset); present/ never
 * looks at the process itself.
 */
export interface Style {
  bold: (s: string) => string;
  dim: (s: string) => string;
  severity: (sev: Severity, s: string) => string;
}

const SEVERITY_COLOUR: Record<Severity, number> = { high: 31, medium: 33, low: 36, info: 37 };

export function styleFor(colour: boolean): Style {
  const wrap = (code: number) => (s: string) => (colour ? `\x1b[${code}m${s}\x1b[0m` : s);
  return {
    bold: wrap(1),
    dim: wrap(2),
    severity: (sev, s) => wrap(SEVERITY_COLOUR[sev])(s),
  };
}

export const PLAIN: Style = styleFor(false);
