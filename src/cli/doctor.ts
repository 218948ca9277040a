import { existsSync, statSync } from 'node:fs';
import { compareDiagnoses, diagnose } from '../analyze/doctor/index.js';
import { capture, checkPprofServer, targetUrl, type CaptureProgress } from '../collect/capture.js';
import { loadCapture } from '../collect/load.js';
import { MANIFEST_FILE } from '../collect/manifest.js';
import { formatDuration } from '../model/units.js';
import { renderDoctorPage } from '../present/html/doctor-page.js';
import { doctorText } from '../present/text/doctor.js';
import { durationMs, parseHeaders, parse, positiveInteger, UsageError, wholeNumber, type ParsedValues } from './args.js';
import { exitForFindings, failOnThreshold, FAIL_ON_FLAG, FAIL_ON_HELP } from './fail-on.js';
import { COMPARE_HELP, printComparison, readCompared } from './compare.js';
import { interruptible } from './interrupt.js';
import { printJson, styleOf, type Io } from './io.js';
import { Progress } from './progress.js';
import { writeOutput } from './output.js';

export const DOCTOR_HELP = `footprint doctor — why does my service use so much memory? One command, one ranked answer.

Usage: footprint doctor [flags] URL      collect from a running service, then diagnose
       footprint doctor [flags] DIR      diagnose a capture folder again (offline)
       footprint doctor --compare BEFORE_DIR AFTER_DIR

URL is the base of a service that serves net/http/pprof (http://127.0.0.1:6060, or
host:port). Over the window footprint collects heap profiles (three or more, for the
trend), the allocation, mutex and block deltas, goroutines at both ends and one full
dump, the MemStats footer and /debug/vars, a short execution trace, and with --pid the
process's /proc smaps and status. Every artefact is written to the capture folder as it
arrives, with a manifest.json; send the folder to a colleague, who runs
footprint doctor DIR. The findings of all domains are merged (one cause seen several
ways is one finding) and ranked: memory held first, then CPU.

Flags:
  --duration D       the window (default 30s; e.g. 10s, 2m); heap profiles change only when a
                     GC runs, so a quiet service needs a window with a few GCs in it
  --pid PID          the service's process on this machine: explain its RSS part by part
  --out DIR          the capture folder (default footprint-capture-<time>)
  --html FILE        also write a self-contained page (findings, RSS waterfall, curves)
  --header 'N: v'    send a header with every request (repeatable; for auth)
  --trace-seconds N  length of the execution trace mid-window (default 1; 0 for none)
  --heap-profiles N  heap profiles over the window (default 5: a trend from 3 points is easily noise)
  --timeout D        per request, on top of its own duration (default 15s)
${COMPARE_HELP}
  --json             { target, window, findings, rss?, captures, figures, notes }
${FAIL_ON_HELP}

Ctrl-C during the window stops collecting; what arrived is kept and diagnosed.

Examples:
  footprint doctor http://127.0.0.1:6060
  footprint doctor --duration 2m --pid $(pgrep myservice) --html doctor.html localhost:6060
  footprint doctor --header 'Authorization: Bearer $TOKEN' https://svc.internal:8443
  footprint doctor footprint-capture-20261206-031500
  footprint doctor --compare before/ after/
`;

const FLAGS = {
  duration: { type: 'string' },
  pid: { type: 'string' },
  out: { type: 'string' },
  html: { type: 'string' },
  header: { type: 'string', multiple: true },
  'trace-seconds': { type: 'string' },
  'heap-profiles': { type: 'string' },
  timeout: { type: 'string' },
  compare: { type: 'boolean' },
  ...FAIL_ON_FLAG,
} as const;

export async function runDoctor(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, FLAGS);
  if (values['help']) {
    io.out(DOCTOR_HELP);
    return 0;
  }
  const json = values['json'] === true;
  const failOn = failOnThreshold(values);
  if (values['compare']) return compare(positionals, values, io);
  if (positionals.length !== 1) throw new UsageError('expects one URL or capture folder; footprint doctor --help');
  const given = positionals[0]!;
  let dir: string;
  if (isCapture(given)) dir = given;
  else dir = await collect(given, values, io, json);
  const diagnosis = diagnose(loadCapture(dir));
  if (json) printJson(io, diagnosis);
  else io.out(doctorText(diagnosis, styleOf(io), dir));
  const html = values['html'];
  const wrote = typeof html === 'string' ? writeOutput(io, 'doctor', html, renderDoctorPage(diagnosis), !json) : 0;
  return exitForFindings(io, 'doctor', failOn, diagnosis.findings, wrote);
}

function isCapture(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

async function collect(given: string, values: ParsedValues, io: Io, json: boolean): Promise<string> {
  const target = targetUrl(given);
  const windowMs = durationMs(values, 'duration', 30_000);
  if (windowMs < 1000) throw new UsageError('--duration must be at least 1s (pprof deltas are whole seconds)');
  const pid = values['pid'] === undefined ? null : positiveInteger(values, 'pid', 0);
  if (pid !== null && !existsSync(`/proc/${pid}`)) throw new UsageError(`--pid ${pid}: no such process on this machine`);
  const timeoutMs = durationMs(values, 'timeout', 15_000);
  const headers = parseHeaders(values['header']);
  const dir = typeof values['out'] === 'string' ? values['out'] : defaultCaptureDir();
  await checkPprofServer(target, { timeoutMs, maxBytes: 1 << 20, headers });
  const { signal, release } = interruptible(io, 'footprint doctor: stopping; diagnosing what arrived (Ctrl-C again to quit)');
  const showProgress = io.progress && !json;
  try {
    const manifest = await capture({
      target,
      dir,
      windowMs,
      pid,
      headers,
      heapSnapshots: positiveInteger(values, 'heap-profiles', 5),
      traceSeconds: wholeNumber(values, 'trace-seconds', 1),
      requestTimeoutMs: timeoutMs,
      signal,
      ...(showProgress ? { onProgress: (p: CaptureProgress) => io.err(`\r\x1b[K${progressLine(target, p)}`) } : {}),
    });
    if (showProgress) io.err('\r\x1b[K');
    const failed = manifest.artefacts.filter((a) => a.status === 'failed').length;
    if (!json) io.err(`footprint doctor: capture in ${dir} (${manifest.artefacts.length - failed} artefacts${failed ? `, ${failed} failed` : ''})\n`);
  } finally {
    release();
  }
  return dir;
}

function progressLine(target: string, p: CaptureProgress): string {
  const left = Math.max(0, p.windowMs - p.elapsedMs);
  const running = p.running.length ? `: ${p.running.slice(0, 4).join(', ')}${p.running.length > 4 ? ', …' : ''}` : '';
  return `… collecting from ${target}, ${p.done}/${p.total} done${running} (${left > 0 ? `${formatDuration(Math.ceil(left / 1000) * 1e9)} left` : 'finishing'})`;
}

function defaultCaptureDir(): string {
  const t = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `footprint-capture-${t}`;
}

async function compare(positionals: string[], values: ParsedValues, io: Io): Promise<number> {
  const [before, after] = await readCompared('doctor', positionals, Progress.for(io, values['json'] === true), { name: (dir) => dir }, (dir) => {
    if (!existsSync(`${dir}/${MANIFEST_FILE}`)) throw new UsageError(`${dir}: not a capture folder (no ${MANIFEST_FILE})`);
    return diagnose(loadCapture(dir));
  });
  const html = values['html'];
  return printComparison(io, 'doctor', compareDiagnoses(before, after), { json: values['json'] === true, failOn: failOnThreshold(values), html: typeof html === 'string' ? html : undefined });
}
