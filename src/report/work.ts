import type { Profile } from '../model/profile.js';

/**
 * A mutable view of an immutable Profile for one report run. pprof's driver
 * rewrites its profile in place (filters drop samples, trim stacks, cut
 * inlined lines); this view does the same on copies of the index arrays only,
 * leaving the decoded tables untouched and shareable.
 */
export class WorkProfile {
  /** Indexes of the samples still in the report, in profile order. */
  samples: Int32Array;
  /** Per profile sample: its stack is `stacks[stackStart .. stackStart+stackCount)`, leaf first. */
  readonly stackStart: Int32Array;
  readonly stackCount: Int32Array;
  readonly stacks: Int32Array;
  /** Per location: its lines are `lineIdx[lineStart .. lineStart+lineCount)`, callee first. */
  readonly lineStart: Int32Array;
  readonly lineCount: Int32Array;
  readonly lineIdx: Int32Array;

  constructor(readonly p: Profile) {
    this.samples = Int32Array.from({ length: p.samples.count }, (_, i) => i);
    this.stackStart = p.samples.locStart.slice();
    this.stackCount = p.samples.locCount.slice();
    this.stacks = p.stacks;
    this.lineStart = p.locations.lineStart.slice();
    this.lineCount = p.locations.lineCount.slice();
    this.lineIdx = Int32Array.from({ length: p.lines.count }, (_, i) => i);
  }

  /** Stacks are shared with the profile until a filter needs to rewrite one. */
  private ownStacks = false;

  writableStacks(): Int32Array {
    if (!this.ownStacks) {
      (this as { stacks: Int32Array }).stacks = this.p.stacks.slice();
      this.ownStacks = true;
    }
    return this.stacks;
  }

  value(sample: number, type: number): number {
    return this.p.samples.values[sample * this.p.sampleTypes.length + type]!;
  }

  mappingFile(loc: number): string | undefined {
    const m = this.p.locations.mapping[loc]!;
    return m >= 0 ? this.p.mappings[m]!.file : undefined;
  }

  /** Keeps only the samples for which `keep` is true. */
  filterSamples(keep: (sample: number) => boolean): void {
    const out: number[] = [];
    for (const s of this.samples) if (keep(s)) out.push(s);
    this.samples = Int32Array.from(out);
  }

  /** Keeps only the lines of a location for which `keep` is true (in place, order preserved). */
  filterLines(loc: number, keep: (line: number) => boolean): number {
    const start = this.lineStart[loc]!;
    let w = start;
    for (let j = start, end = start + this.lineCount[loc]!; j < end; j++) {
      const ln = this.lineIdx[j]!;
      if (keep(ln)) this.lineIdx[w++] = ln;
    }
    this.lineCount[loc] = w - start;
    return w - start;
  }
}
