import type { Finding } from '../finding.js';

/**
 * What `footprint heapdump --json` prints: what keeps the heap of a dump
 * alive. Addresses are hex strings (`0xc000123000`), sizes bytes.
 */
export interface HeapDumpAnalysis {
  dump: DumpSummary;
  /** Objects in the dump. */
  objects: number;
  /** Bytes of all objects in the dump (size classes, as the runtime allocated them). */
  heapBytes: number;
  /** Bytes and objects reachable from a root. */
  reachableBytes: number;
  reachableObjects: number;
  /** Bytes and objects no root reaches: allocated since the last GC and dropped. Never counted as retained. */
  garbageBytes: number;
  garbageObjects: number;
  /** The top of the dominator tree, largest first: each what would be freed if its root let go. */
  retainers: Retainer[];
  /** Garbage by allocation site, largest first (sampled objects only). */
  garbageSites: SiteBytes[];
  findings: Finding[];
  /** The dominator tree, pruned to what a page can show (see tree.ts). */
  tree: TreeNode[];
  /** What the dump cannot say, and how globals were named. */
  notes: string[];
}

export interface DumpSummary {
  goVersion: string;
  goarch: string;
  pointerSize: number;
  /** Size of the dump file. */
  bytes: number;
  goroutines: number;
  /** Root nodes: global variables (or pointer slots, unnamed), goroutines, finalizers. */
  roots: number;
  /** Objects that have an allocation site (sampled by the memory profiler). */
  sampledObjects: number;
  /** How globals were named: from a binary's symbol table, or by address. */
  globals: 'symbols' | 'addresses';
  /** HeapAlloc, HeapObjects and NumGC from the dump's MemStats. */
  memStats?: { heapAlloc: number; heapObjects: number; numGC: number };
}

export type RootKind = 'global' | 'goroutine' | 'frame' | 'finalizer' | 'other' | 'several';

export interface RootRef {
  kind: RootKind;
  /** `main.cache`, `goroutine 18`, `finalizer of 0x…`, or the names of several roots. */
  name: string;
  /** A global's address; a finalizer's object. */
  address?: string;
  /** A goroutine: its id, wait reason, the program's first function on its stack, and the function whose go statement started it (with --binary). */
  goroutine?: { id: number; state: string; function?: string; createdBy?: string };
  /** A finalizer's function (with --binary) and whether it is already queued to run. */
  finalizer?: { function?: string; queued: boolean };
  /** Several roots: their names (up to ten). */
  roots?: string[];
}

export interface AllocationSite {
  function: string;
  file: string;
  line: number;
}

/** One link of a reference chain: a root, a frame, or an object. */
export interface ChainStep {
  kind: 'global' | 'goroutine' | 'frame' | 'finalizer' | 'other' | 'object';
  /** The root's name, the frame's function, or the object's address. */
  name: string;
  address?: string;
  /** An object's size. */
  size?: number;
  retainedBytes?: number;
  site?: AllocationSite;
  /**
   * How the previous step points here: the byte offset of the slot in the
   * previous holder, and how far into this object the pointer lands (more
   * than 0: an interior pointer, which keeps the whole object alive).
   */
  via?: { slot: number; into: number };
}

export interface Retainer {
  root: RootRef;
  retainedBytes: number;
  retainedObjects: number;
  /** Share of the reachable heap. */
  share: number;
  /** The shortest reference chain from the root to the object that holds most of it. */
  chain: ChainStep[];
  /** Steps left out of the middle of a long chain (its first and last 20 are kept). */
  elidedSteps?: number;
  /** The chain stopped at a chain of objects alike (a list, a ring, a tree): it goes on for this many more. */
  recursive?: number;
  /** What the retained objects are, by allocation site, largest first (top 5; unsampled objects left out). */
  sites: SiteBytes[];
}

export interface SiteBytes {
  site: AllocationSite;
  bytes: number;
  objects: number;
}

export interface TreeNode {
  /** Index of the parent in the tree list, -1 for the top. */
  parent: number;
  kind: ChainStep['kind'] | 'run' | 'more';
  label: string;
  size?: number;
  retainedBytes: number;
  retainedObjects: number;
  site?: AllocationSite;
}
