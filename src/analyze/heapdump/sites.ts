import type { HeapDump, MemProfBucket } from '../../model/heapdump.js';
import { isUserFunction } from '../go-names.js';
import type { AddressIndex } from './address-index.js';
import type { AllocationSite, SiteBytes } from './types.js';

/**
 * Where sampled objects were allocated. The dump's memory profile gives
 * buckets (a stack each) and `allocsample` records tying an object's
 * address to its bucket (heapdump.go dumpmemprof). With
 * runtime.MemProfileRate = 1 every object is sampled; at the default rate,
 * one per 512 KiB allocated on average, so mostly the big ones.
 */
export interface Sites {
  /** Per object: an index into `list`, or -1 when the object was not sampled. */
  ofObject: Int32Array;
  list: AllocationSite[];
  sampled: number;
}

export function allocationSites(dump: HeapDump, index: AddressIndex): Sites {
  const list: AllocationSite[] = [];
  const idOfKey = new Map<string, number>();
  const idOfBucket = new Map<number, number>();
  for (const b of dump.memProf) {
    const site = siteOf(b);
    if (!site) continue;
    const key = `${site.function}\0${site.file}\0${site.line}`;
    let id = idOfKey.get(key);
    if (id === undefined) {
      id = list.length;
      list.push(site);
      idOfKey.set(key, id);
    }
    idOfBucket.set(b.address, id);
  }
  const ofObject = new Int32Array(dump.objects.count).fill(-1);
  let sampled = 0;
  const samples = dump.allocSamples;
  for (let i = 0; i < samples.count; i++) {
    const object = index.objectAt(samples.object[i]!);
    const site = idOfBucket.get(samples.bucket[i]!);
    if (object < 0 || site === undefined) continue;
    if (ofObject[object] < 0) sampled++;
    ofObject[object] = site;
  }
  return { ofObject, list, sampled };
}

/**
 * The frame that allocated, as a person names it: the first of the
 * program's own frames, else the first outside the runtime (a standard
 * library allocation), else the innermost.
 */
function siteOf(b: MemProfBucket): AllocationSite | undefined {
  const frame = b.frames.find((f) => isUserFunction(f.function)) ?? b.frames.find((f) => !f.function.startsWith('runtime.')) ?? b.frames[0];
  return frame && { function: frame.function, file: frame.file, line: frame.line };
}

/** Bytes and objects per site over the objects `include` accepts, largest first, the top `limit`. */
export function sitesOver(sites: Sites, size: Float64Array, include: (object: number) => boolean, limit: number): SiteBytes[] {
  const bytes = new Float64Array(sites.list.length);
  const objects = new Float64Array(sites.list.length);
  for (let i = 0; i < sites.ofObject.length; i++) {
    const s = sites.ofObject[i]!;
    if (s < 0 || !include(i)) continue;
    bytes[s]! += size[i]!;
    objects[s]!++;
  }
  return topSites(sites, bytes, objects, limit);
}

export function topSites(sites: Sites, bytes: Float64Array, objects: Float64Array, limit: number): SiteBytes[] {
  const ids: number[] = [];
  for (let s = 0; s < bytes.length; s++) if (objects[s]! > 0) ids.push(s);
  ids.sort((a, b) => bytes[b]! - bytes[a]! || a - b);
  return ids.slice(0, limit).map((s) => ({ site: sites.list[s]!, bytes: bytes[s]!, objects: objects[s]! }));
}
