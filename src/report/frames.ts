import type { Profile } from '../model/profile.js';
import type { WorkProfile } from './work.js';

/** A frame of a flame graph or folded stack: a function (pprof's default granularity) or a bare address. */
export interface Frame {
  name: string;
  file: string;
  /** The function's start line (0 when unknown, and for addresses). */
  line: number;
}

/**
 * Interns the frames of one profile: one per function, one per address of a
 * location without symbols. Shared by the folded-stack export and the flame
 * tree, so both name a stack the same way.
 */
export class FrameTable {
  readonly frames: Frame[] = [];
  private readonly byKey = new Map<string, number>();
  private readonly ofFunction: Int32Array;

  constructor(private readonly p: Profile) {
    this.ofFunction = new Int32Array(p.functions.count).fill(-1);
  }

  private intern(name: string, file: string, line: number): number {
    const key = `${name}\0${file}\0${line}`;
    let f = this.byKey.get(key);
    if (f === undefined) {
      f = this.frames.length;
      this.frames.push({ name, file, line });
      this.byKey.set(key, f);
    }
    return f;
  }

  /** The frame of line `line` of location `loc` (the address when the line names no function). */
  lineFrame(line: number, loc: number): number {
    const p = this.p;
    const fn = p.lines.function[line]!;
    if (fn < 0 || p.functions.name[fn] === 0) return this.addressFrame(loc);
    let f = this.ofFunction[fn]!;
    if (f < 0) {
      const F = p.functions;
      f = this.ofFunction[fn] = this.intern(p.strings[F.name[fn]!]!, p.strings[F.filename[fn]!]!, F.startLine[fn]!);
    }
    return f;
  }

  addressFrame(loc: number): number {
    return this.intern(`0x${this.p.locations.address[loc]!.toString(16)}`, '', 0);
  }

  /**
   * Sample `s`'s frames, root first, into `out` (cleared first): inlined
   * frames expanded unless `noInlines`, which keeps each location's physical
   * function only.
   */
  stackOf(w: WorkProfile, s: number, noInlines: boolean, out: number[]): number[] {
    out.length = 0;
    const start = w.stackStart[s]!;
    for (let i = w.stackCount[s]! - 1; i >= 0; i--) {
      const loc = w.stacks[start + i]!;
      const ls = w.lineStart[loc]!;
      const lc = w.lineCount[loc]!;
      if (lc === 0) out.push(this.addressFrame(loc));
      else if (noInlines) out.push(this.lineFrame(w.lineIdx[ls + lc - 1]!, loc));
      // Lines are callee first; root-first order walks them backwards.
      else for (let j = lc - 1; j >= 0; j--) out.push(this.lineFrame(w.lineIdx[ls + j]!, loc));
    }
    return out;
  }
}
