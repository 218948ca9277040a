import type { NodeTable } from './nodes.js';
import type { WorkProfile } from './work.js';

/** How a sample contributes: its value, and (under -mean) the divisor. */
export interface SampleValue {
  value: (sample: number) => number;
  meanDivisor?: ((sample: number) => number) | undefined;
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

  constructor(
    readonly table: NodeTable,
    w: WorkProfile,
    sv: SampleValue,
    kept?: Uint8Array,
    dropNegative = false,
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
          if (parent >= 0 && node !== parent) edges.add(parent, node, n, si, wv, dw, residual, ni !== lc - 1);
          parent = node;
          residual = false;
        }
      }
      if (parent >= 0 && !residual) {
        this.flat[parent] += wv;
        this.flatDiv[parent] += dw;
      }
    }
    const ids: number[] = [];
    for (let id = 0; id < n; id++) {
      if (this.cum[id] === 0 && this.flat[id] === 0) continue;
      if (kept && !kept[id]) continue;
      if (dropNegative && (this.flat[id]! < 0 || (this.flat[id] === 0 && this.cum[id]! < 0))) continue;
      ids.push(id);
    }
    this.nodes = Int32Array.from(ids);
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

  /** Σ flat over the graph's nodes (pprof Nodes.Sum). */
  flatSum(): number {
    let s = 0;
    for (const id of this.nodes) s += this.flat[id]!;
    return s;
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
      if (e.removed[i] || !inGraph[e.dst.data[i]!]) continue;
      if (Math.abs(e.weight.data[i]!) < cutoff) {
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

/** Edge storage with per-sample de-duplication, keyed by (src, dst). */
export class EdgeList {
  count = 0;
  readonly src = new Grow(Int32Array);
  readonly dst = new Grow(Int32Array);
  readonly weight = new Grow(Float64Array);
  readonly weightDiv = new Grow(Float64Array);
  readonly residual = new Grow(Uint8Array);
  readonly inline = new Grow(Uint8Array);
  readonly lastSample = new Grow(Int32Array);
  removed = new Uint8Array(0);
  private readonly index = new Map<number, number>();

  add(src: number, dst: number, nodeCount: number, sample: number, w: number, dw: number, residual: boolean, inline: boolean) {
    const key = src * nodeCount + dst;
    let e = this.index.get(key);
    if (e === undefined) {
      e = this.count++;
      this.index.set(key, e);
      this.src.push(src);
      this.dst.push(dst);
      this.weight.push(w);
      this.weightDiv.push(dw);
      this.residual.push(residual ? 1 : 0);
      this.inline.push(inline ? 1 : 0);
      this.lastSample.push(sample);
      if (this.removed.length < this.count) {
        const r = new Uint8Array(Math.max(1024, this.count * 2));
        r.set(this.removed);
        this.removed = r;
      }
      return;
    }
    if (this.lastSample.data[e] === sample) return;
    this.lastSample.data[e] = sample;
    this.weight.data[e] += w;
    this.weightDiv.data[e] += dw;
    if (residual) this.residual.data[e] = 1;
    if (!inline) this.inline.data[e] = 0;
  }

  byEndpoint(which: 'src' | 'dst'): Map<number, number[]> {
    const m = new Map<number, number[]>();
    const col = which === 'src' ? this.src.data : this.dst.data;
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

type TypedArray = Int32Array | Float64Array | Uint8Array;
type TypedArrayCtor<T extends TypedArray> = new (n: number) => T;

/** A growable typed array of any element type. */
class Grow<T extends TypedArray> {
  data: T;
  length = 0;
  constructor(private readonly ctor: TypedArrayCtor<T>) {
    this.data = new ctor(1024);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new this.ctor(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}
