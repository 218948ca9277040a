import { FormatError } from '../../formats/errors.js';
import { UsageError } from '../args.js';

/** How footprint fetches a URL, with pprof's flags. */
export interface FetchOptions {
  /** pprof's -seconds: set as the URL's `seconds` parameter (how long a CPU profile or trace records). */
  seconds?: number;
  /** pprof's -timeout, in seconds: how long the whole answer may take. */
  timeoutSeconds?: number;
}

/** Only http and https: anything else on the command line is a file name. */
export function isUrl(spec: string): boolean {
  return /^https?:\/\//i.test(spec);
}

/**
 * The URL to fetch and how long to wait for it, decided as pprof's
 * adjustURL does (internal/driver/fetch.go): --seconds sets the URL's
 * `seconds`, else a `seconds` already in the URL counts; the timeout is 1.5x
 * the seconds, or 60 s, unless --timeout says. (pprof's client allows 5 s
 * more than that; here the timeout is what it says.)
 */
export function adjustUrl(spec: string, options: FetchOptions): { url: URL; seconds: number; timeoutMs: number } {
  let url: URL;
  try {
    url = new URL(spec);
  } catch {
    throw new UsageError(`${JSON.stringify(spec)} is not a valid URL`);
  }
  let seconds = options.seconds ?? 0;
  if (seconds > 0) url.searchParams.set('seconds', String(seconds));
  else if (/^\d+$/.test(url.searchParams.get('seconds') ?? '')) seconds = Number(url.searchParams.get('seconds'));
  const timeout = options.timeoutSeconds ?? (seconds > 0 ? seconds * 1.5 : 60);
  return { url, seconds, timeoutMs: timeout * 1000 };
}

/** The URL as messages and reports name it: as fetched, without a password. */
export function urlName(url: URL): string {
  if (url.password === '') return url.href;
  const shown = new URL(url.href);
  shown.password = '***';
  return shown.href;
}

/**
 * Fetches a URL as a stream of chunks (Node's fetch; redirects followed).
 * Failures are one-line FormatErrors naming the URL: the connection, the
 * HTTP status (with the message a Go pprof handler sends along, as pprof
 * shows it), or the timeout, which covers the body too.
 */
export async function fetchUrl(spec: string, options: FetchOptions): Promise<{ name: string; chunks: AsyncIterable<Uint8Array>; close(): void }> {
  const { url, timeoutMs } = adjustUrl(spec, options);
  const name = urlName(url);
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  timer.unref();
  const close = () => {
    clearTimeout(timer);
    controller.abort();
  };
  const failure = (err: unknown) => fetchError(err, name, timedOut, timeoutMs);
  let res: Response;
  try {
    res = await fetch(url, { signal: controller.signal, headers: { 'user-agent': 'footprint' } });
  } catch (err) {
    close();
    throw failure(err);
  }
  if (!res.ok || res.body === null) {
    const detail = await pprofErrorText(res);
    close();
    throw new FormatError(`HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}${detail ? `: ${detail}` : ''}`, name);
  }
  const body = res.body;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    try {
      for await (const chunk of body) yield chunk;
    } catch (err) {
      throw failure(err);
    } finally {
      close();
    }
  }
  return { name, chunks: chunks(), close };
}

/** A Go pprof handler's error text (it marks it with X-Go-Pprof), first line only; '' for any other server. */
async function pprofErrorText(res: Response): Promise<string> {
  if (!res.headers.has('x-go-pprof') || !(res.headers.get('content-type') ?? '').includes('text/plain')) return '';
  try {
    return (await res.text()).split('\n', 1)[0]!.trim().slice(0, 200);
  } catch {
    return '';
  }
}

function fetchError(err: unknown, name: string, timedOut: boolean, timeoutMs: number): FormatError {
  if (err instanceof FormatError) return err;
  if (timedOut) return new FormatError(`no complete answer within ${timeoutMs / 1000} s (--timeout N waits longer)`, name);
  const cause = (err as { cause?: { message?: string } }).cause;
  return new FormatError(`cannot fetch: ${cause?.message ?? (err as Error).message}`, name);
}
