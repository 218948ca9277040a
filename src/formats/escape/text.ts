import { FormatError } from '../errors.js';
import { ReportBuilder } from './builder.js';
import { classifyMessage, type Message } from './messages.js';
import { splitPositioned } from './position.js';
import type { EscapeReport, EscapeSite, SourcePos } from '../../model/escapes.js';
import { isHeapDecision, posKey } from '../../model/escapes.js';

/** A -m=2 explanation: its header and the flow lines under it, waiting to meet its verdict line. */
interface Block {
  pos: SourcePos;
  kind: 'escape' | 'leak';
  /** The escaping expression, or the leaking parameter's name. */
  subject: string;
  function?: string;
  reasons: string[];
}

/**
 * Decodes `go build -gcflags=-m` / `-m=2` stderr as the user has it: `# pkg`
 * headers, other compiler messages and unrelated lines are tolerated; only
 * positioned escape and inlining messages are read. -m=2 explanations are
 * attached to their verdict by position (and expression), never by order,
 * since the compiler does not print them adjacent.
 */
export function decodeEscapeText(text: string): EscapeReport {
  const builder = new ReportBuilder('m');
  const blocks = new Map<string, Block[]>();
  const verdicts: EscapeSite[] = [];
  let pkg: string | undefined;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.endsWith('\r') ? lines[i]!.slice(0, -1) : lines[i]!;
    if (raw.includes('\0')) throw new FormatError('binary data in compiler output', undefined, undefined, i + 1);
    const header = /^# (\S+)/.exec(raw);
    if (header) {
      pkg = header[1]!;
      builder.addPackage(pkg);
      continue;
    }
    const positioned = splitPositioned(raw, i + 1);
    if (!positioned) continue;
    const { pos, body } = positioned;
    const message = classifyMessage(body);
    if (message.kind === 'reason') {
      const open = blocks.get(posKey(pos));
      if (open) open[open.length - 1]!.reasons.push(message.text);
      continue;
    }
    const block = blockFor(message, pos);
    if (block) {
      builder.markExplained();
      const list = blocks.get(posKey(pos));
      if (list) list.push(block);
      else blocks.set(posKey(pos), [block]);
      continue;
    }
    if (!record(builder, message, pos, pkg, verdicts)) builder.otherMessages++;
  }
  for (const site of verdicts) attachExplanation(site, blocks.get(posKey(site)));
  return builder.finish();
}

function blockFor(m: Message, pos: SourcePos): Block | undefined {
  const base = { pos, reasons: [] as string[] };
  if (m.kind === 'escape-header') return { ...base, kind: 'escape', subject: m.expr, ...(m.function ? { function: m.function } : {}) };
  if (m.kind === 'leak-header') return { ...base, kind: 'leak', subject: m.param, ...(m.function ? { function: m.function } : {}) };
  return undefined;
}

/** Adds what a message says to the report; false when it is not one this parser models. */
function record(b: ReportBuilder, m: Message, pos: SourcePos, pkg: string | undefined, verdicts: EscapeSite[]): boolean {
  const inPkg = pkg !== undefined ? { package: pkg } : {};
  const site = (expr: string, decision: EscapeSite['decision'], extra: Partial<EscapeSite> = {}) =>
    verdicts.push(b.addSite({ ...pos, expr, decision, ...inPkg, ...extra }));
  switch (m.kind) {
    case 'escapes':
      site(m.expr, 'escapes');
      return true;
    case 'moved':
      site(m.name, 'moved-to-heap');
      return true;
    case 'no-escape':
      site(m.expr, 'does-not-escape');
      return true;
    case 'leak':
      site(m.param, m.content ? 'leaking-param-content' : 'leaking-param', { leakTo: m.to ?? '{heap}' });
      return true;
    case 'can-inline':
    case 'cannot-inline':
      b.addFunction({ ...pos, name: m.name, inlinable: m.kind === 'can-inline', ...inPkg, ...(m.kind === 'cannot-inline' ? { reason: m.reason } : {}) });
      return true;
    case 'inline-call':
      b.addInlineCall({ ...pos, callee: m.callee, ...inPkg });
      return true;
    case 'capture':
      b.addCapture({ ...pos, name: m.name, byRef: m.byRef });
      return true;
    default:
      return false;
  }
}

/**
 * Pairs a verdict with the explanation printed for it: same position, and the
 * same subject. Go 1.26 prints `append(xs, v) escapes to heap in F:` above the
 * verdict `append escapes to heap`, so a call-shaped subject also pairs with
 * its callee's name.
 */
function attachExplanation(site: EscapeSite, candidates: Block[] | undefined): void {
  if (!candidates || site.reasons) return;
  const wanted = isHeapDecision(site.decision) ? 'escape' : site.decision === 'does-not-escape' ? undefined : 'leak';
  if (!wanted) return;
  const open = candidates.filter((b) => b.kind === wanted);
  const chosen =
    open.find((b) => b.subject === site.expr) ??
    open.find((b) => b.subject.startsWith(site.expr + '(')) ??
    (open.length === 1 ? open[0] : undefined);
  if (!chosen) return;
  candidates.splice(candidates.indexOf(chosen), 1);
  site.reasons = chosen.reasons;
  if (chosen.function && !site.function) site.function = chosen.function;
}
