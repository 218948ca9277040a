import { ProfileBuilder } from '../../model/builder.js';
import type { Profile } from '../../model/profile.js';
import type { ProfileFormat } from '../registry.js';
import { firstNonBlank, headLine, parseAddresses, parseInt64, textOf } from './lines.js';
import { lineError, RecordReader, recordText } from './records.js';
import { decodeLines, TextProfileStream, type LineDecoder } from './stream.js';

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
  decode: (bytes) => decodeLines(new CountTextDecoder(), bytes),
  stream: () => new TextProfileStream(new CountTextDecoder()),
};

const HEADER_ERROR = 'expected a "<kind> profile: total N" header';

class CountTextDecoder implements LineDecoder {
  private b: ProfileBuilder | undefined;
  private records: RecordReader | undefined;

  line(buf: Uint8Array, start: number, end: number, lineNo: number, terminated: boolean): boolean | void {
    if (this.records) return this.records.line(buf, start, end, lineNo, terminated);
    const s = firstNonBlank(buf, start, end);
    if (s === end || buf[s] === 35) return;
    const header = START_RE.exec(textOf(buf, s, end).trim());
    if (!header) throw lineError(HEADER_ERROR, lineNo);
    const kind = header[1]!;
    this.b = new ProfileBuilder({
      sampleTypes: [{ type: kind, unit: 'count' }],
      periodType: { type: kind, unit: 'count' },
      period: 1,
      dropFrames: CPU_PROFILER_DROP_FRAMES,
    });
    this.records = new RecordReader(this.b, (buf, start, end, n, addresses) => {
      const line = recordText(buf, start, end);
      if (line.startsWith('---')) return 'stop';
      const m = COUNT_RE.exec(line);
      if (!m) throw lineError(`expected "N @ 0x…", found ${JSON.stringify(line.slice(0, 60))}`, n);
      parseAddresses(m[2]!, n, addresses);
      return { values: [parseInt64(m[1]!, 'count', n)] };
    });
  }

  finish(): Profile {
    if (!this.records || !this.b) throw lineError(HEADER_ERROR, 0);
    this.records.finish();
    return this.b.build();
  }
}
