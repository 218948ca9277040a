import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { formatBytes, formatDuration } from '../model/units.js';

export interface FetchOptions {
  timeoutMs: number;
  maxBytes: number;
  headers: Readonly<Record<string, string>>;
  /** Aborts the request (Ctrl-C): the partial file is removed. */
  signal?: AbortSignal;
}

/** A request that did not give a whole body; `message` is one line for the report. */
export class FetchFailure extends Error {
  constructor(
    message: string,
    /** The HTTP status, when the server answered. */
    readonly status?: number,
    /** The server's own one-line explanation, e.g. pprof's "unknown profile". */
    readonly serverSays?: string,
  ) {
    super(message);
    this.name = 'FetchFailure';
  }
}

/**
 * GETs `url` into `path`, streaming: the body goes to `path.part` as it
 * arrives and is renamed when whole, so a capture folder never holds half a
 * file under a real name. Stops at `maxBytes` and after `timeoutMs`.
 */
export async function fetchToFile(url: string, path: string, opts: FetchOptions): Promise<number> {
  const part = `${path}.part`;
  const fd = openSync(part, 'w');
  let ok = false;
  try {
    const bytes = await streamBody(url, opts, (chunk) => writeSync(fd, chunk));
    ok = true;
    return bytes;
  } finally {
    closeSync(fd);
    if (ok) renameSync(part, path);
    else rmSync(part, { force: true });
  }
}

/** GETs `url` into memory (small answers: the pprof index, /debug/vars). */
export async function fetchBytes(url: string, opts: FetchOptions): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const total = await streamBody(url, opts, (c) => chunks.push(c));
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

async function streamBody(url: string, opts: FetchOptions, sink: (chunk: Uint8Array) => void): Promise<number> {
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  let received = 0;
  try {
    const res = await fetch(url, { headers: { ...opts.headers }, signal, redirect: 'follow' });
    if (!res.ok) {
      const said = firstLine(await res.text().catch(() => ''));
      throw new FetchFailure(`HTTP ${res.status} ${res.statusText}${said ? `: ${said}` : ''}`, res.status, said || undefined);
    }
    if (!res.body) return 0;
    for await (const chunk of res.body) {
      received += chunk.length;
      if (received > opts.maxBytes) throw new FetchFailure(`larger than ${formatBytes(opts.maxBytes)}: stopped`);
      sink(chunk);
    }
    return received;
  } catch (err) {
    throw asFailure(err, received, opts, timeout);
  }
}

function asFailure(err: unknown, received: number, opts: FetchOptions, timeout: AbortSignal): FetchFailure {
  if (err instanceof FetchFailure) return err;
  if (opts.signal?.aborted) return new FetchFailure('interrupted');
  if (timeout.aborted) return new FetchFailure(`no complete answer within ${formatDuration(opts.timeoutMs * 1e6)}${received ? ` (${formatBytes(received)} received)` : ''}`);
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? (err as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') return new FetchFailure('connection refused');
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new FetchFailure('host not found');
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || /terminated|other side closed/i.test(String((err as Error).message))) {
    return new FetchFailure(received ? `connection closed after ${formatBytes(received)}, before the end of the body` : 'connection closed before an answer');
  }
  return new FetchFailure(firstLine(cause?.message ?? (err as Error).message) || 'request failed');
}

function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? '';
  return line.trim().slice(0, 200);
}
