import { prng } from './prng.js';

/**
 * The mutation operators of the profile fuzzer (fuzz.test.ts): byte-level
 * ones for any input, line-level ones for text profiles, and wire-format-
 * preserving ones for inflated protobuf, which reach deeper into the decoder
 * than random bytes do. Each returns the mutated bytes and what it did, so a
 * failing case can be replayed.
 */
export class Rng {
  readonly next: () => number;
  constructor(readonly seed: number) {
    this.next = prng(seed);
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
}

export function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

export interface Mutated {
  bytes: Uint8Array;
  desc: string;
}

export type Mutator = (b: Uint8Array, r: Rng) => Mutated;

const INTERESTING_BYTES = [0x00, 0xff, 0x80, 0x7f, 0x01, 0x0a, 0x20, 0x2d, 0x30, 0x39, 0x3a, 0x40, 0x23];

export const byteMutators: Record<string, Mutator> = {
  bitflip(b, r) {
    const out = b.slice();
    const flips: string[] = [];
    for (let k = 1 + r.int(4); k > 0; k--) {
      const at = r.int(out.length);
      const bit = 1 << r.int(8);
      out[at] = out[at]! ^ bit;
      flips.push(`${at}^0x${bit.toString(16)}`);
    }
    return { bytes: out, desc: `bitflip ${flips.join(',')}` };
  },
  overwrite(b, r) {
    const out = b.slice();
    const at = r.int(out.length);
    const n = 1 + r.int(8);
    for (let i = at; i < Math.min(out.length, at + n); i++) out[i] = r.next() < 0.5 ? r.pick(INTERESTING_BYTES) : r.int(256);
    return { bytes: out, desc: `overwrite ${n}@${at}` };
  },
  truncate(b, r) {
    const n = r.int(b.length);
    return { bytes: b.slice(0, n), desc: `truncate to ${n}` };
  },
  duplicate(b, r) {
    const at = r.int(b.length);
    const n = 1 + r.int(Math.min(256, b.length - at));
    const to = r.int(b.length + 1);
    const chunk = b.subarray(at, at + n);
    const out = new Uint8Array(b.length + n);
    out.set(b.subarray(0, to));
    out.set(chunk, to);
    out.set(b.subarray(to), to + n);
    return { bytes: out, desc: `duplicate ${n}@${at} to ${to}` };
  },
  delete(b, r) {
    const at = r.int(b.length);
    const n = 1 + r.int(Math.min(256, b.length - at));
    const out = new Uint8Array(b.length - n);
    out.set(b.subarray(0, at));
    out.set(b.subarray(at + n), at);
    return { bytes: out, desc: `delete ${n}@${at}` };
  },
};

export const encoder = new TextEncoder();
const decoder = new TextDecoder();

function lineMutator(name: string, f: (lines: string[], r: Rng) => string): Mutator {
  return (b, r) => {
    const lines = decoder.decode(b).split('\n');
    const desc = f(lines, r);
    return { bytes: encoder.encode(lines.join('\n')), desc: `${name} ${desc}` };
  };
}

const EXTREME_NUMBERS = ['0', '-1', '1', '9223372036854775807', '9223372036854775808', '-9223372036854775808', '18446744073709551616', '99999999999999999999999', '4294967296', '2147483648', ''];

export const textMutators: Record<string, Mutator> = {
  swapLines: lineMutator('swap-lines', (lines, r) => {
    const i = r.int(lines.length);
    const j = r.int(lines.length);
    [lines[i], lines[j]] = [lines[j]!, lines[i]!];
    return `${i + 1}<->${j + 1}`;
  }),
  deleteLine: lineMutator('delete-line', (lines, r) => {
    const i = r.int(lines.length);
    lines.splice(i, 1);
    return `${i + 1}`;
  }),
  duplicateLine: lineMutator('duplicate-line', (lines, r) => {
    const i = r.int(lines.length);
    const to = r.int(lines.length);
    lines.splice(to, 0, lines[i]!);
    return `${i + 1} to ${to + 1}`;
  }),
  truncateLine: lineMutator('truncate-line', (lines, r) => {
    const i = r.int(lines.length);
    const cut = r.int(lines[i]!.length + 1);
    lines.length = i + 1;
    lines[i] = lines[i]!.slice(0, cut);
    return `${i + 1} at column ${cut}`;
  }),
  digit: lineMutator('digit', (lines, r) => {
    const i = r.int(lines.length);
    const line = lines[i]!;
    const digits = [...line.matchAll(/\d/g)];
    if (digits.length === 0) return `none on line ${i + 1}`;
    const at = r.pick(digits).index;
    const d = String(r.int(10));
    lines[i] = line.slice(0, at) + d + line.slice(at + 1);
    return `line ${i + 1} column ${at} -> ${d}`;
  }),
  number: lineMutator('number', (lines, r) => {
    const i = r.int(lines.length);
    const line = lines[i]!;
    const numbers = [...line.matchAll(/\d+/g)];
    if (numbers.length === 0) return `none on line ${i + 1}`;
    const m = r.pick(numbers);
    const repl = r.pick(EXTREME_NUMBERS);
    lines[i] = line.slice(0, m.index) + repl + line.slice(m.index + m[0].length);
    return `line ${i + 1} ${m[0]} -> ${JSON.stringify(repl)}`;
  }),
  hex: lineMutator('hex', (lines, r) => {
    const i = r.int(lines.length);
    const line = lines[i]!;
    const hexes = [...line.matchAll(/0x[0-9a-f]+/g)];
    if (hexes.length === 0) return `none on line ${i + 1}`;
    const m = r.pick(hexes);
    const repl = r.pick(['0x0', '0x1', '0xffffffffffffffff', '0x10000000000000000', '0x', '0xg1', '0x' + 'f'.repeat(40)]);
    lines[i] = line.slice(0, m.index) + repl + line.slice(m.index + m[0].length);
    return `line ${i + 1} ${m[0]} -> ${repl}`;
  }),
};

/**
 * Structure-aware protobuf mutations: they keep the wire format valid so the
 * input gets past the wire layer and exercises ID resolution, string indexes,
 * value counts and the like.
 */
interface WireField {
  start: number;
  end: number;
  /** Where the payload starts (after tag and length). */
  payload: number;
  wire: number;
}

/** Reads a varint at `pos`; [value, next] or undefined when malformed. Values above 2^53 are imprecise, which is fine here. */
function readVarint(b: Uint8Array, pos: number, end: number): [number, number] | undefined {
  let v = 0;
  let mul = 1;
  for (let i = 0; i < 10 && pos < end; i++) {
    const byte = b[pos++]!;
    v += (byte & 0x7f) * mul;
    mul *= 128;
    if (byte < 0x80) return [v, pos];
  }
  return undefined;
}

/** The fields of the message in b[start, end), or as many as parse. */
function wireFields(b: Uint8Array, start: number, end: number): WireField[] {
  const out: WireField[] = [];
  let pos = start;
  while (pos < end) {
    const key = readVarint(b, pos, end);
    if (!key) break;
    const wire = key[0] & 7;
    let payload = key[1];
    let next: number;
    if (wire === 0) {
      const v = readVarint(b, payload, end);
      if (!v) break;
      next = v[1];
    } else if (wire === 2) {
      const len = readVarint(b, payload, end);
      if (!len) break;
      payload = len[1];
      next = payload + len[0];
    } else if (wire === 1) next = payload + 8;
    else if (wire === 5) next = payload + 4;
    else break;
    if (next > end) break;
    out.push({ start: pos, end: next, payload, wire });
    pos = next;
  }
  return out;
}

/** Positions [start, end) of varints one and two levels down: scalar fields and packed elements. */
function varintSpans(b: Uint8Array): [number, number][] {
  const spans: [number, number][] = [];
  const collect = (start: number, end: number, depth: number) => {
    for (const f of wireFields(b, start, end)) {
      if (f.wire === 0) {
        const key = readVarint(b, f.start, f.end)!;
        spans.push([key[1], f.end]);
      } else if (f.wire === 2 && depth < 3) {
        // A Len field may be a sub-message or packed varints; try both views.
        let pos = f.payload;
        const packed: [number, number][] = [];
        while (pos < f.end) {
          const v = readVarint(b, pos, f.end);
          if (!v) break;
          packed.push([pos, v[1]]);
          pos = v[1];
        }
        if (pos === f.end) for (const span of packed) spans.push(span);
        collect(f.payload, f.end, depth + 1);
      }
    }
  };
  collect(0, b.length, 0);
  return spans;
}

/** `value` as a varint of exactly `len` bytes (non-canonical padding), wrapping at 7*len bits. */
function fixedLengthVarint(value: bigint, len: number): number[] {
  const out: number[] = [];
  let v = BigInt.asUintN(Math.min(64, 7 * len), value);
  for (let i = 0; i < len; i++) {
    const last = i === len - 1;
    out.push(Number(v & 0x7fn) | (last ? 0 : 0x80));
    v >>= 7n;
  }
  return out;
}

export const protoMutators: Record<string, Mutator> = {
  varint(b, r) {
    const spans = varintSpans(b);
    if (spans.length === 0) return { bytes: b, desc: 'varint (none found)' };
    const [at, end] = r.pick(spans);
    const len = end - at;
    const choices = [0n, 1n, 2n, 3n, -1n, (1n << BigInt(Math.min(64, 7 * len))) - 1n, BigInt(r.int(1 << Math.min(30, 7 * len)))];
    const value = r.pick(choices);
    const out = b.slice();
    out.set(fixedLengthVarint(value, len), at);
    return { bytes: out, desc: `varint@${at}(${len} bytes) = ${value}` };
  },
  fieldDelete(b, r) {
    const fields = wireFields(b, 0, b.length);
    if (fields.length === 0) return { bytes: b, desc: 'field-delete (none)' };
    const i = r.int(fields.length);
    const f = fields[i]!;
    const out = new Uint8Array(b.length - (f.end - f.start));
    out.set(b.subarray(0, f.start));
    out.set(b.subarray(f.end), f.start);
    return { bytes: out, desc: `field-delete #${i} [${f.start},${f.end})` };
  },
  fieldDuplicate(b, r) {
    const fields = wireFields(b, 0, b.length);
    if (fields.length === 0) return { bytes: b, desc: 'field-duplicate (none)' };
    const i = r.int(fields.length);
    const f = fields[i]!;
    const to = r.pick(fields).start;
    const chunk = b.subarray(f.start, f.end);
    const out = new Uint8Array(b.length + chunk.length);
    out.set(b.subarray(0, to));
    out.set(chunk, to);
    out.set(b.subarray(to), to + chunk.length);
    return { bytes: out, desc: `field-duplicate #${i} [${f.start},${f.end}) to ${to}` };
  },
};
