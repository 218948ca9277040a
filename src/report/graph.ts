import type { NodeTable } from './nodes.js';
import type { WorkProfile } from './work.js';

/** How a sample contributes: its value, and (under -mean) the divisor. */
export interface SampleValue {
  value: (sample: number) => number;
  meanDivisor?: ((sample: number) => number) | undefined;
  /**
   * Set when the report's sums can pass 2^53, where doubles stop adding
   * integers exactly: each sample's value split into limbs (see `splitExact`)
   * so the graph can sum it exactly, as pprof sums int64.
   */
  limbs?: Limbs | undefined;
}

/**
 * A value v = a·2^42 + b·2^21 + c, with b and c in [0, 2^21) and |a| ≤ 2^21,
 * as three doubles per sample (indexed like the profile's samples). A limb
 * summed over fewer than 2^31 samples stays below 2^52, so a graph built
 * from one limb's values adds them exactly, whatever the order.
 */
export type Limbs = readonly [a: Float64Array, b: Float64Array, c: Float64Array];

const LIMB = 21n;
const LIMB_MASK = (1n << LIMB) - 1n;

/** The limbs of `count` samples' exact values. */
export function splitExact(count: number, exact: (sample: number) => bigint): Limbs {
  const a = new Float64Array(count);
  const b = new Float64Array(count);
  const c = new Float64Array(count);
  for (let s = 0; s < count; s++) {
    const v = exact(s);
    a[s] = Number(v >> (2n * LIMB));
    b[s] = Number((v >> LIMB) & LIMB_MASK);
    c[s] = Number(v & LIMB_MASK);
  }
  return [a, b, c];
}

function joinLimbs(a: number, b: number, c: number): bigint {
  return (BigInt(a) << (2n * LIMB)) + (BigInt(b) << LIMB) + BigInt(c);
}

/** Exact flat and cum per node and weight per edge (indexes as in the graph's own arrays). */
interface ExactSums {
  flat: bigint[];
  cum: bigint[];
  weight: bigint[];
}

/**
 * A call graph over NodeTable rows, as pprof's graph.New builds it: each
 * sample adds its value to the cum of every distinct node on its stack, to the
 * flat of its leaf, and to every distinct caller→callee edge. Nodes left out
 * of `kept` make the edges around them "residual", as in pprof.
 */
export class Graph {
  /** Node IDs in the graph (NodeTable IDs), in report order once sorted. */
  nodes: Int32Array;
  readonly flat: Float64Array;
  readonly cum: Float64Array;
  readonly flatDiv: Float64Array;
  readonly cumDiv: Float64Array;
  readonly edges = new EdgeList();
  /** The sums exactly, when the sample values came with limbs; `flat`, `cum` and edge weights then hold the doubles nearest them. */
  readonly exact: ExactSums | undefined;

  constructor(
    readonly table: NodeTable,
    w: WorkProfile,
    sv: SampleValue,
    kept?: Uint8Array,
    dropNegative = false,
    /** False when only node values are needed (the first pass of trimming), which skips the edge work. */
    withEdges = true,
  ) {
    const n = table.count;
    this.flat = new Float64Array(n);
    this.cum = new Float64Array(n);
    this.flatDiv = new Float64Array(n);
    this.cumDiv = new Float64Array(n);
    const seenNode = new Int32Array(n).fill(-1);
    const { locStart, locCount, locNodes } = table;
    const edges = this.edges;
    const stacks = w.stacks;
    const samples = w.samples;
    for (let si = 0; si < samples.length; si++) {
      const s = samples[si]!;
      const wv = sv.value(s);
      const dw = sv.meanDivisor ? sv.meanDivisor(s) : 0;
      if (wv === 0 && dw === 0) continue;
      let parent = -1;
      let residual = false;
      const start = w.stackStart[s]!;
      for (let i = w.stackCount[s]! - 1; i >= 0; i--) {
        const loc = stacks[start + i]!;
        const ls = locStart[loc]!;
        const lc = locCount[loc]!;
        for (let ni = lc - 1; ni >= 0; ni--) {
          const node = locNodes[ls + ni]!;
          if (kept && !kept[node]) {
            residual = true;
            continue;
          }
          if (seenNode[node] !== si) {
            seenNode[node] = si;
            this.cum[node] += wv;
            this.cumDiv[node] += dw;
          }
          if (withEdges && parent >= 0 && node !== parent) edges.add(parent, node, si, wv, dw, residual, ni !== lc - 1);
          parent = node;
          residual = false;
        }
      }
      if (parent >= 0 && !residual) {
        this.flat[parent] += wv;
        this.flatDiv[parent] += dw;
      }
    }
    if (sv.limbs) this.exact = this.sumExactly(sv.limbs, w, kept, withEdges);
    const ids: number[] = [];
    for (let id = 0; id < n; id++) {
      if (this.cum[id] === 0 && this.flat[id] === 0) continue;
      if (kept && !kept[id]) continue;
      if (dropNegative && (this.flat[id]! < 0 || (this.flat[id] === 0 && this.cum[id]! < 0))) continue;
      ids.push(id);
    }
    this.nodes = Int32Array.from(ids);
  }

  /**
   * Builds the graph once per limb (the same traversal, so the same nodes
   * and edges) and joins the limbs' sums, which are exact, into bigints.
   */
  private sumExactly(limbs: Limbs, w: WorkProfile, kept: Uint8Array | undefined, withEdges: boolean): ExactSums {
    const [a, b, c] = limbs.map((l) => new Graph(this.table, w, { value: (s) => l[s]! }, kept, false, withEdges));
    const join = (get: (g: Graph) => number): bigint => joinLimbs(get(a!), get(b!), get(c!));
    const flat = Array.from(this.flat, (_, id) => join((g) => g.flat[id]!));
    const cum = Array.from(this.cum, (_, id) => join((g) => g.cum[id]!));
    const e = this.edges;
    const weight = Array.from({ length: e.count }, (_, i) => join((g) => g.edges.weightOf(e.src[i]!, e.dst[i]!)));
    flat.forEach((v, id) => (this.flat[id] = Number(v)));
    cum.forEach((v, id) => (this.cum[id] = Number(v)));
    weight.forEach((v, i) => (e.weight[i] = Number(v)));
    return { flat, cum, weight };
  }

  /** pprof Node.FlatValue: flat, or the mean under -mean. */
  flatValue(id: number): number {
    const d = this.flatDiv[id]!;
    return d === 0 ? this.flat[id]! : Math.trunc(this.flat[id]! / d);
  }

  cumValue(id: number): number {
    const d = this.cumDiv[id]!;
    return d === 0 ? this.cum[id]! : Math.trunc(this.cum[id]! / d);
  }

  /** Σ flat over the graph's nodes (pprof Nodes.Sum), as the double nearest the exact sum. */
  flatSum(): number {
    if (this.exact) {
      let s = 0n;
      for (const id of this.nodes) s += this.exact.flat[id]!;
      return Number(s);
    }
    let s = 0;
    for (const id of this.nodes) s += this.flat[id]!;
    return s;
  }

  /**
   * The running sums of flatValue over `ids` (pprof's sum% column), each the
   * double nearest the exact sum, as pprof prints float64 of its int64 sum.
   */
  runningFlat(ids: ArrayLike<number>): Float64Array {
    const out = new Float64Array(ids.length);
    if (this.exact) {
      let s = 0n;
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i]!;
        s += this.flatDiv[id] === 0 ? this.exact.flat[id]! : BigInt(this.flatValue(id));
        out[i] = Number(s);
      }
      return out;
    }
    let s = 0;
    for (let i = 0; i < ids.length; i++) {
      s += this.flatValue(ids[i]!);
      out[i] = s;
    }
    return out;
  }

  /** Node set of the nodes whose |cum| reaches the cutoff (pprof DiscardLowFrequencyNodes). */
  nodesAtOrAbove(cutoff: number): Uint8Array {
    const set = new Uint8Array(this.table.count);
    for (const id of this.nodes) if (Math.abs(this.cum[id]!) >= cutoff) set[id] = 1;
    return set;
  }

  /** Sorts rows as pprof does: by |flat| (or |cum| with `cum`), then name, then the other value, then NodeInfo. */
  sort(byCum: boolean): void {
    const names = this.table.names;
    const primary = byCum ? this.cum : this.flat;
    const secondary = byCum ? this.flat : this.cum;
    const ids = Array.from(this.nodes);
    ids.sort((a, b) => {
      const pa = Math.abs(primary[a]!);
      const pb = Math.abs(primary[b]!);
      if (pa !== pb) return pb - pa;
      const na = names[a]!;
      const nb = names[b]!;
      if (na !== nb) return na < nb ? -1 : 1;
      const sa = Math.abs(secondary[a]!);
      const sb = Math.abs(secondary[b]!);
      if (sa !== sb) return sb - sa;
      const fa = this.table.sprint(a);
      const fb = this.table.sprint(b);
      return fa < fb ? -1 : fa > fb ? 1 : 0;
    });
    this.nodes = Int32Array.from(ids);
  }

  /** Removes edges whose |weight| is under the cutoff; returns how many (pprof TrimLowFrequencyEdges). */
  trimLowFrequencyEdges(cutoff: number): number {
    const inGraph = new Uint8Array(this.table.count);
    for (const id of this.nodes) inGraph[id] = 1;
    let dropped = 0;
    const e = this.edges;
    for (let i = 0; i < e.count; i++) {
      if (e.removed[i] || !inGraph[e.dst[i]!]) continue;
      if (Math.abs(e.weight[i]!) < cutoff) {
        e.removed[i] = 1;
        dropped++;
      }
    }
    return dropped;
  }

  /** Edges into each node (ids into `edges`), computed on demand. */
  inEdges(): Map<number, number[]> {
    return this.edges.byEndpoint('dst');
  }

  outEdges(): Map<number, number[]> {
    return this.edges.byEndpoint('src');
  }
}

/** Edge storage with per-sample de-duplication, keyed by (src, dst); concrete typed arrays keep the hot path monomorphic. */
export class EdgeList {
  count = 0;
  src = new Int32Array(1024);
  dst = new Int32Array(1024);
  weight = new Float64Array(1024);
  weightDiv = new Float64Array(1024);
  residual = new Uint8Array(1024);
  inline = new Uint8Array(1024);
  removed = new Uint8Array(1024);
  private lastSample = new Int32Array(1024);
  private readonly index = new PairIndex();

  /** The weight of the edge src → dst, 0 when there is none. */
  weightOf(src: number, dst: number): number {
    const e = this.index.get(src, dst);
    return e < 0 ? 0 : this.weight[e]!;
  }

  add(src: number, dst: number, sample: number, w: number, dw: number, residual: boolean, inline: boolean): void {
    let e = this.index.get(src, dst);
    if (e < 0) {
      e = this.count++;
      if (e === this.src.length) this.grow();
      this.index.set(src, dst, e);
      this.src[e] = src;
      this.dst[e] = dst;
      this.weight[e] = w;
      this.weightDiv[e] = dw;
      this.residual[e] = residual ? 1 : 0;
      this.inline[e] = inline ? 1 : 0;
      this.lastSample[e] = sample;
      return;
    }
    if (this.lastSample[e] === sample) return;
    this.lastSample[e] = sample;
    this.weight[e] += w;
    this.weightDiv[e] += dw;
    if (residual) this.residual[e] = 1;
    if (!inline) this.inline[e] = 0;
  }

  private grow(): void {
    const n = this.src.length * 2;
    const i32 = (a: Int32Array) => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    const f64 = (a: Float64Array) => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    const u8 = (a: Uint8Array) => {
      const b = new Uint8Array(n);
      b.set(a);
      return b;
    };
    this.src = i32(this.src);
    this.dst = i32(this.dst);
    this.lastSample = i32(this.lastSample);
    this.weight = f64(this.weight);
    this.weightDiv = f64(this.weightDiv);
    this.residual = u8(this.residual);
    this.inline = u8(this.inline);
    this.removed = u8(this.removed);
  }

  byEndpoint(which: 'src' | 'dst'): Map<number, number[]> {
    const m = new Map<number, number[]>();
    const col = which === 'src' ? this.src : this.dst;
    for (let i = 0; i < this.count; i++) {
      if (this.removed[i]) continue;
      const k = col[i]!;
      const list = m.get(k);
      if (list) list.push(i);
      else m.set(k, [i]);
    }
    return m;
  }
}

/**
 * An open-addressing hash from (src, dst) node pairs to edge indexes. Graph
 * building looks up an edge for every frame of every sample, and a JS Map
 * keyed by numbers was the report's hottest cost on 400k-sample profiles.
 */
class PairIndex {
  private mask = 1023;
  private keys = new Int32Array(2048).fill(-1);
  private values = new Int32Array(1024);
  private size = 0;

  private slot(a: number, b: number): number {
    return (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77)) & this.mask;
  }

  get(a: number, b: number): number {
    const keys = this.keys;
    for (let i = this.slot(a, b); ; i = (i + 1) & this.mask) {
      const k = keys[2 * i]!;
      if (k === -1) return -1;
      if (k === a && keys[2 * i + 1] === b) return this.values[i]!;
    }
  }

  set(a: number, b: number, v: number): void {
    if ((this.size + 1) * 2 > this.mask + 1) this.grow();
    const keys = this.keys;
    let i = this.slot(a, b);
    while (keys[2 * i] !== -1) i = (i + 1) & this.mask;
    keys[2 * i] = a;
    keys[2 * i + 1] = b;
    this.values[i] = v;
    this.size++;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldValues = this.values;
    const capacity = (this.mask + 1) * 2;
    this.mask = capacity - 1;
    this.keys = new Int32Array(capacity * 2).fill(-1);
    this.values = new Int32Array(capacity);
    this.size = 0;
    for (let i = 0; i < oldValues.length; i++) {
      if (oldKeys[2 * i] !== -1) this.set(oldKeys[2 * i]!, oldKeys[2 * i + 1]!, oldValues[i]!);
    }
  }
}
