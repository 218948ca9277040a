import { reasonKeyword, type EscapeReport, type EscapeSite } from '../../model/escapes.js';
import type { CauseInfo, EscapeCause } from './types.js';

export const CAUSE_LABEL: Record<EscapeCause, string> = {
  'interface-conversion': 'interface conversion (boxing)',
  'closure-capture': 'closure capture',
  'too-large-for-stack': 'too large for the stack',
  'non-constant-size': 'size not known at compile time',
  'append-growth': 'append growth',
  'variadic-arguments': 'variadic argument slice',
  'returned-pointer': 'pointer returned to the caller',
  'address-taken': 'address taken and kept',
  'stored-beyond-call': 'stored where it outlives the call',
  'string-building': 'string building or conversion',
  literal: 'slice or map literal',
  'leaking-param': 'parameter leaks (callers pay)',
  'stays-on-stack': 'does not escape',
  constant: 'a constant in an interface (allocates nothing)',
};

export const CAUSE_ADVICE: Record<EscapeCause, string> = {
  'interface-conversion':
    'Avoid boxing in the hot loop: pass a concrete type (or a generic type parameter) instead of any/an interface, or convert once outside the loop.',
  'closure-capture':
    'The closure outlives the call, so it and the variables it captures by reference move to the heap: pass values as arguments, capture a copy, or use a method on a reused struct.',
  'too-large-for-stack':
    'Over 64 KiB never fits the stack: hoist the buffer out of the loop and reuse it, or take it from a sync.Pool.',
  'non-constant-size':
    'The size is only known at run time: preallocate with a constant capacity that covers the common case, or hoist and reuse the buffer.',
  'append-growth': 'Preallocate: make([]T, 0, n) with the expected length before the loop, or reuse the slice across calls (s = s[:0]).',
  'variadic-arguments': 'The ...any argument slice escapes (fmt-style call): keep fmt out of the hot path (strconv.Append* into a reused []byte).',
  'returned-pointer': 'Return the value instead of a pointer (T, not *T), or let the caller pass a *T to fill, so it can live on the caller\'s stack.',
  'address-taken':
    'Its address is passed to something that keeps it (a leaking parameter or pointer receiver): use a value receiver or pass a copy, or change the callee not to retain the pointer.',
  'stored-beyond-call':
    'It is stored somewhere that outlives the call (a global, a heap object, a channel): reuse objects (sync.Pool) or store values instead of pointers.',
  'string-building': 'Build strings in a strings.Builder with Grow, or append into a reused []byte, instead of concatenating or converting per iteration.',
  literal: 'Hoist the literal out of the loop or reuse a preallocated slice or map.',
  'leaking-param': 'Callers\' arguments escape through this parameter: do not retain it, or copy what you keep.',
  'stays-on-stack': 'Nothing to do: the compiler keeps it on the stack.',
  constant: 'Nothing to do: Go keeps a constant converted to an interface in read-only data (a panic message, a fixed error string), so it costs no allocation.',
};

/** Go's limit for implicit stack variables (ir.MaxImplicitStackVarSize). */
const MAX_IMPLICIT_STACK_BYTES = 64 * 1024;

const ELEMENT_BYTES: Record<string, number> = {
  byte: 1, uint8: 1, int8: 1, bool: 1,
  int16: 2, uint16: 2,
  int32: 4, uint32: 4, float32: 4, rune: 4,
  int: 8, uint: 8, int64: 8, uint64: 8, float64: 8, uintptr: 8, complex64: 8,
  string: 16, any: 16, 'interface {}': 16, complex128: 16,
};

export function classifySite(site: EscapeSite, report?: EscapeReport): CauseInfo {
  if (site.decision === 'does-not-escape') return { cause: 'stays-on-stack', inferred: false };
  if (site.decision === 'leaking-param' || site.decision === 'leaking-param-content') return { cause: 'leaking-param', inferred: false };
  const keywords = new Set((site.reasons ?? []).map(reasonKeyword).filter((k): k is string => k !== undefined));
  const fromReasons = causeFromKeywords(site, keywords);
  if (fromReasons) return { cause: fromReasons, inferred: false };
  return { cause: causeFromExpression(site, keywords, report), inferred: !site.reasons?.length };
}

/** A literal the compiler names as it is: `"strings: illegal use of…"`, `42`, `3.5`, `true`, `nil`. */
export function isConstant(expr: string): boolean {
  return /^(?:"(?:[^"\\]|\\.)*"|`[^`]*`|-?\d[\d_]*(?:\.\d+)?(?:e[+-]?\d+)?|true|false|nil)$/.test(expr);
}

function causeFromKeywords(site: EscapeSite, k: Set<string>): EscapeCause | undefined {
  if (isConstant(site.expr)) return 'constant';
  if (k.has('too large for stack')) return 'too-large-for-stack';
  if (k.has('non-constant size')) return 'non-constant-size';
  if (site.decision === 'moved-to-heap' && k.has('captured by a closure')) return 'closure-capture';
  if (k.has('interface-converted') && !/^(&|new\(|make\(|append\b|func literal)/.test(site.expr)) return 'interface-conversion';
  return undefined;
}

function causeFromExpression(site: EscapeSite, k: Set<string>, report: EscapeReport | undefined): EscapeCause {
  const e = site.expr;
  if (isConstant(e)) return 'constant';
  if (site.decision === 'moved-to-heap') return capturedByClosure(site, report) ? 'closure-capture' : 'address-taken';
  if (e === 'func literal' || e.startsWith('func literal')) return 'closure-capture';
  if (/^append\b/.test(e)) return 'append-growth';
  if (e === '... argument') return 'variadic-arguments';
  if (e.startsWith('make(')) return makeCause(e, k);
  if (e.startsWith('&') || e.startsWith('new(')) return k.has('return') ? 'returned-pointer' : 'stored-beyond-call';
  if (/^(\[\]|map\[)/.test(e)) return 'literal';
  if (isStringBuilding(e)) return 'string-building';
  // Anything else the compiler says escapes is a value stored in an interface: the boxed copy escapes.
  return 'interface-conversion';
}

function capturedByClosure(site: EscapeSite, report: EscapeReport | undefined): boolean {
  return !!report?.captures.some((c) => c.byRef && c.name === site.expr && c.file === site.file && c.line === site.line);
}

function isStringBuilding(e: string): boolean {
  return /^(string\(|\(?\[\](byte|rune)\)?\()/.test(e) || (/ \+ /.test(e) && /"/.test(e));
}

/**
 * `make([]T, len[, cap])`: what is allocated is the capacity when given. A
 * constant size over 64 KiB is too large for the stack; a non-constant one is
 * unsized (the compiler prints constants folded: `make([]byte, 0, 262144)`).
 */
function makeCause(expr: string, k: Set<string>): EscapeCause {
  const m = /^make\(\[\]([^,]+), (.+)\)$/.exec(expr);
  if (!m) return k.has('return') ? 'returned-pointer' : 'stored-beyond-call';
  const size = m[2]!.split(',').at(-1)!.trim();
  if (!/^\d+$/.test(size)) return 'non-constant-size';
  const bytes = Number(size) * (ELEMENT_BYTES[m[1]!.trim()] ?? 1);
  if (bytes > MAX_IMPLICIT_STACK_BYTES) return 'too-large-for-stack';
  return k.has('return') ? 'returned-pointer' : 'stored-beyond-call';
}

/** True when the site feeds reflect: its explanation flows through reflect, or a reflect call is inlined on its line. */
export function involvesReflect(site: EscapeSite, report: EscapeReport): boolean {
  if (site.reasons?.some((r) => /\breflect\./.test(r))) return true;
  return report.inlineCalls.some((c) => c.callee.startsWith('reflect.') && c.file === site.file && c.line === site.line);
}

/**
 * The reason chain in one line: each `from` step with its keyword, then where
 * the last flow ends (`{heap}`, `~r0`, a variable).
 */
export function reasonChain(site: EscapeSite): string | undefined {
  if (!site.reasons?.length) return undefined;
  const steps = site.reasons.filter((r) => r.startsWith('from ')).map((r) => r.slice('from '.length).replace(/ at \S+$/, ''));
  const lastFlow = site.reasons.filter((r) => r.startsWith('flow: ')).pop();
  const sink = lastFlow ? /^flow: (.+?) (?:←|=) /.exec(lastFlow)?.[1] : undefined;
  return [...steps, ...(sink ? [sink] : [])].join(' → ');
}
