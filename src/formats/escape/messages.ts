/**
 * One compiler message body (the text after `file:line:col: `) classified.
 * Wording from cmd/compile/internal/escape (escape.go, solve.go, graph.go)
 * and inline/inl.go, checked
 * against Go 1.23.5 and 1.26 output in testdata/go1.2x/escapes.
 */
export type Message =
  | { kind: 'escapes'; expr: string }
  | { kind: 'moved'; name: string }
  | { kind: 'no-escape'; expr: string }
  | { kind: 'leak'; param: string; content: boolean; to?: string }
  /** -m=2 block header: `X escapes to heap:` (1.26: `… in F:`). */
  | { kind: 'escape-header'; expr: string; function?: string }
  /** -m=2 block header: `parameter p leaks to SINK [for F] with derefs=N:`. */
  | { kind: 'leak-header'; param: string; sink: string; derefs: number; function?: string }
  /** -m=2 continuation: `  flow: …:`, `    from …`, or a truncation warning. */
  | { kind: 'reason'; text: string }
  | { kind: 'can-inline'; name: string }
  | { kind: 'cannot-inline'; name: string; reason: string }
  | { kind: 'inline-call'; callee: string }
  | { kind: 'capture'; function: string; name: string; byRef: boolean }
  | { kind: 'other' };

const ESCAPES = ' escapes to heap';

export function classifyMessage(body: string): Message {
  if (/^\s/.test(body)) return continuation(body);
  return escapeMessage(body) ?? leakMessage(body) ?? inlineMessage(body) ?? captureMessage(body) ?? { kind: 'other' };
}

function continuation(body: string): Message {
  const text = body.trim();
  if (text.startsWith('flow: ')) return { kind: 'reason', text: text.replace(/:$/, '') };
  if (text.startsWith('from ') || text.startsWith('warning: ')) return { kind: 'reason', text };
  return { kind: 'other' };
}

function escapeMessage(body: string): Message | undefined {
  if (body.startsWith('moved to heap: ')) return { kind: 'moved', name: body.slice('moved to heap: '.length) };
  if (body.endsWith(ESCAPES)) return { kind: 'escapes', expr: body.slice(0, -ESCAPES.length) };
  if (body.endsWith(':')) {
    // The expression may itself contain " escapes to heap"; the verdict is the last one.
    const at = body.lastIndexOf(ESCAPES);
    if (at >= 0) {
      const tail = body.slice(at + ESCAPES.length, -1);
      if (tail === '') return { kind: 'escape-header', expr: body.slice(0, at) };
      if (tail.startsWith(' in ')) return { kind: 'escape-header', expr: body.slice(0, at), function: tail.slice(4) };
    }
  }
  const noEscape = /^(.*) does not escape(?:, mutate, or call)?$/.exec(body);
  if (noEscape) return { kind: 'no-escape', expr: noEscape[1]! };
  return undefined;
}

function leakMessage(body: string): Message | undefined {
  if (body.startsWith('leaking param content: ')) {
    return { kind: 'leak', param: body.slice('leaking param content: '.length), content: true };
  }
  if (body.startsWith('leaking param: ')) {
    const rest = body.slice('leaking param: '.length);
    const to = rest.indexOf(' to ');
    if (to < 0) return { kind: 'leak', param: rest, content: false };
    return { kind: 'leak', param: rest.slice(0, to), content: false, to: rest.slice(to + 4) };
  }
  // The sink is `{heap}`, `{storage for x}` (which contains " for ") or a name like `~r0`.
  const header = /^parameter (\S+) leaks to (\{[^}]*\}|\S+)(?: for (.+))? with derefs=(-?\d+):$/.exec(body);
  if (header) {
    const m: Message = { kind: 'leak-header', param: header[1]!, sink: header[2]!, derefs: Number(header[4]) };
    if (header[3] !== undefined) m.function = header[3];
    return m;
  }
  return undefined;
}

function inlineMessage(body: string): Message | undefined {
  if (body.startsWith('can inline ')) {
    const rest = body.slice('can inline '.length);
    const cost = rest.indexOf(' with cost ');
    return { kind: 'can-inline', name: cost < 0 ? rest : rest.slice(0, cost) };
  }
  if (body.startsWith('cannot inline ')) {
    const rest = body.slice('cannot inline '.length);
    const colon = rest.indexOf(': ');
    if (colon < 0) return { kind: 'cannot-inline', name: rest, reason: '' };
    return { kind: 'cannot-inline', name: rest.slice(0, colon), reason: rest.slice(colon + 2) };
  }
  if (body.startsWith('inlining call to ')) {
    const rest = body.slice('inlining call to '.length);
    const score = rest.indexOf(' with score ');
    return { kind: 'inline-call', callee: score < 0 ? rest : rest.slice(0, score) };
  }
  return undefined;
}

function captureMessage(body: string): Message | undefined {
  const m = /^(\S+) capturing by (ref|value): (\S+) \(/.exec(body);
  return m ? { kind: 'capture', function: m[1]!, name: m[3]!, byRef: m[2] === 'ref' } : undefined;
}

