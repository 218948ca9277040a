import { evaluate, interpolate, type Workload } from './workload.js';
import type { SimulatedCycle, WhatIfResult, WhatIfSetting } from './types.js';

const MiB = 1 << 20;
const HEAP_MINIMUM_MB = 4;
const TRIGGER_MIN = 45 / 64;
const TRIGGER_MAX = 61 / 64;
const LIMIT_HEADROOM = 0.03;
const LIMIT_MIN_HEADROOM_MB = 1;
/**
 * Memory the runtime maps besides heap objects and stacks: span structures,
 * GC metadata, mcaches, profiling buckets. gctrace does not print it; about
 * 4 MiB plus 2% of the heap is what Go 1.23 and 1.26 programs show (their
 * memory-limit goals sit 5.8–6.2 MiB under limits of 80–100 MiB).
 */
const NON_HEAP_FIXED_MB = 4;
const NON_HEAP_SHARE = 0.02;
/** A GC cannot finish in less than this much allocation; stops a death spiral from looping forever. */
const MIN_CYCLE_ALLOC_MB = 0.25;
const MAX_CYCLES = 1_000_000;

export function simulate(w: Workload, setting: WhatIfSetting, onCycle?: (c: SimulatedCycle) => void): WhatIfResult {
  const forced = [...w.forcedAt];
  let marked = 0;
  let allocated = 0;
  let cycles = 0;
  let peak = 0;
  let limitBound = 0;
  let cpuMs = 0;
  while (cycles < MAX_CYCLES) {
    const roots = interpolate(w.allocatedAt, w.roots, allocated);
    const base = marked + roots;
    const { goal, limited } = heapGoal(setting, marked, roots);
    const markAlloc = evaluate(w.markAllocMB, base);
    const trigger = triggerPoint(goal, marked, w.runwayRatio * base);
    let start = trigger;
    let end = Math.min(trigger + markAlloc, Math.max(goal, trigger));
    end = Math.max(end, marked + MIN_CYCLE_ALLOC_MB);
    const nextForced = forced[0];
    const isForced = nextForced !== undefined && nextForced <= allocated + (start - marked);
    if (isForced) {
      forced.shift();
      start = end = marked + Math.max(0, nextForced - allocated);
    } else if (!Number.isFinite(end)) {
      break; // GOGC=off without a limit: only forced GCs would run, and none is left
    }
    const endAllocated = allocated + (end - marked);
    if (endAllocated > w.totalAllocated) break;
    cycles++;
    if (limited) limitBound++;
    // A slow mark lets the heap run further past the trigger than the typical one.
    peak = Math.max(peak, end, isForced ? end : start + markAlloc * w.markAllocSpike);
    cpuMs += evaluate(w.cpuMs, base);
    allocated = endAllocated;
    marked = interpolate(w.allocatedAt, w.live, allocated) + (end - start);
    onCycle?.({ allocatedMB: allocated, startMB: start, endMB: end, goalMB: goal, markedMB: marked, forced: isForced });
  }
  // Without a GC the heap holds everything allocated since the last one.
  peak = Math.max(peak, marked + (w.totalAllocated - allocated));
  const seconds = w.seconds.at(-1) ?? 0;
  return {
    cycles,
    peakHeapBytes: Math.round(peak * MiB),
    gcCpuFraction: seconds > 0 ? cpuMs / 1000 / (seconds * w.procs) : 0,
    meanIntervalMs: cycles > 0 ? (seconds * 1000) / cycles : null,
    limitBoundCycles: limitBound,
  };
}

function heapGoal(s: WhatIfSetting, marked: number, roots: number): { goal: number; limited: boolean } {
  const gogcGoal =
    s.gogc === null ? Infinity : Math.max(marked + ((marked + roots) * s.gogc) / 100, (HEAP_MINIMUM_MB * s.gogc) / 100);
  if (s.gomemlimit === null) return { goal: gogcGoal, limited: false };
  const limitGoal = memoryLimitGoal(s.gomemlimit / MiB, gogcGoal, roots, marked);
  return limitGoal < gogcGoal ? { goal: limitGoal, limited: true } : { goal: gogcGoal, limited: false };
}

function memoryLimitGoal(limitMB: number, gogcGoal: number, roots: number, marked: number): number {
  const heapEstimate = Number.isFinite(gogcGoal) ? Math.min(gogcGoal, limitMB) : limitMB;
  const nonHeap = NON_HEAP_FIXED_MB + NON_HEAP_SHARE * heapEstimate + roots;
  let goal = limitMB - nonHeap;
  const headroom = Math.max(goal * LIMIT_HEADROOM, LIMIT_MIN_HEADROOM_MB);
  goal = goal < 2 * headroom ? headroom : goal - headroom;
  return Math.max(goal, marked);
}

/** The GOMEMLIMIT that would put the heap goal at `goalMB`: memoryLimitGoal turned around. */
export function inferredLimitBytes(goalMB: number): number {
  const beforeHeadroom = goalMB / (1 - LIMIT_HEADROOM);
  return Math.round((beforeHeadroom + NON_HEAP_FIXED_MB + NON_HEAP_SHARE * goalMB) * MiB);
}

function triggerPoint(goal: number, marked: number, runway: number): number {
  if (!Number.isFinite(goal)) return Infinity;
  if (marked >= goal) return goal;
  const span = goal - marked;
  const lower = marked + span * TRIGGER_MIN;
  const upper = Math.max(marked + span * TRIGGER_MAX, goal - HEAP_MINIMUM_MB, lower);
  return Math.min(Math.max(goal - runway, lower), upper);
}
