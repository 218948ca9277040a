import { FormatError } from '../errors.js';

/** The lines of a text profile; '\r' tolerated. */
export function textLines(bytes: Uint8Array): string[] {
  const text = new TextDecoder('utf-8').decode(bytes);
  return text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

/** The first line that is not blank or a `#` comment (pprof skips those before the header). */
export function firstContentLine(lines: readonly string[]): number {
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i]!.trim();
    if (t !== '' && !t.startsWith('#')) return i;
  }
  return -1;
}

/** The first line of the (inflated) head, for sniffing. */
export function headLine(head: Uint8Array): string {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head);
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t !== '' && !t.startsWith('#')) return t;
  }
  return '';
}

/** Parses the hex addresses of an `@ 0x… 0x…` list. */
export function parseAddresses(list: string, lineNo: number): bigint[] {
  const out: bigint[] = [];
  for (const m of list.matchAll(/0x[0-9a-f]+/g)) {
    const v = BigInt(m[0]);
    if (v >= 1n << 64n) throw new FormatError(`address ${m[0]} does not fit in 64 bits`, undefined, undefined, lineNo);
    out.push(v);
  }
  return out;
}

/** Parses a decimal int64 field of a text profile, or fails naming the line. */
export function parseInt64(s: string, what: string, lineNo: number): number {
  if (!/^-?\d+$/.test(s)) throw new FormatError(`${what} ${JSON.stringify(s)} is not an integer`, undefined, undefined, lineNo);
  const n = Number(s);
  if (!Number.isSafeInteger(n)) {
    const b = BigInt(s);
    if (b > 2n ** 63n - 1n || b < -(2n ** 63n)) throw new FormatError(`${what} ${s} overflows int64`, undefined, undefined, lineNo);
  }
  return n;
}
