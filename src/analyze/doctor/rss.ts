import type { Mapping, MemoryFields } from '../../formats/procfs/index.js';
import type { MemStats } from '../../model/profile.js';
import { formatBytes } from '../../model/units.js';
import { heapTotals } from '../heap/sites.js';
import { programOnly } from '../program.js';
import { memStatsValue } from '../memstats.js';
import { memStat } from './memstat.js';
import type { DoctorInput, RssBreakdown, RssPart } from './types.js';

/**
 * The resident set split into parts that add up to it. Go's side comes
 * from MemStats (taken at the end of the window, next to /proc); the
 * kernel's from smaps: what is file-backed (the binary's code, shared
 * libraries), and how much anonymous memory is resident. The difference
 * between the anonymous memory Go says it holds (Sys − HeapReleased) and
 * what is resident is either memory Go counts but never touched (negative:
 * only smaps can show it) or anonymous memory Go does not count (cgo,
 * C malloc, other mmaps).
 */
export function explainRss(input: DoctorInput): RssBreakdown | undefined {
  const proc = input.proc;
  const rollup = proc?.smapsRollup?.value ?? fromStatus(proc?.status?.value.memory);
  if (!rollup || rollup.Rss === undefined) return undefined;
  const rss = rollup.Rss;
  const stats = input.memStats?.value ?? input.vars.at(-1)?.value;
  const notes: string[] = [];
  if (!stats) {
    notes.push('RSS: no MemStats arrived (heap?debug=1 or /debug/vars), so Go\'s share of the resident set cannot be split');
    return { bytes: rss, parts: [{ name: 'resident, not explained', bytes: rss, basis: 'smaps_rollup Rss' }], levers: [], notes };
  }
  const problems = RSS_FIELDS.flatMap((f) => {
    const v = memStatsValue(stats, f);
    return v === undefined ? [`${f} is missing`] : 'problem' in v ? [v.problem] : [];
  });
  if (problems.length) {
    notes.push(`RSS: the MemStats cannot be used to split it (${problems.join('; ')})`);
    return { bytes: rss, parts: [{ name: 'resident, not explained', bytes: rss, basis: 'smaps_rollup Rss' }], levers: [], notes };
  }
  const m = (f: string) => memStat(stats, f);
  const anonymous = rollup.Anonymous ?? rss;
  const fileBacked = rss - anonymous;
  const mappings = proc?.smaps?.value;
  const layout = mappings ? splitMappings(mappings) : undefined;
  const goHeld = m('Sys') - m('HeapReleased');
  // The last heap profile is as of the last GC: what was reachable then. HeapAlloc adds what was allocated since.
  // The capture's own requests (a goroutine dump being written) hold heap too: shown apart, not as the program's.
  const lastHeap = input.heaps.at(-1);
  const live = lastHeap ? Math.min(m('HeapAlloc'), heapTotals(lastHeap.profile).inuseBytes) : m('HeapAlloc');
  const profiler = lastHeap ? Math.min(live, live - heapTotals(programOnly(lastHeap.profile)).inuseBytes) : 0;
  const parts: RssPart[] = [
    lastHeap
      ? { name: 'live heap (at the last GC)', bytes: live - profiler, basis: 'inuse_space of the last heap profile (sampled), capped at HeapAlloc, without the profiler\'s' }
      : { name: 'live heap', bytes: live, basis: 'HeapAlloc: reachable objects, and garbage not yet swept' },
    ...(profiler > 0 ? [{ name: 'live heap of the profiling endpoints', bytes: profiler, basis: 'inuse_space under net/http/pprof, runtime/pprof, runtime/trace: serving this capture' }] : []),
    ...(lastHeap ? [{ name: 'allocated since the last GC', bytes: m('HeapAlloc') - live, basis: 'HeapAlloc − live heap: live or garbage, the next GC decides' }] : []),
    { name: 'unused space in in-use spans', bytes: m('HeapInuse') - m('HeapAlloc'), basis: 'HeapInuse − HeapAlloc' },
    { name: 'free heap not returned to the OS', bytes: m('HeapIdle') - m('HeapReleased'), basis: 'HeapIdle − HeapReleased' },
    { name: 'goroutine stacks', bytes: m('StackInuse'), basis: 'StackInuse' },
    { name: 'runtime metadata', bytes: m('Sys') - m('HeapSys') - m('StackInuse'), basis: 'Sys − HeapSys − StackInuse: spans, GC bitmaps, profiling buckets, free stack spans' },
  ];
  let otherAnon = anonymous - goHeld;
  if (layout) {
    parts.push(
      { name: 'binary (code and read-only data)', bytes: layout.binaryFile, basis: `smaps: file-backed pages of ${layout.binary || 'the executable'}` },
      { name: 'other file-backed pages', bytes: fileBacked - layout.binaryFile, basis: 'smaps: shared libraries and mapped files' },
      { name: 'binary globals (data, bss)', bytes: layout.globals, basis: 'smaps: written pages of the executable\'s data and bss' },
      { name: 'other anonymous mappings', bytes: layout.nonGoAnon, basis: 'smaps: [heap] (C malloc) and the main thread\'s [stack]' },
    );
    otherAnon -= layout.globals + layout.nonGoAnon;
  } else {
    parts.push({ name: 'file-backed pages (binary, libraries)', bytes: fileBacked, basis: 'smaps_rollup: Rss − Anonymous' });
  }
  if (otherAnon >= 0) {
    parts.push({ name: 'unexplained anonymous memory', bytes: otherAnon, basis: 'resident anonymous memory Go does not account for: cgo or C allocations, other mmaps' });
  } else {
    parts.push({ name: 'counted by Go but not resident', bytes: otherAnon, basis: 'Go holds these pages (Sys − HeapReleased) but never touched them or they were swapped out: smaps shows them absent' });
  }
  return { bytes: rss, parts, levers: levers(input, stats, rollup), notes };
}

/** The MemStats fields the split reads: each must be a value a runtime writes (analyze/memstats.ts). */
const RSS_FIELDS = ['Sys', 'HeapAlloc', 'HeapInuse', 'HeapIdle', 'HeapReleased', 'HeapSys', 'StackInuse'] as const;

/** Without smaps_rollup, status has the totals (RssAnon, RssFile, RssShmem). */
function fromStatus(status: MemoryFields | undefined): MemoryFields | undefined {
  if (!status || status.VmRSS === undefined) return undefined;
  return { Rss: status.VmRSS, ...(status.RssAnon !== undefined ? { Anonymous: status.RssAnon } : {}) };
}

interface Layout {
  binary: string;
  /** Resident file-backed pages of the executable. */
  binaryFile: number;
  /** Its written (copy-on-write) data and bss, and the bss mapping right after it. */
  globals: number;
  /** [heap] and [stack]: C malloc's brk area and the main thread's stack. */
  nonGoAnon: number;
}

/** The executable is the first mapped file (Go binaries map it first, PIE or not). */
function splitMappings(mappings: readonly Mapping[]): Layout {
  const binary = mappings.find((x) => x.path.startsWith('/'))?.path ?? '';
  const out: Layout = { binary, binaryFile: 0, globals: 0, nonGoAnon: 0 };
  let binaryEnd = -1;
  for (const x of mappings) {
    const rss = x.fields.Rss ?? 0;
    const anon = x.fields.Anonymous ?? 0;
    if (binary !== '' && x.path === binary) {
      out.binaryFile += rss - anon;
      out.globals += anon;
      binaryEnd = x.end;
    } else if (x.path === '' && x.start === binaryEnd) {
      out.globals += anon;
    } else if (x.path === '[heap]' || x.path === '[stack]') {
      out.nonGoAnon += anon;
    }
  }
  return out;
}

/** What would change the resident set now, with this capture's figures. */
function levers(input: DoctorInput, stats: MemStats, rollup: MemoryFields): RssBreakdown['levers'] {
  const m = (f: string) => memStat(stats, f);
  const idle = m('HeapIdle') - m('HeapReleased');
  const lastHeap = input.heaps.at(-1);
  const liveAfterGc = lastHeap ? heapTotals(lastHeap.profile).inuseBytes : null;
  const garbage = liveAfterGc !== null ? Math.max(0, m('HeapAlloc') - liveAfterGc) : null;
  const floor = m('HeapAlloc') + m('StackInuse') + (m('Sys') - m('HeapSys') - m('StackInuse'));
  const lazy = rollup.LazyFree ?? 0;
  return [
    {
      name: 'debug.FreeOSMemory()',
      bytes: idle + (garbage ?? 0),
      text:
        `would return about ${formatBytes(idle)} now (free heap still mapped)` +
        (garbage !== null ? `, plus up to ${formatBytes(garbage)} of garbage a forced GC would free (HeapAlloc above the last heap profile's live bytes)` : '') +
        '. A one-off; the scavenger returns free memory by itself, slowly.',
    },
    {
      name: 'GOMEMLIMIT',
      bytes: floor,
      text:
        `Go holds ${formatBytes(m('Sys') - m('HeapReleased'))} from the OS. A limit near that makes the runtime return free heap as it gets close ` +
        `(and collect more often); it cannot go below the live heap, stacks and metadata, about ${formatBytes(floor)} now.`,
    },
    {
      name: 'GODEBUG=madvdontneed',
      bytes: lazy,
      text:
        lazy > 0
          ? `${formatBytes(lazy)} is LazyFree: pages returned with MADV_FREE stay in RSS until the kernel needs them. madvdontneed=1 (the default since Go 1.16) removes them from RSS at once.`
          : 'LazyFree is 0: pages Go returns leave RSS at once here; the setting changes nothing for this process.',
    },
  ];
}
