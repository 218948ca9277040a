import { GrowableFloat64, GrowableInt32 } from '../../model/growable.js';
import type { HeapDump } from '../../model/heapdump.js';
import { isUserFunction } from '../go-names.js';
import { AddressIndex } from './address-index.js';
import type { Digraph, WeakNodes } from './dominators.js';
import type { Namer } from './globals.js';
import type { ChainStep, RootRef } from './types.js';

/**
 * The object graph of a dump with its roots, as one compressed graph:
 *
 *   node 0                  a virtual root above every real one
 *   nodes 1 … rootCount     roots: globals, goroutines (and under each its
 *                           frames), finalizers, other roots
 *   nodes objectBase + i    object i of the dump
 *
 * Edges of the roots come first; then each object's edges are its pointer
 * slots in the dump's order, so object edge e is pointer slot
 * e - rootEdges of the dump (a slot whose address holds no object keeps its
 * place with target -1).
 *
 * What counts as a root follows what the GC scans (runtime/mgcmark.go
 * markroot): the data and bss segments, every goroutine's stack, and for
 * each finalizer its function and what its object points to. An object with
 * a finalizer is kept alive by it until the finalizer runs, but only when
 * nothing else keeps it: the roots of pending finalizers come last and are
 * `weak` (dominators.ts): their edge counts only when no other root reached
 * the object first, so a global holding an *os.File still gets the credit
 * for it. A finalizer's function is a root of its own (it is kept for as
 * long as the object lives), and so is a queued finalizer (about to run).
 */
export interface HeapGraph extends Digraph {
  rootCount: number;
  objectBase: number;
  /** roots[node - 1]: what the root is. */
  roots: RootInfo[];
  /** Edges [0, rootEdges) start at roots (or at node 0). */
  rootEdges: number;
  /** The pending finalizers' roots (see above). */
  weak: WeakNodes;
  /** Per root edge: the slot's offset in its holder (-1 for edges between roots) and the address it holds. */
  rootEdgeSlot: Float64Array;
  rootEdgeAddress: Float64Array;
  index: AddressIndex;
}

export interface RootInfo {
  ref: RootRef;
  step: ChainStep;
  /** The node above it: 0, or the goroutine of a frame. */
  parent: number;
}

const hex = (n: number) => `0x${n.toString(16)}`;

/** Collects roots and their edges, then lays the graph out. */
class Builder {
  readonly roots: RootInfo[] = [];
  private readonly from = new GrowableInt32();
  private readonly to = new GrowableInt32();
  private readonly slot = new GrowableFloat64();
  private readonly address = new GrowableFloat64();
  /** The first pending finalizer's node; the roots from it on are weak. */
  firstWeak = 0;

  constructor(
    private readonly dump: HeapDump,
    private readonly index: AddressIndex,
  ) {}

  get objectBase(): number {
    return this.roots.length + 1;
  }

  addRoot(info: RootInfo): number {
    this.roots.push(info);
    return this.roots.length;
  }

  /** An edge from root `node` to the object holding `address` (none if no object does). */
  pointTo(node: number, address: number, slot: number): void {
    const object = this.index.objectAt(address);
    if (object >= 0) this.push(node, -1 - object, slot, address);
  }

  holdsObject(address: number): boolean {
    return this.index.objectAt(address) >= 0;
  }

  /** An edge from a root to a root (0 → a top-level root, a goroutine → its frame). */
  link(from: number, to: number): void {
    this.push(from, to, -1, 0);
  }

  private push(from: number, to: number, slot: number, address: number): void {
    this.from.push(from);
    this.to.push(to);
    this.slot.push(slot);
    this.address.push(address);
  }

  build(): HeapGraph {
    const objects = this.dump.objects;
    const objectBase = this.objectBase;
    const nodeCount = objectBase + objects.count;
    const rootEdges = this.from.length;
    const pointers = objects.pointers.count;
    const start = new Int32Array(nodeCount + 1);
    // Root edges sorted by their node (a counting sort: roots add edges in any order).
    const from = this.from.view();
    for (let e = 0; e < rootEdges; e++) start[from[e]! + 1]!++;
    for (let v = 0; v < objectBase; v++) start[v + 1]! += start[v]!;
    const place = new Int32Array(rootEdges);
    const fill = start.slice(0, objectBase);
    for (let e = 0; e < rootEdges; e++) place[e] = fill[from[e]!]!++;
    const target = new Int32Array(rootEdges + pointers);
    const rootEdgeSlot = new Float64Array(rootEdges);
    const rootEdgeAddress = new Float64Array(rootEdges);
    const to = this.to.view();
    for (let e = 0; e < rootEdges; e++) {
      const p = place[e]!;
      const t = to[e]!;
      target[p] = t < 0 ? objectBase + (-1 - t) : t;
      rootEdgeSlot[p] = this.slot.data[e]!;
      rootEdgeAddress[p] = this.address.data[e]!;
    }
    for (let i = 0; i < objects.count; i++) start[objectBase + i + 1] = rootEdges + objects.pointerStart[i + 1]!;
    this.index.resolve(objects.pointers.target, pointers, target, rootEdges, objectBase);
    const weak = { from: this.firstWeak || objectBase, to: objectBase };
    return { nodeCount, start, target, rootCount: this.roots.length, objectBase, roots: this.roots, rootEdges, weak, rootEdgeSlot, rootEdgeAddress, index: this.index };
  }
}

export function buildGraph(dump: HeapDump, namer: Namer | undefined): HeapGraph {
  const b = new Builder(dump, new AddressIndex(dump.objects));
  addGlobals(b, dump, namer);
  addGoroutines(b, dump, namer);
  for (const r of dump.otherRoots) {
    const node = b.addRoot({ ref: { kind: 'other', name: r.description }, step: { kind: 'other', name: r.description }, parent: 0 });
    b.pointTo(node, r.target, 0);
  }
  // Last: the weak roots of pending finalizers must come after every strong root.
  addFinalizers(b, dump, namer);
  for (let node = 1; node <= b.roots.length; node++) {
    const parent = b.roots[node - 1]!.parent;
    b.link(parent, node);
  }
  return b.build();
}

/** One root per global variable with --binary; without, one per pointer slot, named by its address. */
function addGlobals(b: Builder, dump: HeapDump, namer: Namer | undefined): void {
  const byName = new Map<string, number>();
  for (const seg of dump.segments) {
    const ptrs = seg.pointers;
    for (let i = 0; i < ptrs.count; i++) {
      const at = seg.address + ptrs.offset[i]!;
      const sym = namer?.global(at);
      const name = sym?.name ?? `${seg.kind}+${hex(ptrs.offset[i]!)}`;
      let node = byName.get(name);
      if (node === undefined) {
        const address = hex(at - (sym?.offset ?? 0));
        node = b.addRoot({ ref: { kind: 'global', name, address }, step: { kind: 'global', name, address }, parent: 0 });
        byName.set(name, node);
      }
      b.pointTo(node, ptrs.target[i]!, sym?.offset ?? 0);
    }
  }
}

/**
 * A node per goroutine and, under it, one per frame: an object two frames
 * of one goroutine point to is still that goroutine's. The goroutine itself
 * holds its closure context, its defer records and its panics' values.
 */
function addGoroutines(b: Builder, dump: HeapDump, namer: Namer | undefined): void {
  const nodeOf = new Map<number, number>();
  const frames = dump.frames;
  for (const g of dump.goroutines) {
    // The main goroutine was started by the runtime's start-up code: tracebacks name no creator for it (runtime/traceback.go, printcreatedby).
    const createdBy = g.id === 1 ? undefined : namer?.func(g.gopc);
    const fn = goroutineFunction(dump, g);
    const goroutine = { id: g.id, state: g.waitReason, ...(fn ? { function: fn } : {}), ...(createdBy ? { createdBy } : {}) };
    const name = `goroutine ${g.id}`;
    const node = b.addRoot({ ref: { kind: 'goroutine', name, goroutine }, step: { kind: 'goroutine', name }, parent: 0 });
    nodeOf.set(g.address, node);
    if (g.context) b.pointTo(node, g.context, -1);
    for (let f = g.firstFrame; f < g.firstFrame + g.frameCount; f++) {
      const fn = dump.functions[frames.function[f]!]!;
      const frameNode = b.addRoot({ ref: { kind: 'frame', name: `${name} in ${fn}`, goroutine }, step: { kind: 'frame', name: fn }, parent: node });
      for (let p = frames.pointerStart[f]!; p < frames.pointerStart[f + 1]!; p++) b.pointTo(frameNode, frames.pointers.target[p]!, frames.pointers.offset[p]!);
    }
  }
  for (const d of dump.defers) {
    const node = nodeOf.get(d.goroutine);
    if (node === undefined) continue;
    b.pointTo(node, d.address, -1);
    b.pointTo(node, d.fn, -1);
  }
  for (const p of dump.panics) {
    const node = nodeOf.get(p.goroutine);
    if (node !== undefined) b.pointTo(node, p.argData, -1);
  }
}

/**
 * Per finalizer: its function (a closure is a heap object it keeps), and
 * its object — kept by the finalizer while queued, and while pending only
 * if nothing else keeps it: those roots go last, as weak ones.
 */
function addFinalizers(b: Builder, dump: HeapDump, namer: Namer | undefined): void {
  const describe = (f: HeapDump['finalizers'][number], what: string): RootInfo => {
    const fn = namer?.func(f.fnPc);
    const name = `${what} of ${hex(f.object)}`;
    const ref: RootRef = { kind: 'finalizer', name, address: hex(f.object), finalizer: { ...(fn ? { function: fn } : {}), queued: f.queued } };
    return { ref, step: { kind: 'finalizer', name: fn ? `${name} (${fn})` : name }, parent: 0 };
  };
  for (const f of dump.finalizers) {
    if (f.queued) {
      const node = b.addRoot(describe(f, 'queued finalizer'));
      b.pointTo(node, f.fn, -1);
      b.pointTo(node, f.object, -1);
    } else if (b.holdsObject(f.fn)) {
      b.pointTo(b.addRoot(describe(f, 'finalizer function')), f.fn, -1);
    }
  }
  b.firstWeak = b.roots.length + 1;
  for (const f of dump.finalizers) if (!f.queued) b.pointTo(b.addRoot(describe(f, 'finalizer')), f.object, -1);
}

/** The first frame of a goroutine that is the program's own (for naming it), else its innermost. */
export function goroutineFunction(dump: HeapDump, g: HeapDump['goroutines'][number]): string | undefined {
  let first: string | undefined;
  for (let f = g.firstFrame; f < g.firstFrame + g.frameCount; f++) {
    const fn = dump.functions[dump.frames.function[f]!]!;
    first ??= fn;
    if (isUserFunction(fn)) return fn;
  }
  return first;
}
