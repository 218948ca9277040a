import { FormatError } from '../errors.js';
import type { ReportBuilder } from './builder.js';
import { classifyMessage } from './messages.js';
import { checkCoord, uriToPath } from './position.js';
import type { EscapeSite, SourcePos } from '../../model/escapes.js';
import { posKey } from '../../model/escapes.js';

/**
 * One file of `-gcflags=-json=0,DIR` output (cmd/compile/internal/logopt):
 * a header line, then one LSP Diagnostic per line. Positions are 1-based
 * byte columns despite the LSP names. Each heap escape comes twice (a record
 * with the message and an `escape` twin with message ""); `does not escape`
 * and `inlining call to` are never written; function names are not given.
 */

interface Header {
  package: string;
  file: string;
  goVersion?: string;
}

interface Related {
  pos: SourcePos;
  message: string;
}

interface Diagnostic {
  pos: SourcePos;
  code: string;
  message: string;
  related: Related[];
}

export function decodeEscapeJsonFile(text: string, builder: ReportBuilder): void {
  const lines = text.split('\n');
  const header = parseHeader(lines[0]!);
  builder.addPackage(header.package);
  if (header.goVersion) builder.goVersion = header.goVersion;
  const twins: { pos: SourcePos; origin?: SourcePos }[] = [];
  const named = new Set<string>();
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === '') continue;
    const d = parseDiagnostic(raw, header.file, i + 1);
    const site = siteOf(d, header.package);
    if (site === 'twin') twins.push({ pos: d.pos, ...originOf(d) });
    else if (site) named.add(twinKey(builder.addSite(site)));
    else if (!recordDecl(d, header.package, builder)) builder.otherMessages++;
  }
  // A twin with no named record beside it is still an escape; keep it, unnamed.
  for (const t of twins) {
    if (!named.has(twinKey({ ...t.pos, ...(t.origin ? { origin: t.origin } : {}) }))) {
      builder.addSite({ ...t.pos, expr: '', decision: 'escapes', package: header.package, ...(t.origin ? { origin: t.origin } : {}) });
    }
  }
}

function twinKey(s: SourcePos & { origin?: SourcePos }): string {
  return `${posKey(s)}\0${s.origin ? posKey(s.origin) : ''}`;
}

function parseHeader(line: string): Header {
  const h = parseObject(line, 1);
  if (typeof h['version'] !== 'number' || typeof h['file'] !== 'string') {
    throw new FormatError('first line is not a -json header (want {"version":0,…,"file":…})', undefined, undefined, 1);
  }
  if (h['version'] !== 0) throw new FormatError(`unsupported -json version ${h['version']} (footprint reads version 0)`, undefined, undefined, 1);
  const out: Header = { package: typeof h['package'] === 'string' ? h['package'] : '', file: h['file'] };
  if (typeof h['gc_version'] === 'string') out.goVersion = h['gc_version'];
  return out;
}

function parseObject(line: string, lineNo: number): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (err) {
    throw new FormatError(`invalid JSON: ${(err as Error).message}`, undefined, undefined, lineNo);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new FormatError('expected a JSON object', undefined, undefined, lineNo);
  return v as Record<string, unknown>;
}

function parseDiagnostic(line: string, file: string, lineNo: number): Diagnostic {
  const o = parseObject(line, lineNo);
  const pos = rangeStart(o['range'], file, lineNo);
  if (typeof o['code'] !== 'string') throw new FormatError('diagnostic without a "code"', undefined, undefined, lineNo);
  const message = typeof o['message'] === 'string' ? o['message'] : '';
  const related: Related[] = [];
  const info = o['relatedInformation'];
  if (Array.isArray(info)) {
    for (const r of info as unknown[]) {
      if (typeof r !== 'object' || r === null) throw new FormatError('bad relatedInformation entry', undefined, undefined, lineNo);
      const loc = (r as Record<string, unknown>)['location'];
      const uri = typeof loc === 'object' && loc !== null ? (loc as Record<string, unknown>)['uri'] : undefined;
      if (typeof uri !== 'string') throw new FormatError('relatedInformation without a location uri', undefined, undefined, lineNo);
      const msg = (r as Record<string, unknown>)['message'];
      related.push({ pos: rangeStart((loc as Record<string, unknown>)['range'], uriToPath(uri), lineNo), message: typeof msg === 'string' ? msg : '' });
    }
  }
  return { pos, code: o['code'], message, related };
}

function rangeStart(range: unknown, file: string, lineNo: number): SourcePos {
  const start = typeof range === 'object' && range !== null ? (range as Record<string, unknown>)['start'] : undefined;
  const s = typeof start === 'object' && start !== null ? (start as Record<string, unknown>) : undefined;
  if (!s || typeof s['line'] !== 'number' || typeof s['character'] !== 'number') {
    throw new FormatError('diagnostic without range.start.line/character', undefined, undefined, lineNo);
  }
  return { file, line: checkCoord(s['line'], lineNo), column: checkCoord(s['character'], lineNo) };
}

/** The escape site a diagnostic states, 'twin' for the message-less duplicate, or undefined. */
function siteOf(d: Diagnostic, pkg: string): EscapeSite | 'twin' | undefined {
  if (d.code !== 'escape' && d.code !== 'escapes' && d.code !== 'leak') return undefined;
  if (d.message === '' && d.code !== 'leak') return 'twin';
  const reasons = explanation(d.related);
  const base = { ...d.pos, package: pkg, ...(reasons.length > 0 ? { reasons } : {}), ...originOf(d) };
  const m = classifyMessage(d.code === 'leak' ? d.message + ':' : d.message);
  if (m.kind === 'escapes') {
    // A named variable moved to the heap reads "x escapes to heap" here; its flow starts at &x.
    const moved = reasons.length > 0 && new RegExp(`^flow: .* (?:←|=) &${escapeRe(m.expr)}$`).test(reasons[0]!);
    return { ...base, expr: m.expr, decision: moved ? 'moved-to-heap' : 'escapes' };
  }
  if (m.kind === 'leak-header') {
    const toResult = m.sink.startsWith('~r');
    const decision = !toResult && m.derefs > 0 ? 'leaking-param-content' : 'leaking-param';
    const leakTo = toResult ? `result ${m.sink} level=${m.derefs}` : m.sink;
    return { ...base, expr: m.param, decision, leakTo };
  }
  return undefined;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The diagnostic's own inline positions lead its relatedInformation, outermost first; the last is the origin. */
function originOf(d: Diagnostic): { origin?: SourcePos } {
  let origin: SourcePos | undefined;
  for (const r of d.related) {
    if (r.message !== 'inlineLoc') break;
    origin = r.pos;
  }
  return origin ? { origin } : {};
}

/** `escflow:` entries as -m=2 would print them; `from` lines get their position appended. */
function explanation(related: Related[]): string[] {
  const out: string[] = [];
  for (const r of related) {
    if (!r.message.startsWith('escflow:')) continue;
    const text = r.message.slice('escflow:'.length).trim();
    if (text.startsWith('flow: ')) out.push(text.replace(/:$/, ''));
    else out.push(`${text} at ${r.pos.file}:${r.pos.line}:${r.pos.column}`);
  }
  return out;
}

function recordDecl(d: Diagnostic, pkg: string, builder: ReportBuilder): boolean {
  if (d.code !== 'canInlineFunction' && d.code !== 'cannotInlineFunction') return false;
  const inlinable = d.code === 'canInlineFunction';
  builder.addFunction({ ...d.pos, name: '', inlinable, package: pkg, ...(inlinable ? {} : { reason: d.message }) });
  return true;
}
