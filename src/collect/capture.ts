import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WrongInputError } from '../model/errors.js';
import { fetchBytes, FetchFailure, fetchToFile, type FetchOptions } from './http.js';
import { writeManifest, type ArtefactKind, type Manifest, type ManifestEntry } from './manifest.js';

export interface CaptureOptions {
  /** The service's base URL, e.g. http://127.0.0.1:6060 (see targetUrl). */
  target: string;
  /** Folder to write into; created when missing. */
  dir: string;
  windowMs: number;
  /** A process on this machine to read /proc/PID from, for the RSS breakdown. */
  pid: number | null;
  headers: Readonly<Record<string, string>>;
  /** Heap profiles spread over the window, first and last included (at least 3 for a trend). */
  heapSnapshots: number;
  /** Length of the execution trace taken mid-window; 0 for none. */
  traceSeconds: number;
  /** Allowance for one request on top of the profile's own duration. */
  requestTimeoutMs: number;
  /** Ctrl-C: stops what is in flight and skips the rest; what arrived is kept. */
  signal?: AbortSignal;
  onProgress?: (p: CaptureProgress) => void;
}

export interface CaptureProgress {
  elapsedMs: number;
  windowMs: number;
  /** Names of the requests in flight. */
  running: string[];
  done: number;
  total: number;
}

/** Limits per kind: profiles are MBs, a trace can be large, the rest small. */
const MAX_BYTES: Partial<Record<ArtefactKind, number>> = { trace: 256 << 20, 'goroutine-dump': 256 << 20, 'proc-smaps': 64 << 20 };
const DEFAULT_MAX_BYTES = 128 << 20;

export interface CaptureStep {
  name: string;
  kind: ArtefactKind;
  file: string;
  /** When to send it, in ms after the start. */
  atMs: number;
  /** A path under the target (with query), or a /proc file. */
  path: string;
  /** How long the server takes by design (`?seconds=`). */
  serverMs: number;
  /** A 404 here is not a failure, just an absent feature (expvar). */
  optional?: boolean;
}

/**
 * The capture plan, the same for every service so captures compare: heap
 * profiles spread over the window; allocation, mutex and block deltas over
 * the whole window (`?seconds=`, computed by the runtime); goroutines at the
 * start and at the end, plus one full dump; /debug/vars with each heap
 * profile and the MemStats footer at the end; a short trace mid-window;
 * /proc at the end.
 */
export function capturePlan(o: Pick<CaptureOptions, 'windowMs' | 'heapSnapshots' | 'traceSeconds' | 'pid'>): CaptureStep[] {
  const end = o.windowMs;
  const seconds = Math.max(1, Math.round(o.windowMs / 1000));
  const steps: CaptureStep[] = [
    { name: 'goroutine-start', kind: 'goroutine', file: 'goroutine-start.pb.gz', atMs: 0, path: '/debug/pprof/goroutine', serverMs: 0 },
    { name: 'allocs', kind: 'allocs', file: 'allocs.pb.gz', atMs: 0, path: `/debug/pprof/allocs?seconds=${seconds}`, serverMs: seconds * 1000 },
    { name: 'mutex', kind: 'mutex', file: 'mutex.pb.gz', atMs: 0, path: `/debug/pprof/mutex?seconds=${seconds}`, serverMs: seconds * 1000 },
    { name: 'block', kind: 'block', file: 'block.pb.gz', atMs: 0, path: `/debug/pprof/block?seconds=${seconds}`, serverMs: seconds * 1000 },
  ];
  const n = Math.max(2, o.heapSnapshots);
  for (let i = 0; i < n; i++) {
    const atMs = Math.round((end * i) / (n - 1));
    steps.push(
      // Not ?gc=1: a forced GC resets the scavenger's goal and the service starts returning memory —
      // measured on the zoo's rss service (81 MiB idle, 2 MiB released, steady for a minute; 20 MiB
      // released a second after one forced GC). The doctor must not change what it measures.
      { name: `heap-${i + 1}`, kind: 'heap', file: `heap-${i + 1}.pb.gz`, atMs, path: '/debug/pprof/heap', serverMs: 0 },
      { name: `vars-${i + 1}`, kind: 'vars', file: `vars-${i + 1}.json`, atMs, path: '/debug/vars', serverMs: 0, optional: true },
    );
  }
  if (o.traceSeconds > 0) {
    const at = Math.max(0, Math.round(end / 2 - (o.traceSeconds * 1000) / 2));
    steps.push({ name: 'trace', kind: 'trace', file: 'trace.out', atMs: at, path: `/debug/pprof/trace?seconds=${o.traceSeconds}`, serverMs: o.traceSeconds * 1000 });
  }
  steps.push(
    { name: 'goroutine-end', kind: 'goroutine', file: 'goroutine-end.pb.gz', atMs: end, path: '/debug/pprof/goroutine', serverMs: 0 },
    { name: 'goroutine-dump', kind: 'goroutine-dump', file: 'goroutines.txt', atMs: end, path: '/debug/pprof/goroutine?debug=2', serverMs: 0 },
    { name: 'heap-text', kind: 'heap-text', file: 'heap.txt', atMs: end, path: '/debug/pprof/heap?debug=1', serverMs: 0 },
    { name: 'mutex-text', kind: 'mutex-text', file: 'mutex.txt', atMs: end, path: '/debug/pprof/mutex?debug=1', serverMs: 0 },
    { name: 'block-text', kind: 'block-text', file: 'block.txt', atMs: end, path: '/debug/pprof/block?debug=1', serverMs: 0 },
  );
  if (o.pid !== null) {
    for (const [kind, file] of [['proc-smaps-rollup', 'smaps_rollup'], ['proc-status', 'status'], ['proc-smaps', 'smaps']] as const) {
      steps.push({ name: kind, kind, file: `proc-${file}.txt`, atMs: end, path: `/proc/${o.pid}/${file}`, serverMs: 0 });
    }
  }
  return steps;
}

/** `host:port`, a base URL, or a URL ending in /debug/pprof[/]: the service's base URL. */
export function targetUrl(given: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(given) ? given : `http://${given}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new WrongInputError(`not a URL or host:port`, given);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new WrongInputError(`only http and https are supported`, given);
  const path = url.pathname.replace(/\/debug\/pprof\/?.*$/, '').replace(/\/+$/, '');
  return `${url.protocol}//${url.host}${path}`;
}

/**
 * Checks the target serves net/http/pprof before the window starts, so a
 * wrong address costs one line, not thirty seconds.
 */
export async function checkPprofServer(target: string, opts: FetchOptions): Promise<void> {
  let body: string;
  try {
    body = new TextDecoder().decode(await fetchBytes(`${target}/debug/pprof/`, opts));
  } catch (err) {
    if (err instanceof FetchFailure && err.status !== undefined) {
      throw new WrongInputError(`not a Go pprof server: GET /debug/pprof/ answered ${err.message}`, target);
    }
    throw new WrongInputError(`cannot reach the service: ${(err as Error).message}`, target);
  }
  if (!/goroutine/.test(body) || !/heap/.test(body)) {
    throw new WrongInputError('not a Go pprof server: /debug/pprof/ does not list the heap and goroutine profiles', target);
  }
}

/**
 * Runs the plan against the target, writing each artefact into `dir` as it
 * arrives and the manifest after each one, so an interrupted or crashed
 * capture still holds everything that came back. Never throws for a failed
 * request: failures are manifest entries with their reason.
 */
export async function capture(o: CaptureOptions): Promise<Manifest> {
  mkdirSync(o.dir, { recursive: true });
  const started = Date.now();
  const steps = capturePlan(o);
  const manifest: Manifest = {
    format: 'footprint-capture',
    version: 1,
    target: o.target,
    pid: o.pid,
    startedAt: new Date(started).toISOString(),
    windowMs: o.windowMs,
    elapsedMs: null,
    interrupted: false,
    artefacts: [],
    notes: [],
  };
  writeManifest(o.dir, manifest);
  const running = new Set<string>();
  const report = () => o.onProgress?.({ elapsedMs: Date.now() - started, windowMs: o.windowMs, running: [...running], done: manifest.artefacts.length, total: steps.length });
  const ticker = o.onProgress ? setInterval(report, 250) : undefined;
  try {
    await Promise.all(
      steps.map(async (step) => {
        if (!(await waitUntil(started + step.atMs, o.signal))) return;
        running.add(step.name);
        const entry = await runStep(step, o, started);
        running.delete(step.name);
        if (entry) {
          manifest.artefacts.push(entry);
          writeManifest(o.dir, manifest);
        }
        report();
      }),
    );
  } finally {
    if (ticker) clearInterval(ticker);
  }
  manifest.interrupted = o.signal?.aborted ?? false;
  if (manifest.interrupted) {
    const got = new Set(manifest.artefacts.map((a) => a.name));
    const missed = steps.filter((s) => !got.has(s.name)).map((s) => s.name);
    if (missed.length) manifest.notes.push(`interrupted after ${((Date.now() - started) / 1000).toFixed(1)} s: not collected: ${missed.join(', ')}`);
  }
  manifest.elapsedMs = Date.now() - started;
  manifest.artefacts.sort((a, b) => a.startMs - b.startMs || a.name.localeCompare(b.name));
  writeManifest(o.dir, manifest);
  return manifest;
}

/** Resolves true at `when`, false at once if the signal aborts first. */
export function waitUntil(when: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  const delay = when - Date.now();
  if (delay <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, delay);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** One request; undefined for an optional endpoint the service does not have. */
async function runStep(step: CaptureStep, o: CaptureOptions, started: number): Promise<ManifestEntry | undefined> {
  const startMs = Date.now() - started;
  const base = { name: step.name, kind: step.kind, from: step.path.startsWith('/proc/') ? step.path : `${o.target}${step.path}`, startMs };
  try {
    const bytes = step.path.startsWith('/proc/') ? copyProcFile(step.path, join(o.dir, step.file)) : await fetchToFile(`${o.target}${step.path}`, join(o.dir, step.file), {
      timeoutMs: step.serverMs + o.requestTimeoutMs,
      maxBytes: MAX_BYTES[step.kind] ?? DEFAULT_MAX_BYTES,
      headers: o.headers,
      ...(o.signal ? { signal: o.signal } : {}),
    });
    return { ...base, file: step.file, endMs: Date.now() - started, bytes, status: 'ok' };
  } catch (err) {
    if (step.optional && err instanceof FetchFailure && err.status === 404) return undefined;
    return { ...base, endMs: Date.now() - started, status: 'failed', error: (err as Error).message };
  }
}

/** /proc files report size 0: read whole, then written as-is. */
function copyProcFile(path: string, to: string): number {
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new Error(e.code === 'ENOENT' ? `no such process (${path} is missing)` : `cannot read ${path}: ${e.code ?? e.message}`);
  }
  writeFileSync(to, data);
  return data.length;
}
