import { ProfileBuilder } from '../../model/builder.js';
import type { Profile } from '../../model/profile.js';
import type { ProfileFormat } from '../registry.js';
import { headLine, parseAddresses, parseInt64, textOf } from './lines.js';
import { lineError, RecordReader, recordText } from './records.js';
import { decodeLines, TextProfileStream, type LineDecoder } from './stream.js';

/**
 * Legacy mutex and block text (`--- mutex:` / `--- contention:`, debug=1), as
 * pprof's parseContention reads it: cycles become nanoseconds through
 * `cycles/second`, and both values are multiplied by the sampling period.
 * Since Go 1.17 the runtime has already scaled mutex records by that period
 * (runtime/mprof.go, saveBlockEventStack), so pprof's figures are the true
 * ones times the period; `top` must print what pprof prints, and the
 * contention analysis undoes it (Profile.contentionText says what was done).
 */

/**
 * pprof's contentionSampleRE, `(\d+) *(\d+) @([ x0-9a-f]*)`, rewritten to match the same lines with
 * the same numbers in linear time: V8 backtracks cubically over a long run of digits (a 10 KB line
 * took minutes), Go's RE2 does not. A match never starts inside a digit run, and the two numbers are
 * either separated by spaces or are one run split before its last digit (what the greedy original
 * settles on). Groups: cycles = 1 or 3, count = 2 or 4, addresses = 5.
 */
export const CONTENTION_SAMPLE_RE = /(?<!\d)(?:(\d+) +(\d+)|(\d+)(\d)) @([ x0-9a-f]*)/;

/** pprof's lockRxStr. */
const LOCK_DROP_FRAMES = [
  'RecordLockProfileData', '(base::)?RecordLockProfileData.*', '(base::)?SubmitMutexProfileData.*',
  '(base::)?SubmitSpinLockProfileData.*', '(base::Mutex::)?AwaitCommon.*', '(base::Mutex::)?Unlock.*',
  '(base::Mutex::)?UnlockSlow.*', '(base::Mutex::)?ReaderUnlock.*', '(base::MutexLock::)?~MutexLock.*',
  '(Mutex::)?AwaitCommon.*', '(Mutex::)?Unlock.*', '(Mutex::)?UnlockSlow.*', '(Mutex::)?ReaderUnlock.*',
  '(MutexLock::)?~MutexLock.*', '(SpinLock::)?Unlock.*', '(SpinLock::)?SlowUnlock.*', '(SpinLockHolder::)?~SpinLockHolder.*',
].join('|');

export const legacyContentionText: ProfileFormat = {
  id: 'contention-text',
  description: 'legacy mutex/block profile text (debug=1)',
  sniff: (head) => {
    const l = headLine(head);
    return l.startsWith('--- mutex:') || l.startsWith('--- contention:') || l.startsWith('--- contentionz ');
  },
  decode: (bytes) => decodeLines(new ContentionTextDecoder(), bytes),
  stream: () => new TextProfileStream(new ContentionTextDecoder()),
};

/**
 * The first non-blank line names the kind; `key=value` attributes follow
 * (blank and `#` lines skipped) up to the first line that is not one, which
 * is the first record line (or `---`, which ends the profile).
 */
class ContentionTextDecoder implements LineDecoder {
  private kind: 'mutex' | 'block' | undefined;
  private period = 1;
  private cpuHz = 0;
  private durationNanos = 0n;
  private b: ProfileBuilder | undefined;
  private records: RecordReader | undefined;

  line(buf: Uint8Array, start: number, end: number, lineNo: number, terminated: boolean): boolean | void {
    if (this.records) return this.records.line(buf, start, end, lineNo, terminated);
    const line = textOf(buf, start, end).trim();
    if (this.kind === undefined) {
      if (line !== '') this.kind = line.startsWith('--- mutex:') ? 'mutex' : 'block';
      return;
    }
    if (line === '' || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    if (line.startsWith('---') || eq < 0) {
      this.beginRecords();
      this.records!.line(buf, start, end, lineNo, terminated);
      return;
    }
    const key = line.slice(0, eq).trim();
    const val = line.slice(eq + 1).trim();
    if (key === 'cycles/second') this.cpuHz = parseInt64(val, 'cycles/second', lineNo);
    else if (key === 'sampling period') this.period = parseInt64(val, 'sampling period', lineNo);
    else if (key === 'ms since reset') this.durationNanos = BigInt(parseInt64(val, 'ms since reset', lineNo)) * 1_000_000n;
    else if (key !== 'discarded samples') throw lineError(`unknown attribute ${JSON.stringify(key)}`, lineNo);
  }

  finish(): Profile {
    if (!this.records) this.beginRecords();
    this.records!.finish();
    const period = this.period;
    return { ...this.b!.build(), contentionText: { kind: this.kind ?? 'block', samplingPeriod: period > 0 ? period : 1 } };
  }

  private beginRecords(): void {
    const { period, cpuHz } = this;
    this.b = new ProfileBuilder({
      sampleTypes: [
        { type: 'contentions', unit: 'count' },
        { type: 'delay', unit: 'nanoseconds' },
      ],
      periodType: { type: 'contentions', unit: 'count' },
      period,
      durationNanos: this.durationNanos,
      dropFrames: LOCK_DROP_FRAMES,
    });
    this.records = new RecordReader(this.b, (buf, start, end, lineNo, addresses) => {
      const line = recordText(buf, start, end);
      if (line.startsWith('---')) return 'stop';
      const m = CONTENTION_SAMPLE_RE.exec(line);
      if (!m) throw lineError(`expected "CYCLES COUNT @ 0x…", found ${JSON.stringify(line.slice(0, 60))}`, lineNo);
      let cycles = parseInt64((m[1] ?? m[3])!, 'cycles', lineNo);
      let count = parseInt64((m[2] ?? m[4])!, 'count', lineNo);
      if (period > 0) {
        if (cpuHz > 0) cycles = Math.trunc((cycles * period) / (cpuHz / 1e9));
        count = count * period;
      }
      parseAddresses(m[5]!, lineNo, addresses);
      return { values: [count, cycles] };
    });
  }
}
