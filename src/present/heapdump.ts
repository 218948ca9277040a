import { RETAINED_BY_THRESHOLDS } from '../analyze/heapdump/index.js';
import type { AllocationSite, ChainStep, Retainer, RootRef } from '../analyze/heapdump/index.js';
import { formatBytes, formatCount } from '../model/units.js';

/** Words shared by the heap-dump text report and page. */

export function siteText(site: AllocationSite): string {
  return `${site.function} (${site.file}:${site.line})`;
}

const ROOT_KIND: Record<RootRef['kind'], string> = {
  global: 'global',
  goroutine: 'goroutine stack',
  frame: 'stack frame',
  finalizer: 'finalizer',
  other: 'runtime root',
  several: 'held by several roots',
};

/** `main.cache (global)`, `goroutine 18 (main.parked, chan receive; started by main.main)`. */
export function rootText(root: RootRef): string {
  const g = root.goroutine;
  if (g) {
    const what = [g.function, g.state].filter(Boolean).join(', ');
    return `${root.name}${what ? ` (${what}${g.createdBy ? `; started by ${g.createdBy}` : ''})` : ''}`;
  }
  if (root.finalizer) return `${root.name}${root.finalizer.function ? ` (${root.finalizer.function})` : ''}${root.finalizer.queued ? ', queued to run' : ''}`;
  return `${root.name} (${ROOT_KIND[root.kind]})`;
}

/**
 * One link of a chain: a root's name, `frame F`, or an object with its size,
 * where a pointer lands inside a big one, and where it was allocated.
 */
export function stepText(step: ChainStep): string {
  if (step.kind === 'frame') return `frame ${step.name}`;
  if (step.kind !== 'object') return step.name;
  const parts = [formatBytes(step.size ?? 0)];
  // Small objects with pointers start with an 8-byte malloc header (Go 1.22+), so a pointer 8 bytes in is normal there.
  if (step.via && step.via.into > 0 && (step.size ?? 0) >= RETAINED_BY_THRESHOLDS.pinnedObjectBytes) parts.push(`pointed into at byte ${formatCount(step.via.into)}`);
  if (step.site) parts.push(`allocated at ${siteText(step.site)}`);
  return `${step.name} (${parts.join(', ')})`;
}

/** The chain's steps as lines, with the elided middle of a long one marked. */
export function chainLines(r: Retainer): string[] {
  const lines = r.chain.map(stepText);
  if (r.elidedSteps) lines.splice(r.chain.length / 2, 0, `… ${formatCount(r.elidedSteps)} more steps`);
  if (r.recursive) lines.push(`… and ${formatCount(r.recursive)} more alike, each holding the next (a list, ring or tree)`);
  return lines;
}
