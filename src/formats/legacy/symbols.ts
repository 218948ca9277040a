import type { ProfileBuilder } from '../../model/builder.js';

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
 * compiler; only runtime.goexit's position, which has no comment line, differs).
 */

export interface FrameLine {
  pc: bigint;
  func: string;
  offset: bigint;
  file: string;
  line: number;
}

/** The function name has no tabs; `(.+)` there made V8 backtrack quadratically on long garbled lines. */
const FRAME_RE = /^#\t+0x([0-9a-f]+)\t+([^\t]+)\+0x([0-9a-f]+)\t+(.*):(\d+)\s*$/;

/** Parses one `#\t0x…` frame comment; undefined for other comments (labels, bare PCs). */
export function parseFrameLine(line: string): FrameLine | undefined {
  const m = FRAME_RE.exec(line);
  if (!m) return undefined;
  return { pc: BigInt('0x' + m[1]), func: m[2]!, offset: BigInt('0x' + m[3]), file: m[4]!, line: Number(m[5]) };
}

/** Per address (as it appears in `@` lists, i.e. PC + 1): physical function and innermost position. */
export interface AddressSymbol {
  func: string;
  file: string;
  line: number;
}

/** Collects address symbols from the frame comments of one record. */
export function symbolsOfRecord(frames: readonly FrameLine[], into: Map<bigint, AddressSymbol>): void {
  let i = 0;
  while (i < frames.length) {
    const entry = frames[i]!.pc - frames[i]!.offset;
    let j = i;
    while (j + 1 < frames.length && frames[j + 1]!.pc - frames[j + 1]!.offset === entry) j++;
    const physical = frames[j]!.func;
    let anchor = frames[i]!;
    for (let k = i; k <= j; k++) {
      const f = frames[k]!;
      if (k > i && f.pc !== frames[k - 1]!.pc) anchor = f;
      const address = f.pc + 1n;
      if (!into.has(address)) into.set(address, { func: physical, file: anchor.file, line: anchor.line });
    }
    i = j + 1;
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
  private readonly byAddress = new Map<bigint, number>();
  private readonly functions = new Map<string, number>();
  readonly symbols = new Map<bigint, AddressSymbol>();

  constructor(private readonly b: ProfileBuilder) {}

  /** Location indexes for an `@` list (leaf first). */
  stack(addresses: readonly bigint[]): number[] {
    return addresses.map((a, i) => this.location(a, i === addresses.length - 1));
  }

  private location(address: bigint, isRoot: boolean): number {
    let loc = this.byAddress.get(address);
    if (loc === undefined) {
      loc = this.b.addLocation(-1, BigInt.asUintN(64, address - 1n), []);
      this.byAddress.set(address, loc);
      this.rootish.set(loc, isRoot);
    } else if (!isRoot) {
      this.rootish.set(loc, false);
    }
    return loc;
  }

  private readonly rootish = new Map<number, boolean>();

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
  symbolize(): void {
    for (const [address, loc] of this.byAddress) {
      const sym = this.symbols.get(address);
      if (sym) {
        this.b.setLocationLines(loc, [{ fn: this.fn(sym.func, sym.file), line: sym.line }]);
      } else if (address > 1n) {
        const name = this.rootish.get(loc) ? 'runtime.goexit' : 'runtime.<hidden>';
        this.b.setLocationLines(loc, [{ fn: this.fn(name, ''), line: 0 }]);
      }
    }
  }
}
