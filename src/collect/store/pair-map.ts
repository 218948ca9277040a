/**
 * (parent, frame) → stack node, for the writer's cache of the stack tree: an
 * open-addressing table over three Uint32Arrays. A 400k-stack profile has
 * millions of nodes; a Map keyed by a combined number makes most keys heap
 * numbers and took ~6 s to fill for that profile, this a fraction of it.
 * Node ids start at 1, so 0 marks an empty slot.
 */
export class PairMap {
  private parents: Uint32Array;
  private frames: Uint32Array;
  private values: Uint32Array;
  private mask: number;
  size = 0;

  constructor(capacity = 1 << 12) {
    let n = 1 << 4;
    while (n < capacity * 2) n *= 2;
    this.parents = new Uint32Array(n);
    this.frames = new Uint32Array(n);
    this.values = new Uint32Array(n);
    this.mask = n - 1;
  }

  private slot(parent: number, frame: number): number {
    let h = Math.imul(parent ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(frame + 0x7f4a7c15, 0xc2b2ae35);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 13;
    let i = h & this.mask;
    while (this.values[i] !== 0 && (this.parents[i] !== parent || this.frames[i] !== frame)) i = (i + 1) & this.mask;
    return i;
  }

  /** The node, or 0 when absent. */
  get(parent: number, frame: number): number {
    return this.values[this.slot(parent, frame)]!;
  }

  set(parent: number, frame: number, node: number): void {
    if (node <= 0 || node > 0xffffffff || parent > 0xffffffff || frame > 0xffffffff) throw new RangeError(`stack node ids beyond 2^32 are not cached (${parent}, ${frame} → ${node})`);
    const i = this.slot(parent, frame);
    if (this.values[i] === 0) {
      this.size++;
      this.parents[i] = parent;
      this.frames[i] = frame;
    }
    this.values[i] = node;
    if (this.size * 4 > this.values.length * 3) this.grow();
  }

  private grow(): void {
    const { parents, frames, values } = this;
    const n = values.length * 2;
    this.parents = new Uint32Array(n);
    this.frames = new Uint32Array(n);
    this.values = new Uint32Array(n);
    this.mask = n - 1;
    for (let i = 0; i < values.length; i++) {
      if (values[i] === 0) continue;
      const j = this.slot(parents[i]!, frames[i]!);
      this.parents[j] = parents[i]!;
      this.frames[j] = frames[i]!;
      this.values[j] = values[i]!;
    }
  }
}
