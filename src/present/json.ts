import { escapeJsonControls } from '../model/printable.js';

/**
 * A command's --json document: the library's result, pretty-printed. Bigints
 * (nanosecond timestamps, addresses: JSON.stringify refuses them) become
 * decimal strings.
 */
export function toJson(value: unknown): string {
  return escapeJsonControls(stringify(value));
}

function stringify(value: unknown): string {
  try {
    // Most reports hold no bigint, and a replacer function costs a call per value (twice the time on a trace report).
    return JSON.stringify(value, null, 2);
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2);
  }
}
