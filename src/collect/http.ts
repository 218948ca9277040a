import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
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
  let received = 0;
  for await (const chunk of fetchStream(url, opts)) {
    received += chunk.length;
    sink(chunk);
  }
  return received;
}

/**
 * GETs `url` and hands out its body as it arrives: FetchFailure for the
 * status (with the server's first line), the connection, the timeout (which
 * covers the body) or a body past `maxBytes`. A consumer that stops early
 * (return, or a throw in its loop) ends the request.
 *
 * node:http, not fetch: fetch's HTTP parser (undici's llhttp) is
 * WebAssembly, and V8 reserves about 10 GiB of address space for it, so under
 * `ulimit -v 8G` every request failed — and left an unhandled rejection that
 * ended the process.
 */
export async function* fetchStream(url: string, opts: FetchOptions): AsyncGenerator<Uint8Array, void, undefined> {
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const done = new AbortController();
  const signal = AbortSignal.any([done.signal, timeout, ...(opts.signal ? [opts.signal] : [])]);
  let received = 0;
  try {
    const res = await get(new URL(url), opts.headers, signal);
    const status = res.statusCode ?? 0;
    if (status < 200 || status > 299) {
      const said = firstLine(await firstBytes(res, 4096));
      throw new FetchFailure(`HTTP ${status} ${res.statusMessage ?? ''}${said ? `: ${said}` : ''}`, status, said || undefined);
    }
    for await (const chunk of res) {
      received += (chunk as Buffer).length;
      if (received > opts.maxBytes) throw new FetchFailure(`larger than ${formatBytes(opts.maxBytes)}: stopped`);
      yield chunk as Buffer;
    }
  } catch (err) {
    throw asFailure(err, received, opts, timeout);
  } finally {
    done.abort();
  }
}

/** Redirects followed before giving up, as browsers and fetch do (fetch allows 20). */
const MAX_REDIRECTS = 20;

/** The answer to a GET, after redirects (301, 302, 303, 307, 308); credentials are not sent to another origin. */
async function get(url: URL, headers: Readonly<Record<string, string>>, signal: AbortSignal): Promise<IncomingMessage> {
  let sent = { ...headers };
  for (let hop = 0; ; hop++) {
    const res = await getOnce(url, sent, signal);
    const location = res.headers.location;
    if (![301, 302, 303, 307, 308].includes(res.statusCode ?? 0) || location === undefined) return res;
    res.resume();
    if (hop === MAX_REDIRECTS) throw new FetchFailure(`more than ${MAX_REDIRECTS} redirects`);
    const next = new URL(location, url);
    if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new FetchFailure(`redirected to ${next.protocol} (only http and https are followed)`);
    if (next.origin !== url.origin) sent = withoutCredentials(sent);
    url = next;
  }
}

function getOnce(url: URL, headers: Readonly<Record<string, string>>, signal: AbortSignal): Promise<IncomingMessage> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    // A connection of its own (no agent): nothing is left open to keep the process alive afterwards.
    const req = request(url, { headers, signal, agent: false }, resolve);
    req.on('error', reject);
    req.end();
  });
}

function withoutCredentials(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (!/^(authorization|cookie|proxy-authorization)$/i.test(k)) out[k] = v;
  return out;
}

/** The start of an error body, as text: a server may send an endless one. */
async function firstBytes(res: IncomingMessage, n: number): Promise<string> {
  const parts: Buffer[] = [];
  let have = 0;
  try {
    for await (const chunk of res) {
      parts.push(chunk as Buffer);
      have += (chunk as Buffer).length;
      if (have >= n) break;
    }
  } catch {
    // what arrived is enough
  }
  return new TextDecoder().decode(Buffer.concat(parts).subarray(0, n));
}

function asFailure(err: unknown, received: number, opts: FetchOptions, timeout: AbortSignal): FetchFailure {
  if (err instanceof FetchFailure) return err;
  if (opts.signal?.aborted) return new FetchFailure('interrupted');
  if (timeout.aborted) return new FetchFailure(`no complete answer within ${formatDuration(opts.timeoutMs * 1e6)}${received ? ` (${formatBytes(received)} received)` : ''}`);
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? (err as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') return new FetchFailure('connection refused');
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new FetchFailure('host not found');
  // node:http says a connection closed early as ECONNRESET ("socket hang up", "aborted") or a premature close of the body.
  if (code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'EPIPE') {
    return new FetchFailure(received ? `connection closed after ${formatBytes(received)}, before the end of the body` : 'connection closed before an answer');
  }
  return new FetchFailure(firstLine(cause?.message ?? (err as Error).message) || 'request failed');
}

function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? '';
  return line.trim().slice(0, 200);
}
