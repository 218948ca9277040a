import { printable } from '../model/printable.js';

export { printable } from '../model/printable.js';

/**
 * An analysis result with every string in it made printable
 * (model/printable.ts), for the text presenters: what came from the input —
 * function and file names, states, labels, titles that quote them — cannot
 * break a line or drive the terminal, whichever presenter writes it. Plain
 * objects and arrays are walked; anything else (numbers, typed arrays) is
 * kept. Objects nothing in needed escaping are returned as they are, so the
 * common case allocates nothing.
 */
export function printableData<T>(value: T): T {
  return walk(value) as T;
}

function walk(value: unknown): unknown {
  if (typeof value === 'string') return printable(value);
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v === 'number') continue;
      const p = walk(v);
      if (p !== v) (out ??= value.slice())[i] = p;
    }
    return out ?? value;
  }
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    let out: Record<string, unknown> | undefined;
    const entries = Object.entries(value);
    for (const [k, v] of entries) {
      const p = walk(v);
      if (p !== v || printable(k) !== k) {
        // Rebuilt in order, keys included (a label's key comes from the input too).
        out = Object.fromEntries(entries.map(([k2, v2]) => [printable(k2), walk(v2)]));
        break;
      }
    }
    return out ?? value;
  }
  return value;
}
