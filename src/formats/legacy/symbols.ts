import type { ProfileBuilder } from '../../model/builder.js';
import { hexDigit, textOf } from './lines.js';

/**
 * Symbols for legacy text profiles, taken from the `#\t0xPC\tfunc+0xOFF\tfile:line`
 * comment lines Go prints under each record — pprof ignores them and shows
 * `<unknown>` unless it is given the binary.
 *
 * With the binary, pprof symbolises each `@` address on its own: the function
 * is the physical (outermost) function containing the PC and the position is
 * the innermost inlined position at that PC. The comment lines give us the
 * same: inlined frames of one physical function share an entry point
 * (PC − offset), so the physical function is the last frame of such a run;
 * and the first frame printed at a PC is the innermost position at that PC.
 * Since Go 1.23 the runtime expands inlined calls into the `@` list as
 * consecutive PCs (PC, PC+1, …; runtime/mprof.go fpTracebackPartialExpand):
 * each is looked up on its own, so each gets the position printed for it —
 * the caller's line after an inlined callee, as the binary's line table says.
 * This reproduces `go tool pprof BINARY FILE` without the binary (checked on
 * the Go 1.23 and 1.26 compilers' own memprofiles against pprof given the
 * compiler) except for what the text does not say: runtime.goexit's position
 * (no comment line), the runtime frames Go hides, and wrapper functions
 * (`-fm`, `deferwrap1`), which the runtime leaves out of its frames so the
 * function they inline shows as the physical one.
 *
 * A profile has few distinct addresses and many comment lines (the compiler's
 * 100 MB profile: 1.1 million lines, 30,000 addresses), so a line is read as
 * bytes and only its PC and offset are parsed; names and positions are
 * decoded to strings only for an address not seen before.
 */

/** An address as the `@` list spells it (PC + 1): a number below 2^53, else a bigint. */
export type AddressKey = number | bigint;

/** Per address: physical function and innermost position. */
export interface AddressSymbol {
  func: string;
  file: string;
  line: number;
}

/**
 * Reads a record's frame lines and turns each finished record into symbols
 * for its addresses.
 */
export class FrameReader {
  /**
   * The record's frame lines so far, in parallel arrays (reused: a big
   * profile has a million of them): the address (PC + 1), its physical
   * function's entry (PC − offset), and its strings when it is new.
   */
  private count = 0;
  private fresh = 0;
  private readonly address: AddressKey[] = [];
  private readonly entry: AddressKey[] = [];
  private readonly symbol: (AddressSymbol | undefined)[] = [];
  readonly symbols = new Map<AddressKey, AddressSymbol>();
  /** The physical function's entry of every symbolised address. */
  private readonly entries = new Map<AddressKey, AddressKey>();

  /**
   * Reads a `#\t0x…\tfunc+0x…\tfile:line` comment; other comments (labels,
   * bare PCs) are skipped. A PC already symbolised needs nothing more than
   * the PC.
   */
  line(buf: Uint8Array, start: number, end: number): void {
    const pc = framePc(buf, start, end);
    if (!pc) return;
    const address = addKey(pc.value, 1);
    const known = this.entries.get(address);
    if (known !== undefined) {
      this.add(address, known, undefined);
      return;
    }
    const f = frameFields(buf, pc.end, end);
    if (!f) return;
    const entry = subKey(pc.value, hexValue(buf, f.plus + 3, f.nameEnd));
    this.add(address, entry, { func: textOf(buf, f.nameStart, f.plus), file: textOf(buf, f.posStart, f.colon), line: Number(textOf(buf, f.colon + 1, f.posEnd)) });
  }

  private add(address: AddressKey, entry: AddressKey, symbol: AddressSymbol | undefined): void {
    const n = this.count++;
    this.address[n] = address;
    this.entry[n] = entry;
    this.symbol[n] = symbol;
    if (symbol) this.fresh++;
  }

  /**
   * The record's frames are complete: each run of frames sharing an entry
   * point is one physical function (its last frame); each address gets the
   * position of the first frame printed at its PC.
   */
  endRecord(): void {
    const n = this.count;
    this.count = 0;
    if (this.fresh === 0) return;
    this.fresh = 0;
    const { address, entry, symbol, symbols } = this;
    let i = 0;
    while (i < n) {
      let j = i;
      while (j + 1 < n && entry[j + 1] === entry[i]) j++;
      const physical = (symbol[j] ?? symbols.get(address[j]!))?.func;
      let anchor = symbol[i];
      for (let k = i; k <= j; k++) {
        if (k > i && address[k] !== address[k - 1]) anchor = symbol[k];
        if (anchor && physical !== undefined && !symbols.has(address[k]!)) {
          symbols.set(address[k]!, { func: physical, file: anchor.file, line: anchor.line });
          this.entries.set(address[k]!, entry[k]!);
        }
      }
      i = j + 1;
    }
    symbol.fill(undefined, 0, n);
  }
}

/**
 * Turns the addresses of all records into locations: one per distinct address
 * (pprof decrements each by one to land on the call), symbolised from the
 * comments. An unsymbolised address at the root of a stack is runtime.goexit,
 * where every goroutine stack ends; other unsymbolised addresses are runtime
 * frames Go hid from the text and are named `runtime.<hidden>`, so heap
 * profiles prune them as pprof prunes runtime frames.
 */
export class LegacyLocations {
  private readonly byAddress = new Map<AddressKey, number>();
  private readonly rootish: boolean[] = [];
  private readonly functions = new Map<string, number>();

  constructor(private readonly b: ProfileBuilder) {}

  /** Location indexes for an `@` list (leaf first), into `out`; returns how many locations are new. */
  stack(addresses: readonly AddressKey[], out: number[]): number {
    const n = addresses.length;
    const { byAddress, rootish } = this;
    let added = 0;
    out.length = n;
    for (let i = 0; i < n; i++) {
      const address = addresses[i]!;
      let loc = byAddress.get(address);
      if (loc === undefined) {
        loc = this.b.addLocation(-1, BigInt.asUintN(64, BigInt(address) - 1n), []);
        byAddress.set(address, loc);
        rootish[loc] = i === n - 1;
        added++;
      } else if (rootish[loc] && i !== n - 1) {
        rootish[loc] = false;
      }
      out[i] = loc;
    }
    return added;
  }

  private fn(name: string, file: string): number {
    const key = `${name}\0${file}`;
    let f = this.functions.get(key);
    if (f === undefined) {
      f = this.b.addFunction(name, name, file, 0);
      this.functions.set(key, f);
    }
    return f;
  }

  /** Gives every location its line, once all records (and their comments) are read. */
  symbolize(symbols: ReadonlyMap<AddressKey, AddressSymbol>): void {
    for (const [address, loc] of this.byAddress) {
      const sym = symbols.get(address);
      if (sym) {
        this.b.setLocationLines(loc, [{ fn: this.fn(sym.func, sym.file), line: sym.line }]);
      } else if (address > 1) {
        const name = this.rootish[loc] ? 'runtime.goexit' : 'runtime.<hidden>';
        this.b.setLocationLines(loc, [{ fn: this.fn(name, ''), line: 0 }]);
      }
    }
  }
}

/** One `#\t0x…\tfunc+0x…\tfile:line` frame comment, fields decoded (the goroutine analysis reads these: src/formats/goroutines). */
export interface FrameLine {
  pc: bigint;
  func: string;
  offset: bigint;
  file: string;
  line: number;
}

const ENCODER = new TextEncoder();

/** Parses one frame comment; undefined for other comments (labels, bare PCs). */
export function parseFrameLine(line: string): FrameLine | undefined {
  const buf = ENCODER.encode(line);
  const pc = framePc(buf, 0, buf.length);
  const f = pc && frameFields(buf, pc.end, buf.length);
  if (!pc || !f) return undefined;
  return {
    pc: BigInt(pc.value),
    func: textOf(buf, f.nameStart, f.plus),
    offset: BigInt(hexValue(buf, f.plus + 3, f.nameEnd)),
    file: textOf(buf, f.posStart, f.colon),
    line: Number(textOf(buf, f.colon + 1, f.posEnd)),
  };
}

/**
 * The PC of a frame comment `#\t0x…\t` and where its tab is; what the regex
 * `^#\t+0x([0-9a-f]+)\t+([^\t]+)\+0x([0-9a-f]+)\t+(.*):(\d+)\s*$` matches is
 * parsed by hand, this part first, so a known PC is never decoded further.
 */
function framePc(buf: Uint8Array, start: number, end: number): { value: AddressKey; end: number } | undefined {
  let i = skipTabs(buf, start + 1, end);
  if (buf[start] !== 35 || i === start + 1 || buf[i] !== 48 || buf[i + 1] !== 120) return undefined;
  const pcStart = i + 2;
  let pc = 0;
  for (i = pcStart; i < end; i++) {
    const d = hexDigit(buf[i]!);
    if (d < 0) break;
    pc = pc * 16 + d;
  }
  if (i === pcStart || buf[i] !== 9) return undefined;
  return { value: i - pcStart <= 13 ? pc : hexValue(buf, pcStart, i), end: i };
}

/** Where the rest of a frame comment's fields lie, from the tab after its PC: `func+0xOFF`, `file:line`. */
function frameFields(buf: Uint8Array, i: number, end: number): { nameStart: number; plus: number; nameEnd: number; posStart: number; colon: number; posEnd: number } | undefined {
  const nameStart = skipTabs(buf, i, end);
  i = nameStart;
  while (i < end && buf[i] !== 9) i++;
  const nameEnd = i;
  // The offset follows the name field's last "+0x", and runs to the field's end.
  let plus = nameEnd - 1;
  while (plus > nameStart && !(buf[plus] === 43 && buf[plus + 1] === 48 && buf[plus + 2] === 120)) plus--;
  if (plus <= nameStart || hexEnd(buf, plus + 3, nameEnd) !== nameEnd || plus + 3 === nameEnd) return undefined;
  const posStart = skipTabs(buf, nameEnd, end);
  if (posStart === nameEnd) return undefined;
  let posEnd = end;
  while (posEnd > posStart && isSpace(buf[posEnd - 1]!)) posEnd--;
  let colon = posEnd - 1;
  while (colon >= posStart && buf[colon]! >= 48 && buf[colon]! <= 57) colon--;
  if (colon < posStart || buf[colon] !== 58 || colon === posEnd - 1) return undefined;
  return { nameStart, plus, nameEnd, posStart, colon, posEnd };
}

function isSpace(b: number): boolean {
  return b === 32 || (b >= 9 && b <= 13);
}

function skipTabs(buf: Uint8Array, i: number, end: number): number {
  while (i < end && buf[i] === 9) i++;
  return i;
}

function hexEnd(buf: Uint8Array, i: number, end: number): number {
  while (i < end && hexDigit(buf[i]!) >= 0) i++;
  return i;
}

/** The hex digits buf[start,end) as a number below 2^53, else a bigint. */
function hexValue(buf: Uint8Array, start: number, end: number): AddressKey {
  if (end - start <= 13) {
    let v = 0;
    for (let i = start; i < end; i++) v = v * 16 + hexDigit(buf[i]!);
    return v;
  }
  return normal(BigInt('0x' + textOf(buf, start, end)));
}

/** A key in its one form: a number when it fits exactly, so equal addresses are equal keys. */
function normal(v: bigint): AddressKey {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= 0n ? Number(v) : v;
}

function addKey(a: AddressKey, n: number): AddressKey {
  return typeof a === 'number' && a + n <= Number.MAX_SAFE_INTEGER ? a + n : normal(BigInt(a) + BigInt(n));
}

function subKey(a: AddressKey, b: AddressKey): AddressKey {
  return typeof a === 'number' && typeof b === 'number' ? a - b : normal(BigInt(a) - BigInt(b));
}
