import { isHeapDecision, type EscapeReport, type EscapeSite } from '../../model/escapes.js';
import { CAUSE_LABEL, classifySite } from './causes.js';
import type { CauseCount, DecisionCounts, EscapeCause, EscapeSummary } from './types.js';

function emptyCounts(): DecisionCounts {
  return { escapes: 0, 'moved-to-heap': 0, 'leaking-param': 0, 'leaking-param-content': 0, 'does-not-escape': 0 };
}

/** The no-profile view: how many decisions of each kind, where, and why. */
export function summarizeEscapes(report: EscapeReport): EscapeSummary {
  const counts = emptyCounts();
  const causes = new Map<EscapeCause, CauseCount>();
  const packages = new Map<string, { counts: DecisionCounts; files: Map<string, { counts: DecisionCounts; fns: Map<string, DecisionCounts> }> }>();
  let inlinedCopies = 0;
  const enclosing = enclosingDeclaration(report);
  for (const s of report.sites) {
    counts[s.decision]++;
    if (isHeapDecision(s.decision)) {
      if (s.origin || s.inlinedFrom) inlinedCopies++;
      countCause(causes, s, report);
    }
    const pkg = packages.get(s.package ?? '') ?? { counts: emptyCounts(), files: new Map() };
    packages.set(s.package ?? '', pkg);
    pkg.counts[s.decision]++;
    const file = pkg.files.get(s.file) ?? { counts: emptyCounts(), fns: new Map() };
    pkg.files.set(s.file, file);
    file.counts[s.decision]++;
    const name = s.function ?? enclosing(s);
    const fn = file.fns.get(name) ?? emptyCounts();
    file.fns.set(name, fn);
    fn[s.decision]++;
  }
  const summary: EscapeSummary = {
    form: report.form,
    counts,
    inlinedCopies,
    causes: [...causes.values()].sort((a, b) => b.sites - a.sites),
    packages: [...packages].map(([name, p]) => ({
      package: name,
      counts: p.counts,
      files: [...p.files].map(([file, f]) => ({
        file,
        counts: f.counts,
        functions: [...f.fns].map(([fn, c]) => ({ function: fn, counts: c })).sort((a, b) => heapCount(b.counts) - heapCount(a.counts)),
      })),
    })),
  };
  if (report.goVersion) summary.goVersion = report.goVersion;
  return summary;
}

function countCause(causes: Map<EscapeCause, CauseCount>, s: EscapeSite, report: EscapeReport): void {
  const { cause, inferred } = classifySite(s, report);
  const c = causes.get(cause) ?? { cause, label: CAUSE_LABEL[cause], sites: 0, inferred: 0 };
  c.sites++;
  if (inferred) c.inferred++;
  causes.set(cause, c);
}

export function heapCount(c: DecisionCounts): number {
  return c.escapes + c['moved-to-heap'];
}

/**
 * For sites the output does not name a function for (-json never does), the
 * function declared nearest above the site in its file: its name when the
 * output gives one (`can inline F`), else `func at FILE:LINE`. '?' when no
 * declaration precedes it.
 */
function enclosingDeclaration(report: EscapeReport): (s: EscapeSite) => string {
  const byFile = new Map<string, { line: number; name: string }[]>();
  for (const d of report.functions) {
    const list = byFile.get(d.file) ?? [];
    list.push({ line: d.line, name: d.name || `func at ${baseName(d.file)}:${d.line}` });
    byFile.set(d.file, list);
  }
  for (const list of byFile.values()) list.sort((a, b) => a.line - b.line);
  return (s) => {
    const list = byFile.get(s.file);
    if (!list) return '?';
    let lo = 0;
    let hi = list.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.line <= s.line) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found < 0 ? '?' : list[found]!.name;
  };
}

function baseName(file: string): string {
  return file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
}
