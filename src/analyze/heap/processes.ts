import { sampleValue, type Profile } from '../../model/profile.js';
import { heapColumns } from './sites.js';
import type { Snapshot } from './types.js';

/**
 * Whether heap snapshots can be one process's, which a trend and allocation
 * rates need: alloc_space and alloc_objects count from the process's start,
 * so a "rate" between two processes is the difference of two unrelated
 * totals. Returns why they cannot be, or undefined when nothing says so.
 *
 * What gives a second process away, most certain first:
 * - another binary (build ID, else file name, of the main mapping);
 * - the same file mapped at another address: the kernel places [vdso] (and
 *   position-independent executables) anew for each process (ASLR), and never
 *   moves a mapping while the process lives;
 * - another sampling rate (runtime.MemProfileRate is set once, at start);
 * - an allocation stack missing from a later snapshot: the runtime never
 *   forgets a stack it has sampled (runtime/mprof.go keeps every bucket, and
 *   the heap profile lists them all, live or not), so within one process a
 *   later snapshot lists every stack an earlier one did. Legacy text carries
 *   no mappings; this is what tells its processes apart.
 */
export function differentProcesses(ordered: readonly Snapshot[]): string | undefined {
  for (let i = 1; i < ordered.length; i++) {
    const a = ordered[i - 1]!;
    const b = ordered[i]!;
    const why = binaryDiffers(a, b) ?? mappingMoved(a, b) ?? rateDiffers(a, b) ?? stacksVanished(a, b);
    if (why) return why;
  }
  return undefined;
}

function mainBinary(p: Profile): string {
  const m = p.mappings[0];
  return m ? m.buildId || m.file : '';
}

function binaryDiffers(a: Snapshot, b: Snapshot): string | undefined {
  const x = mainBinary(a.profile);
  const y = mainBinary(b.profile);
  if (x === '' || y === '' || x === y) return undefined;
  return `${a.source} and ${b.source} come from different binaries (${x}, ${y})`;
}

function mappingMoved(a: Snapshot, b: Snapshot): string | undefined {
  const starts = new Map(a.profile.mappings.filter((m) => m.file !== '').map((m) => [m.file, m.start]));
  for (const m of b.profile.mappings) {
    const before = starts.get(m.file);
    if (before !== undefined && before !== m.start) {
      return `${m.file} is mapped at 0x${before.toString(16)} in ${a.source} and at 0x${m.start.toString(16)} in ${b.source}: each process gets its own addresses`;
    }
  }
  return undefined;
}

function rateDiffers(a: Snapshot, b: Snapshot): string | undefined {
  const x = a.profile.period;
  const y = b.profile.period;
  if (x === 0 || y === 0 || x === y) return undefined;
  return `${a.source} was sampled every ${x} bytes and ${b.source} every ${y} (runtime.MemProfileRate is set once per process)`;
}

function stacksVanished(a: Snapshot, b: Snapshot): string | undefined {
  const later = allocationStacks(b.profile);
  let missing = 0;
  for (const key of allocationStacks(a.profile)) if (!later.has(key)) missing++;
  if (missing === 0) return undefined;
  return (
    `${missing} allocation stack${missing === 1 ? '' : 's'} of ${a.source} ${missing === 1 ? 'is' : 'are'} missing from ${b.source}: ` +
    'a process never forgets a stack it has sampled, so these are two processes (or a restart), or not in time order'
  );
}

/** Every stack that has allocated, as function:line frames (location IDs differ between profiles, names do not). */
function allocationStacks(p: Profile): Set<string> {
  const allocObjects = heapColumns(p).allocObjects;
  const locationKeys = new Map<number, string>();
  const keyOf = (loc: number) => {
    let k = locationKeys.get(loc);
    if (k === undefined) {
      const parts: string[] = [];
      const first = p.locations.lineStart[loc]!;
      for (let l = first; l < first + p.locations.lineCount[loc]!; l++) {
        const f = p.lines.function[l]!;
        parts.push(f < 0 ? `0x${p.locations.address[loc]!.toString(16)}` : `${p.strings[p.functions.name[f]!]}:${p.lines.line[l]}`);
      }
      locationKeys.set(loc, (k = parts.join(';')));
    }
    return k;
  };
  const out = new Set<string>();
  const { locStart, locCount } = p.samples;
  for (let i = 0; i < p.samples.count; i++) {
    if (sampleValue(p, i, allocObjects) <= 0) continue;
    const frames: string[] = [];
    for (let s = locStart[i]!; s < locStart[i]! + locCount[i]!; s++) frames.push(keyOf(p.stacks[s]!));
    out.add(frames.join('\n'));
  }
  return out;
}
