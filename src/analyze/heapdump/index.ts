import type { HeapDump } from '../../model/heapdump.js';
import type { SymbolTable } from '../../model/symbols.js';
import { sortFindings } from '../finding.js';
import { retainedByFindings } from './findings.js';
import { symbolNamer } from './globals.js';
import { topRetainers } from './retainers.js';
import { sitesOver } from './sites.js';
import { solve, type Solution } from './solve.js';
import { prunedTree } from './tree.js';
import type { HeapDumpAnalysis } from './types.js';

export type * from './types.js';
export { RETAINED_BY_THRESHOLDS, chainText } from './findings.js';
export { dominators, retainedSums, type Digraph, type DominatorTree } from './dominators.js';

export interface HeapDumpOptions {
  /** The executable's symbol table, to name globals and functions (from readElfSymbols). */
  symbols?: SymbolTable;
  /** Names the binary in notes and errors. */
  binary?: string;
  /** Retainers reported (default 20). */
  top?: number;
  /** Called as each phase starts, for progress. */
  onPhase?: (what: string) => void;
}

/**
 * What keeps a heap dump's memory alive: reachability from the GC's roots,
 * the dominator tree and each node's retained size, the top retainers with
 * the shortest reference chain from their root, garbage apart, findings.
 */
export function analyzeHeapDump(dump: HeapDump, options: HeapDumpOptions = {}): HeapDumpAnalysis {
  const notes: string[] = [];
  const namer = options.symbols ? symbolNamer(dump, options.symbols, options.binary ?? 'the binary', notes) : undefined;
  if (!namer && !options.symbols) notes.push('Globals are named by address (data+0x…, bss+0x…): pass --binary with the executable that wrote the dump to name them.');
  const s = solve(dump, namer, options.onPhase);
  const totals = reachTotals(s);
  const retainers = topRetainers(s, options.top ?? 20, totals.reachableBytes);
  const garbageSites = sitesOver(s.sites, dump.objects.size, (i) => s.reach.parentEdge[s.g.objectBase + i] === -1, 10);
  for (const note of dumpNotes(dump, s)) notes.push(note);
  return {
    dump: {
      goVersion: dump.params.goVersion,
      goarch: dump.params.goarch,
      pointerSize: dump.params.pointerSize,
      bytes: dump.bytes,
      goroutines: dump.goroutines.length,
      roots: s.g.rootCount,
      sampledObjects: s.sites.sampled,
      globals: namer ? 'symbols' : 'addresses',
      ...(dump.memStats ? { memStats: { heapAlloc: dump.memStats['HeapAlloc']!, heapObjects: dump.memStats['HeapObjects']!, numGC: dump.memStats['NumGC']! } } : {}),
    },
    objects: dump.objects.count,
    ...totals,
    retainers,
    garbageSites,
    findings: sortFindings(retainedByFindings(retainers)),
    tree: prunedTree(s, totals.reachableBytes),
    notes,
  };
}

function reachTotals(s: Solution) {
  const { objects } = s.dump;
  let heapBytes = 0;
  let reachableBytes = 0;
  let reachableObjects = 0;
  for (let i = 0; i < objects.count; i++) {
    const size = objects.size[i]!;
    heapBytes += size;
    if (s.reach.parentEdge[s.g.objectBase + i] !== -1) {
      reachableBytes += size;
      reachableObjects++;
    }
  }
  return { heapBytes, reachableBytes, reachableObjects, garbageBytes: heapBytes - reachableBytes, garbageObjects: objects.count - reachableObjects };
}

/** What the dump leaves out, said once. */
function dumpNotes(dump: HeapDump, s: Solution): string[] {
  const notes = ['A heap dump records no object types: objects are shown by address, size (the size class the runtime gave them) and, when sampled, where they were allocated.'];
  const share = dump.objects.count > 0 ? s.sites.sampled / dump.objects.count : 1;
  if (share < 0.99) {
    notes.push(
      `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}% of objects have an allocation site: the memory profiler samples one allocation per runtime.MemProfileRate bytes (512 KiB by default; set it to 1 at the start of main to sample every one).`,
    );
  }
  if (dump.memStats && dump.memStats['NumGC'] === 0) notes.push('No GC had run when the dump was written: everything allocated so far is in it, and what is unreachable counts as garbage. Call runtime.GC() just before debug.WriteHeapDump for a dump of the live heap.');
  return notes;
}
