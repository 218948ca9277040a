import type { MemStats } from '../../model/profile.js';
import { formatBytes, formatFraction } from '../../model/units.js';
import type { Finding } from '../finding.js';
import { memStatsValue } from '../memstats.js';
import type { MemStatsBreakdown, MemStatsField, MemoryPart } from './types.js';

/** The MemStats fields the breakdown uses, under the runtime's own names. */
export const MEMSTATS_FIELDS: readonly MemStatsField[] = [
  'HeapAlloc',
  'HeapInuse',
  'HeapIdle',
  'HeapReleased',
  'HeapSys',
  'StackInuse',
  'MSpanInuse',
  'MCacheInuse',
  'GCSys',
  'OtherSys',
  'Sys',
  'NextGC',
  'NumGC',
];

/** The fields the breakdown uses that hold a usable value (see analyze/memstats.ts). */
export function memStatsBreakdown(m: MemStats): MemStatsBreakdown {
  const out: MemStatsBreakdown = {};
  for (const f of MEMSTATS_FIELDS) {
    const v = memStatsValue(m, f);
    if (v && 'value' in v) out[f] = v.value;
  }
  return out;
}

/**
 * What the breakdown cannot show, and why: fields with values no runtime
 * writes, and fields that contradict each other (the runtime's own
 * invariants: objects live inside in-use spans, released pages are idle ones,
 * every part is within Sys).
 */
export function memStatsProblems(m: MemStats): string[] {
  const out: string[] = [];
  for (const f of MEMSTATS_FIELDS) {
    const v = memStatsValue(m, f);
    if (v && 'problem' in v) out.push(`${v.problem}; left out`);
  }
  const b = memStatsBreakdown(m);
  for (const [more, less, what] of CONTAINS) {
    const big = b[more];
    const small = b[less];
    if (big !== undefined && small !== undefined && big < small) {
      out.push(`${more} (${formatBytes(big)}) is below ${less} (${formatBytes(small)}), though ${what}: the fields are not one consistent reading, so ${more} − ${less} is not shown`);
    }
  }
  const total = memoryParts(b).reduce((s, p) => s + p.bytes, 0);
  if (b.Sys !== undefined && total > b.Sys) {
    out.push(`the parts add up to ${formatBytes(total)}, more than Sys (${formatBytes(b.Sys)}), which holds them all: no shares are given`);
  }
  return out;
}

/** [larger, smaller, why]: runtime invariants between the fields the parts subtract. */
const CONTAINS: readonly [MemStatsField, MemStatsField, string][] = [
  ['HeapInuse', 'HeapAlloc', 'objects live inside in-use spans'],
  ['HeapIdle', 'HeapReleased', 'released pages are idle ones'],
];

export function memoryParts(b: MemStatsBreakdown): MemoryPart[] {
  const v = (f: MemStatsField) => b[f];
  // A part from fields that contradict each other (a negative difference) is left out; memStatsProblems says why.
  const diff = (a: MemStatsField, c: MemStatsField) => (v(a) !== undefined && v(c) !== undefined && v(a)! >= v(c)! ? v(a)! - v(c)! : undefined);
  const runtime = ['MSpanInuse', 'MCacheInuse', 'GCSys', 'OtherSys'] as const;
  const runtimeBytes = runtime.every((f) => v(f) !== undefined) ? runtime.reduce((s, f) => s + v(f)!, 0) : undefined;
  const parts = [
    part('live heap objects', v('HeapAlloc'), 'HeapAlloc: reachable objects plus garbage not yet swept'),
    part('heap fragmentation', diff('HeapInuse', 'HeapAlloc'), 'HeapInuse − HeapAlloc: free slots inside in-use spans'),
    part('heap idle, kept', diff('HeapIdle', 'HeapReleased'), 'HeapIdle − HeapReleased: free pages still mapped (counted in RSS)'),
    part('heap released', v('HeapReleased'), 'HeapReleased: returned to the OS (not in RSS)'),
    part('goroutine stacks', v('StackInuse'), 'StackInuse'),
    part('runtime metadata', runtimeBytes, 'MSpanInuse + MCacheInuse + GCSys + OtherSys'),
  ].filter((p): p is MemoryPart => p !== undefined);
  // Shares of Sys only when Sys holds every part, as it does in one reading of the runtime's stats.
  const sys = b.Sys;
  const total = parts.reduce((s, p) => s + p.bytes, 0);
  const shares = sys !== undefined && total <= sys;
  return parts.map((p) => ({ ...p, share: shares ? p.bytes / sys : null }));
}

function part(name: string, bytes: number | undefined, note: string): MemoryPart | undefined {
  return bytes === undefined ? undefined : { part: name, bytes, share: null, note };
}

/**
 * Thresholds, and why: memory the heap keeps mapped but unused is in the
 * process's RSS; the background scavenger returns it gradually, and only
 * down to a goal: it keeps what the heap retains (in-use plus free pages)
 * within 10% over the heap goal (runtime/mgcscavenge.go, `retainExtraPercent`),
 * because a heap that grows back to its goal would fault those pages in
 * again. 32 MiB of free pages and a quarter of the non-released memory is
 * worth a finding. It is high when half of what the process holds is free
 * pages and 32 MiB of them lie beyond that allowance (a past spike the
 * scavenger has not yet returned); inside the allowance (a heap growing
 * toward its goal, or a goal set high by a large live heap) the runtime is
 * keeping them by design, and it is medium, saying so. Fragmentation:
 * spans in use but a third empty (HeapInuse ≥ 1.5 × HeapAlloc) and at least
 * 32 MiB of it; high when two thirds of the in-use spans are empty (≥ 3×).
 */
export const MEMSTATS_THRESHOLDS = {
  scavengerRetainExtra: 0.1,
  idleKeptMinBytes: 32 << 20,
  idleKeptShare: 0.25,
  idleKeptHigh: 0.5,
  fragmentationRatio: 1.5,
  fragmentationHigh: 3,
  fragmentationMinBytes: 32 << 20,
} as const;

const T = MEMSTATS_THRESHOLDS;

/**
 * Free heap pages still mapped (HeapIdle − HeapReleased) beyond what the
 * scavenger is designed to keep: (1 + 10%) × NextGC less the in-use spans.
 * Without NextGC (an old or partial source) all of the free pages count.
 */
export function freeHeapBeyondGoal(b: MemStatsBreakdown): number | undefined {
  const { HeapIdle, HeapReleased, HeapInuse, NextGC } = b;
  if (HeapIdle === undefined || HeapReleased === undefined) return undefined;
  const kept = HeapIdle - HeapReleased;
  if (NextGC === undefined || NextGC <= 0 || HeapInuse === undefined) return kept;
  const allowance = Math.max(0, (1 + T.scavengerRetainExtra) * NextGC - HeapInuse);
  return Math.max(0, kept - allowance);
}

export function memStatsFindings(b: MemStatsBreakdown): Finding[] {
  const out: Finding[] = [];
  const notReturned = memoryNotReturned(b);
  if (notReturned) out.push(notReturned);
  const { HeapInuse, HeapAlloc } = b;
  if (HeapInuse !== undefined && HeapAlloc !== undefined && HeapAlloc > 0) {
    const frag = HeapInuse - HeapAlloc;
    if (HeapInuse / HeapAlloc >= T.fragmentationRatio && frag >= T.fragmentationMinBytes) {
      out.push({
        kind: 'heap-fragmentation',
        severity: HeapInuse / HeapAlloc >= T.fragmentationHigh ? 'high' : 'medium',
        title: `Heap spans are ${formatFraction(HeapAlloc / HeapInuse)} full: ${formatBytes(frag)} of free slots inside in-use spans`,
        evidence: [
          { label: 'HeapInuse', value: HeapInuse, unit: 'bytes' },
          { label: 'HeapAlloc', value: HeapAlloc, unit: 'bytes' },
        ],
        advice:
          'A few long-lived objects keep otherwise empty spans alive. Typical after a burst of mixed-lifetime ' +
          'allocations: keep long-lived data apart from per-request data (allocate it once, up front), and avoid ' +
          'holding one small object out of every batch.',
      });
    }
  }
  return out;
}

function memoryNotReturned(b: MemStatsBreakdown): Finding | undefined {
  const { HeapIdle, HeapReleased, Sys, NextGC } = b;
  const beyond = freeHeapBeyondGoal(b);
  if (HeapIdle === undefined || HeapReleased === undefined || Sys === undefined || beyond === undefined) return undefined;
  const kept = HeapIdle - HeapReleased;
  const held = Sys - HeapReleased;
  if (kept < T.idleKeptMinBytes || held <= 0 || kept > held || kept / held < T.idleKeptShare) return undefined;
  const byDesign = beyond < T.idleKeptMinBytes;
  return {
    kind: 'memory-not-returned',
    severity: kept / held >= T.idleKeptHigh && !byDesign ? 'high' : 'medium',
    title:
      `${formatBytes(kept)} of free heap is still held from the OS (${formatFraction(kept / held)} of what the process holds)` +
      (byDesign && NextGC !== undefined ? `; the runtime keeps it for a heap goal of ${formatBytes(NextGC)}` : ''),
    evidence: [
      { label: 'HeapIdle', value: HeapIdle, unit: 'bytes' },
      { label: 'HeapReleased', value: HeapReleased, unit: 'bytes' },
      { label: 'Sys', value: Sys, unit: 'bytes' },
      ...(NextGC !== undefined ? [{ label: 'NextGC', value: NextGC, unit: 'bytes' as const }] : []),
      { label: 'free heap beyond what the scavenger keeps for the goal', value: beyond, unit: 'bytes' },
    ],
    advice: byDesign
      ? 'The scavenger keeps free pages up to 10% over the heap goal (NextGC), since the heap may grow back to it. ' +
        'A lower goal keeps less: GOMEMLIMIT makes the runtime return memory as it nears the limit, and a smaller live ' +
        'heap lowers the goal; debug.FreeOSMemory returns it once.'
      : 'The heap shrank, but the pages stay mapped until the background scavenger returns them, so RSS stays ' +
        'high. Usually a past spike (a large temporary buffer, a burst of requests): flatten the spike, or set ' +
        'GOMEMLIMIT so the runtime returns memory when it nears the limit; debug.FreeOSMemory forces it for a one-off.',
  };
}
