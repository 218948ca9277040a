/**
 * Go's fmt verbs `%.Nf` and `%.Ng` for float64, reproduced exactly: Go rounds
 * the exact binary value half-to-even, whereas JS toFixed rounds exact ties up
 * (0.125 → "0.13" in JS, "0.12" in Go). pprof's numbers pass through these
 * verbs, so byte-identical reports need the same rounding.
 */

/** The exact decimal expansion of a finite double: value = digits × 10^-scale. */
function exactDecimal(x: number): { digits: bigint; scale: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const exp = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  let e: number;
  if (exp === 0) {
    e = -1074;
  } else {
    mant |= 1n << 52n;
    e = exp - 1075;
  }
  if (e >= 0) return { digits: mant << BigInt(e), scale: 0 };
  // mant / 2^k = mant × 5^k / 10^k
  const k = -e;
  return { digits: mant * 5n ** BigInt(k), scale: k };
}

/** Rounds digits×10^-scale to `keep` decimals, half to even. Returns the integer of units 10^-keep. */
function roundHalfEven(digits: bigint, scale: number, keep: number): bigint {
  if (scale <= keep) return digits * 10n ** BigInt(keep - scale);
  const div = 10n ** BigInt(scale - keep);
  const q = digits / div;
  const r = digits % div;
  const twice = r * 2n;
  if (twice > div || (twice === div && q % 2n === 1n)) return q + 1n;
  return q;
}

function insertPoint(units: bigint, decimals: number): string {
  let s = units.toString();
  if (decimals === 0) return s;
  if (s.length <= decimals) s = '0'.repeat(decimals - s.length + 1) + s;
  return `${s.slice(0, s.length - decimals)}.${s.slice(s.length - decimals)}`;
}

/** Go's `%.{prec}f`. */
export function formatF(x: number, prec: number): string {
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : x < 0 ? '-Inf' : 'NaN';
  const neg = x < 0 || Object.is(x, -0);
  const { digits, scale } = exactDecimal(x);
  const s = insertPoint(roundHalfEven(digits, scale, prec), prec);
  return neg ? `-${s}` : s;
}

/** Go's `%.{prec}g` (prec ≥ 1): shortest of %e / %f with `prec` significant digits, trailing zeros removed. */
export function formatG(x: number, prec: number): string {
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : x < 0 ? '-Inf' : 'NaN';
  const neg = x < 0 || Object.is(x, -0);
  if (x === 0) return neg ? '-0' : '0';
  const { digits, scale } = exactDecimal(x);
  const all = digits.toString();
  // Decimal exponent of the leading digit.
  let exp10 = all.length - 1 - scale;
  const drop = all.length - prec;
  let sig: bigint;
  if (drop > 0) {
    sig = roundHalfEven(digits, drop, 0);
    if (sig.toString().length > prec) {
      sig /= 10n;
      exp10 += 1;
    }
  } else {
    sig = digits * 10n ** BigInt(-drop);
  }
  let sigStr = sig.toString().replace(/0+$/, '');
  if (sigStr === '') sigStr = '0';
  let out: string;
  if (exp10 < -4 || exp10 >= prec) {
    const mant = sigStr.length > 1 ? `${sigStr[0]}.${sigStr.slice(1)}` : sigStr;
    const e = Math.abs(exp10);
    out = `${mant}e${exp10 < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  } else if (exp10 < 0) {
    out = `0.${'0'.repeat(-exp10 - 1)}${sigStr}`;
  } else if (sigStr.length > exp10 + 1) {
    out = `${sigStr.slice(0, exp10 + 1)}.${sigStr.slice(exp10 + 1)}`;
  } else {
    out = sigStr + '0'.repeat(exp10 + 1 - sigStr.length);
  }
  return neg ? `-${out}` : out;
}

/** Go's `%Ns`: right-aligned in a field of `width` runes. */
export function padLeft(s: string, width: number): string {
  const len = [...s].length;
  return len >= width ? s : ' '.repeat(width - len) + s;
}
