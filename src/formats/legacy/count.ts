import { ProfileBuilder } from '../../model/builder.js';
import type { Profile } from '../../model/profile.js';
import type { ProfileFormat } from '../registry.js';
import { firstContentLine, headLine, parseAddresses, parseInt64, textLines } from './lines.js';
import { lineError, readRecords } from './records.js';

/**
 * Legacy count profiles: `goroutine profile: total N` and
 * `threadcreate profile: total N` (debug=1), as pprof's parseGoCount reads them.
 */

const START_RE = /^(\S+) profile: total \d+$/;
const COUNT_RE = /^(\d+) @((?: 0x[0-9a-f]+)+)$/;

/** pprof's cpuProfilerRxStr: the drop_frames pprof gives legacy profiles other than heap and contention. */
export const CPU_PROFILER_DROP_FRAMES = [
  'ProfileData::Add',
  'ProfileData::prof_handler',
  'CpuProfiler::prof_handler',
  '__pthread_sighandler',
  '__restore',
].join('|');

export const legacyCountText: ProfileFormat = {
  id: 'count-text',
  description: 'legacy goroutine/threadcreate profile text (debug=1)',
  sniff: (head) => START_RE.test(headLine(head)),
  decode: decodeCountText,
};

export function decodeCountText(bytes: Uint8Array): Profile {
  const lines = textLines(bytes);
  const first = firstContentLine(lines);
  const start = first >= 0 ? START_RE.exec(lines[first]!.trim()) : null;
  if (!start) throw lineError('expected a "<kind> profile: total N" header', first + 1);
  const kind = start[1]!;
  const b = new ProfileBuilder({
    sampleTypes: [{ type: kind, unit: 'count' }],
    periodType: { type: kind, unit: 'count' },
    period: 1,
    dropFrames: CPU_PROFILER_DROP_FRAMES,
  });
  readRecords(lines, first + 1, b, (line, lineNo) => {
    if (line.startsWith('---')) return 'stop';
    const m = COUNT_RE.exec(line);
    if (!m) throw lineError(`expected "N @ 0x…", found ${JSON.stringify(line.slice(0, 60))}`, lineNo);
    return { values: [parseInt64(m[1]!, 'count', lineNo)], addresses: parseAddresses(m[2]!, lineNo) };
  });
  return b.build();
}
