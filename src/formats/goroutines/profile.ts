import { GoFrameTable, type GoroutineProfile, type GoroutineStack } from '../../model/goroutines.js';
import type { Profile } from '../../model/profile.js';
import { FormatError } from '../errors.js';
import { parseAddresses } from '../legacy/lines.js';
import { parseFrameLine, type FrameLine } from '../legacy/symbols.js';

/**
 * Goroutine profiles as the goroutine analysis reads them: stacks of
 * frames, each frame's function and position taken from one and the same
 * frame. The pprof-compatible reading of debug=1 text (src/formats/legacy)
 * names each address after its physical function with the innermost
 * position, as pprof given the binary does, which pairs `main.lockWaiter`
 * with `sync/mutex.go:70`; here the text's own `#` lines are kept, one frame
 * each, inlined calls included.
 */

/** `goroutine profile: total 12` or Go 1.26's `goroutineleak profile: total 3`. */
const HEADER_RE = /^(goroutine|goroutineleak) profile: total (\d+)$/;
const RECORD_RE = /^(\d+) @((?: 0x[0-9a-f]+)*)$/;

/** The sample types of goroutine profiles (runtime/pprof writeRuntimeProfile names them after the profile). */
export const GOROUTINE_PROFILE_NAMES: readonly string[] = ['goroutine', 'goroutineleak'];

/** True when the text starts as a debug=1 goroutine or goroutineleak profile. */
export function sniffGoroutineProfileText(text: string): boolean {
  const first = text.slice(0, 200).trimStart().split('\n', 1)[0]!.trim();
  return HEADER_RE.test(first);
}

/** Reads `?debug=1` goroutine (or goroutineleak) profile text. */
export function parseGoroutineProfileText(text: string): GoroutineProfile {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const at = lines.findIndex((l) => l.trim() !== '');
  const header = at >= 0 ? HEADER_RE.exec(lines[at]!.trim()) : null;
  if (!header) throw new FormatError('expected a "goroutine profile: total N" header', undefined, undefined, at + 1);
  const frames = new GoFrameTable();
  const stacks: GoroutineStack[] = [];
  let record: { count: number; addresses: number; comments: FrameLine[] } | undefined;
  const flush = () => {
    if (record) stacks.push(stackOf(record.count, record.addresses, record.comments, frames));
    record = undefined;
  };
  for (let i = at + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') {
      flush();
      continue;
    }
    if (line.startsWith('#')) {
      const f = parseFrameLine(line);
      if (f && record) record.comments.push(f);
      continue;
    }
    flush();
    const m = RECORD_RE.exec(line.trim());
    if (!m) throw new FormatError(`expected "N @ 0x…", found ${JSON.stringify(line.slice(0, 60))}`, undefined, undefined, i + 1);
    record = { count: Number(m[1]), addresses: parseAddresses(m[2]!, i + 1).length, comments: [] };
  }
  flush();
  return { form: 'debug=1', name: header[1]!, frames: frames.frames, stacks };
}

/**
 * One record's stack from its `#` lines. Inlined calls share their physical
 * function's entry (PC − offset) with the frame they are inlined into, which
 * is another function: a recursive call shares the entry too, but with itself,
 * and recursive functions are never inlined. Addresses without a `#` line are
 * the runtime frames the text hides.
 */
function stackOf(count: number, addresses: number, comments: readonly FrameLine[], frames: GoFrameTable): GoroutineStack {
  const entry = (f: FrameLine) => f.pc - f.offset;
  const ids = comments.map((f, i) => {
    const next = comments[i + 1];
    const inlined = next !== undefined && entry(next) === entry(f) && next.func !== f.func;
    return frames.id(f.func, f.file, f.line, inlined);
  });
  return { count, frames: ids, unnamed: Math.max(0, addresses - comments.length) };
}

/** A decoded goroutine profile (proto) as stacks: each location's lines innermost first, inlined ones flagged. */
export function goroutineProfileFromProto(p: Profile): GoroutineProfile {
  const name = p.sampleTypes.find((t) => GOROUTINE_PROFILE_NAMES.includes(t.type))?.type ?? 'goroutine';
  const valueIndex = Math.max(0, p.sampleTypes.findIndex((t) => t.type === name));
  const frames = new GoFrameTable();
  const stacks: GoroutineStack[] = [];
  const { locStart, locCount, values } = p.samples;
  for (let i = 0; i < p.samples.count; i++) {
    const ids: number[] = [];
    let unnamed = 0;
    for (let k = locStart[i]!; k < locStart[i]! + locCount[i]!; k++) {
      const loc = p.stacks[k]!;
      const first = p.locations.lineStart[loc]!;
      const n = p.locations.lineCount[loc]!;
      let named = 0;
      for (let l = first; l < first + n; l++) {
        const fn = p.lines.function[l]!;
        if (fn < 0) continue;
        named++;
        // Every line but a location's last is inlined into the next.
        ids.push(frames.id(p.strings[p.functions.name[fn]!]!, p.strings[p.functions.filename[fn]!]!, p.lines.line[l]!, l < first + n - 1));
      }
      if (named === 0) unnamed++;
    }
    stacks.push({ count: values[i * p.sampleTypes.length + valueIndex]!, frames: ids, unnamed });
  }
  return { form: 'proto', name, frames: frames.frames, stacks };
}
