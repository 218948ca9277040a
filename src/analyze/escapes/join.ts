import { isHeapDecision, type EscapeReport, type EscapeSite, type SourcePos } from '../../model/escapes.js';
import type { Profile } from '../../model/profile.js';
import { isConstant } from './causes.js';
import { PathMatcher, type CompilerFile } from './paths.js';
import type { AllocIndexes, EscapeJoin, Frame, SiteGroup, UnexplainedLine } from './types.js';

/**
 * The join of the compiler's escape decisions with a heap or allocs profile:
 * each sample's bytes go to the escape sites at the line that allocated them.
 *
 * A sample's allocating line is its leaf location (leading runtime frames are
 * already hidden by runtime/pprof). When that location carries inline frames,
 * its last line is the physical function's own line, which is where the
 * compiler reports the inlined copy of a site (it prints the outermost
 * position), and its inner lines name the inlined callees, where that copy's
 * origin is. Both must meet: the sites at the outer line are narrowed to those
 * whose origin is one of the inner lines.
 */

/** alloc_space / alloc_objects of a heap or allocs profile, or undefined when it has none. */
export function allocIndexes(p: Profile): AllocIndexes | undefined {
  const space = p.sampleTypes.findIndex((t) => t.type === 'alloc_space');
  const objects = p.sampleTypes.findIndex((t) => t.type === 'alloc_objects');
  return space >= 0 && objects >= 0 ? { space, objects } : undefined;
}

/** Everything a sample's join needs, built once per profile. */
class SiteIndex {
  readonly matcher: PathMatcher;
  private readonly heapAt = new Map<string, EscapeSite[]>();
  private readonly stackAt = new Map<string, EscapeSite[]>();

  constructor(report: EscapeReport) {
    const files: CompilerFile[] = [];
    for (const s of [...report.sites, ...report.inlineCalls, ...report.functions]) {
      files.push({ file: s.file, ...(s.package ? { package: s.package } : {}) });
    }
    this.matcher = new PathMatcher(files);
    for (const s of report.sites) {
      // A constant in an interface "escapes" but allocates nothing: its line's bytes are someone else's.
      if (isHeapDecision(s.decision) && isConstant(s.expr)) continue;
      const map = isHeapDecision(s.decision) ? this.heapAt : this.stackAt;
      const key = lineKey(s.file, s.package, s.line);
      const list = map.get(key);
      if (list) list.push(s);
      else map.set(key, [s]);
    }
  }

  /** The compiler file a frame is in, or undefined when the escape output does not cover it. */
  fileOf(frame: Frame): CompilerFile | undefined {
    return this.matcher.match(frame.file, frame.function);
  }

  heapSitesAt(frame: Frame): EscapeSite[] {
    const f = this.fileOf(frame);
    return f ? (this.heapAt.get(lineKey(f.file, f.package, frame.line)) ?? []) : [];
  }

  stackSitesAt(frame: Frame): EscapeSite[] {
    const f = this.fileOf(frame);
    return f ? (this.stackAt.get(lineKey(f.file, f.package, frame.line)) ?? []) : [];
  }

  /** True when the frame is the position `pos` of a site of package `pkg`. */
  isAt(frame: Frame, pos: SourcePos, pkg: string | undefined): boolean {
    if (frame.line !== pos.line) return false;
    const f = this.fileOf(frame);
    return !!f && f.file === pos.file && f.package === pkg;
  }
}

function lineKey(file: string, pkg: string | undefined, line: number): string {
  return `${pkg ?? ''}\0${file}\0${line}`;
}

export function joinProfile(report: EscapeReport, profile: Profile, idx: AllocIndexes): EscapeJoin {
  const sites = new SiteIndex(report);
  const siteId = new Map(report.sites.map((s, i) => [s, i]));
  const groups = new Map<string, SiteGroup>();
  const unexplained = new Map<string, UnexplainedLine>();
  const out: EscapeJoin = { totalBytes: 0, totalObjects: 0, groups: [], unexplained: [], reflectBytes: 0, reflectObjects: 0 };
  const reader = new FrameReader(profile);
  const n = profile.sampleTypes.length;
  for (let i = 0; i < profile.samples.count; i++) {
    const bytes = profile.samples.values[i * n + idx.space]!;
    const objects = profile.samples.values[i * n + idx.objects]!;
    if (bytes === 0 && objects === 0) continue;
    out.totalBytes += bytes;
    out.totalObjects += objects;
    const stack = reader.stack(i);
    if (stack.length === 0 || stack[0]!.length === 0) stack.unshift([UNSYMBOLIZED]);
    if (throughReflect(stack, sites)) {
      out.reflectBytes += bytes;
      out.reflectObjects += objects;
    }
    const hit = attribute(stack[0]!, sites);
    if (hit) {
      const key = hit.sites.map((s) => siteId.get(s)).join(',');
      const g = groups.get(key) ?? { sites: hit.sites, bytes: 0, objects: 0, frame: hit.frame, via: hit.via };
      g.bytes += bytes;
      g.objects += objects;
      groups.set(key, g);
      continue;
    }
    // Per allocating line and per line of the program that called into it: strings.Builder's grow serves many callers.
    const leaf = stack[0]![0]!;
    const line = unexplainedLine(leaf, stack, sites);
    const caller = line.calledFrom;
    const key = `${leaf.function}\0${leaf.file}\0${leaf.line}\0${caller ? `${caller.function}\0${caller.file}\0${caller.line}` : ''}`;
    const u = unexplained.get(key) ?? line;
    u.bytes += bytes;
    u.objects += objects;
    unexplained.set(key, u);
  }
  out.groups = [...groups.values()].sort((a, b) => b.bytes - a.bytes || a.sites[0]!.line - b.sites[0]!.line);
  out.unexplained = [...unexplained.values()].sort((a, b) => b.bytes - a.bytes);
  return out;
}

/**
 * The sites a leaf location's bytes belong to. `lines` is innermost first, as
 * pprof stores inline frames; the last is the physical function's line.
 */
function attribute(lines: Frame[], sites: SiteIndex): Omit<SiteGroup, 'bytes' | 'objects'> | undefined {
  const outer = lines[lines.length - 1]!;
  const atOuter = narrowByInlining(sites.heapSitesAt(outer), lines, sites);
  if (atOuter.length > 0) return { sites: atOuter, frame: outer, via: 'site' };
  // The outer function is not in the escape output (or has no site here): an inlined callee's own site may be.
  for (let i = 0; i < lines.length - 1; i++) {
    const inner = sites.heapSitesAt(lines[i]!);
    if (inner.length === 0) continue;
    const own = inner.filter((s) => !s.inlinedFrom && !s.origin);
    return { sites: own.length > 0 ? own : inner, frame: lines[i]!, via: 'inline-frame' };
  }
  return undefined;
}

/**
 * Keep the sites at the outer line that the location's inline frames confirm.
 * A location without inline frames allocated in the function's own code, so
 * its own (non-inlined) sites come first. A location with inline frames
 * allocated in inlined code: an inlined copy qualifies when its origin is one
 * of the inner lines (the innermost match wins), or when its origin is not
 * known; the caller's own sites do not, and neither does a copy whose origin
 * the frames contradict (Go 1.23 reports no site for append growth in the
 * same inlined call, for example).
 */
function narrowByInlining(candidates: EscapeSite[], lines: Frame[], sites: SiteIndex): EscapeSite[] {
  if (lines.length === 1) {
    const own = candidates.filter((s) => !s.inlinedFrom && !s.origin);
    return own.length > 0 ? own : candidates;
  }
  for (let i = 0; i < lines.length - 1; i++) {
    const confirmed = candidates.filter((s) => s.origin && sites.isAt(lines[i]!, s.origin, s.package));
    if (confirmed.length > 0) return confirmed;
  }
  return candidates.filter((s) => s.inlinedFrom && !s.origin);
}

/** Reflect between the allocation and the code the escape output covers (reflect.New, Value.Interface …). */
function throughReflect(stack: Frame[][], sites: SiteIndex): boolean {
  for (const loc of stack) {
    for (const f of loc) {
      if (f.function.startsWith('reflect.')) return true;
      if (sites.fileOf(f)) return false;
    }
  }
  return false;
}

function unexplainedLine(leaf: Frame, stack: Frame[][], sites: SiteIndex): UnexplainedLine {
  const covered = sites.fileOf(leaf) !== undefined;
  const u: UnexplainedLine = { frame: leaf, bytes: 0, objects: 0, covered, stackSites: covered ? sites.stackSitesAt(leaf) : [] };
  if (!covered) {
    const caller = stack.flat().find((f) => sites.fileOf(f));
    if (caller) u.calledFrom = caller;
  }
  return u;
}

/** Where a sample without a symbolized leaf is counted, so every byte is accounted for. */
const UNSYMBOLIZED: Frame = { function: '(unsymbolized)', file: '', line: 0 };

/** A profile's stacks as frames, each location's lines innermost first; locations decoded once. */
class FrameReader {
  private readonly byLocation = new Map<number, Frame[]>();
  constructor(private readonly p: Profile) {}

  stack(sample: number): Frame[][] {
    const { locStart, locCount } = this.p.samples;
    const out: Frame[][] = [];
    for (let k = locStart[sample]!; k < locStart[sample]! + locCount[sample]!; k++) out.push(this.location(this.p.stacks[k]!));
    return out;
  }

  private location(loc: number): Frame[] {
    let frames = this.byLocation.get(loc);
    if (frames) return frames;
    const { lineStart, lineCount } = this.p.locations;
    frames = [];
    for (let l = lineStart[loc]!; l < lineStart[loc]! + lineCount[loc]!; l++) {
      const fn = this.p.lines.function[l]!;
      frames.push({
        function: fn < 0 ? '' : this.p.strings[this.p.functions.name[fn]!]!,
        file: fn < 0 ? '' : this.p.strings[this.p.functions.filename[fn]!]!,
        line: this.p.lines.line[l]!,
      });
    }
    this.byLocation.set(loc, frames);
    return frames;
  }
}

