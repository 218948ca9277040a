import { formatPos, type EscapeReport, type EscapeSite } from '../../model/escapes.js';
import { formatBytes, formatFraction } from '../../model/units.js';
import { CAUSE_ADVICE, CAUSE_LABEL, classifySite, involvesReflect, reasonChain } from './causes.js';
import type { Evidence, Finding, Severity } from '../finding.js';
import type { Amplification, EscapeCause, EscapeJoin, SiteGroup, UnexplainedLine } from './types.js';

/** Lines below this share of allocated bytes are not worth a finding. */
export const MIN_SHARE = 0.01;
const MAX_HOTSPOTS = 10;
const MAX_UNEXPLAINED = 5;

function severityFor(share: number): Severity {
  return share >= 0.25 ? 'high' : share >= 0.05 ? 'medium' : 'low';
}

function baseName(file: string): string {
  return file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
}

function bytesEvidence(bytes: number, objects: number, total: number): Evidence[] {
  return [
    { label: 'allocated', value: bytes, unit: 'bytes' },
    { label: 'objects', value: objects, unit: 'objects' },
    { label: 'share of allocated bytes', value: total > 0 ? bytes / total : 0, unit: 'fraction' },
  ];
}

/** One `escape-hotspot` per costly group of sites, most bytes first. */
export function hotspotFindings(join: EscapeJoin, report: EscapeReport): Finding[] {
  return join.groups
    .filter((g) => join.totalBytes > 0 && g.bytes / join.totalBytes >= MIN_SHARE)
    .slice(0, MAX_HOTSPOTS)
    .map((g) => hotspot(g, join.totalBytes, report));
}

function hotspot(g: SiteGroup, total: number, report: EscapeReport): Finding {
  const share = g.bytes / total;
  const first = g.sites[0]!;
  const causes = g.sites.map((s) => classifySite(s, report));
  const what = g.sites.length === 1 ? `${first.expr || 'a value'} ${verdict(first)}` : `${g.sites.length} escapes`;
  const evidence = [...bytesEvidence(g.bytes, g.objects, total), ...g.sites.flatMap((s, i) => siteEvidence(s, causes[i]!.cause, causes[i]!.inferred, report))];
  if (g.via === 'inline-frame') evidence.push({ label: 'matched via', value: `inline frame ${g.frame.function} ${baseName(g.frame.file)}:${g.frame.line}` });
  return {
    kind: 'escape-hotspot',
    severity: severityFor(share),
    title: `${what} at ${baseName(first.file)}:${first.line}: ${formatBytes(g.bytes)}, ${formatFraction(share)} of allocated bytes`,
    location: { function: g.frame.function || first.function || '?', file: first.file, line: first.line },
    evidence,
    advice: adviceFor(g.sites, causes.map((c) => c.cause)),
  };
}

function verdict(s: EscapeSite): string {
  return s.decision === 'moved-to-heap' ? 'moved to heap' : 'escapes to heap';
}

function siteEvidence(s: EscapeSite, cause: EscapeCause, inferred: boolean, report: EscapeReport): Evidence[] {
  const prefix = `${formatPos(s)} `;
  const out: Evidence[] = [
    { label: `${prefix}decision`, value: `${s.expr} ${verdict(s)}` },
    { label: `${prefix}cause`, value: CAUSE_LABEL[cause] + (inferred ? ' (inferred from the expression)' : '') },
    { label: `${prefix}reason chain`, value: reasonChain(s) ?? 'not in -m output; build with -gcflags=-m=2 for the compiler\'s reasons' },
  ];
  if (s.inlinedFrom || s.origin) {
    const from = s.inlinedFrom ? s.inlinedFrom.join(' → ') : 'an inlined call';
    out.push({ label: `${prefix}inlined from`, value: s.origin ? `${from} (origin ${formatPos(s.origin)})` : from });
  }
  if (involvesReflect(s, report)) out.push({ label: `${prefix}feeds reflect`, value: 'yes' });
  return out;
}

function adviceFor(sites: EscapeSite[], causes: EscapeCause[]): string {
  const advice = [...new Set(causes.map((c) => CAUSE_ADVICE[c]))].join(' ');
  const copy = sites.find((s) => s.origin);
  return copy ? `${advice} The allocation is in ${copy.inlinedFrom?.[copy.inlinedFrom.length - 1] ?? 'an inlined function'}, inlined here: fix it at ${formatPos(copy.origin!)}.` : advice;
}

/**
 * Costly allocation lines no escape decision explains, as `unexplained-allocation`:
 * runtime growth, allocations inside other packages, or a make the compiler
 * kept on the stack that still fell back to the heap.
 */
export function unexplainedFindings(join: EscapeJoin): Finding[] {
  return join.unexplained
    .filter((u) => join.totalBytes > 0 && u.bytes / join.totalBytes >= MIN_SHARE)
    .slice(0, MAX_UNEXPLAINED)
    .map((u) => {
      const share = u.bytes / join.totalBytes;
      const { title, advice } = explainUnexplained(u);
      const evidence = bytesEvidence(u.bytes, u.objects, join.totalBytes);
      if (u.calledFrom) evidence.push({ label: 'called from', value: `${u.calledFrom.function} ${baseName(u.calledFrom.file)}:${u.calledFrom.line}` });
      for (const s of u.stackSites) evidence.push({ label: `${formatPos(s)} compiler says`, value: `${s.expr} does not escape` });
      return {
        kind: 'unexplained-allocation' as const,
        severity: severityFor(share),
        title: `${title}: ${formatBytes(u.bytes)}, ${formatFraction(share)} of allocated bytes`,
        location: { function: u.frame.function, file: u.frame.file, line: u.frame.line },
        evidence,
        advice,
      };
    });
}

/** An unexplained line is reported with a note, which is also what the terminal prints. */
export function explainUnexplained(u: UnexplainedLine): { title: string; advice: string } {
  const where = `${baseName(u.frame.file)}:${u.frame.line}`;
  // A size with a name in it is only known at run time.
  const sizedAtRunTime = u.stackSites.find((s) => /^make\(\[\][^,]+, [^)]*[A-Za-z_]/.test(s.expr));
  if (sizedAtRunTime) {
    return {
      title: `${sizedAtRunTime.expr} "does not escape" yet allocates at ${where}`,
      advice:
        'A make whose size is only known at run time gets a small stack buffer (Go 1.25+) and falls back to the heap when it needs more: preallocate a buffer that covers the common size, or hoist the slice out of the loop and reuse it.',
    };
  }
  if (u.covered) {
    return {
      title: `Allocation with no heap escape at ${where}`,
      advice:
        'The compiler reports no escaping value here, so this is runtime growth (append, map growth, string conversion or concatenation): preallocate capacity (make with a length hint) or reuse the buffer.',
    };
  }
  const caller = u.calledFrom ? ` called from ${u.calledFrom.function} ${baseName(u.calledFrom.file)}:${u.calledFrom.line}` : '';
  return {
    title: `Allocated inside ${u.frame.function || 'unknown code'}${caller}`,
    advice:
      'This code is not in the escape output (build with -gcflags=all=-m to see its decisions); if the call is on a hot path, call it less often or with reused inputs.',
  };
}

/** The seed's "amplification": bytes from boxing values into interfaces, and bytes from reflect. */
export function amplification(join: EscapeJoin, report: EscapeReport): Amplification {
  let interfaceBytes = 0;
  let reflectBytes = join.reflectBytes;
  for (const g of join.groups) {
    // A line shared with other escapes is counted whole: the profile cannot split a line.
    if (g.sites.some((s) => classifySite(s, report).cause === 'interface-conversion')) interfaceBytes += g.bytes;
    if (g.sites.some((s) => involvesReflect(s, report))) reflectBytes += g.bytes;
  }
  return { interfaceBytes, reflectBytes, totalBytes: join.totalBytes };
}

export function amplificationFinding(a: Amplification): Finding {
  const share = (b: number) => (a.totalBytes > 0 ? b / a.totalBytes : 0);
  const combined = share(a.interfaceBytes + a.reflectBytes);
  return {
    kind: 'escape-hotspot',
    severity: combined >= MIN_SHARE ? severityFor(combined) : 'info',
    title: `Interface conversions ${formatFraction(share(a.interfaceBytes))} and reflect ${formatFraction(share(a.reflectBytes))} of allocated bytes`,
    evidence: [
      { label: 'interface conversions', value: a.interfaceBytes, unit: 'bytes' },
      { label: 'interface conversions share', value: share(a.interfaceBytes), unit: 'fraction' },
      { label: 'reflect', value: a.reflectBytes, unit: 'bytes' },
      { label: 'reflect share', value: share(a.reflectBytes), unit: 'fraction' },
    ],
    advice: `${CAUSE_ADVICE['interface-conversion']} For reflect: cache reflect.Type/field lookups per type and keep reflect.ValueOf/Interface/New off hot paths (generics or typed code instead).`,
  };
}
