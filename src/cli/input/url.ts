import { FetchFailure, fetchStream } from '../../collect/http.js';
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
 * A URL's body as a stream of chunks, through the doctor's fetcher
 * (collect/http.ts: redirects followed, the timeout covering the body).
 * Its failures — the HTTP status with the server's first line, refused,
 * timed out — become one-line FormatErrors naming the URL. No size limit
 * here: the reader holds each format to its own.
 */
export function fetchUrl(spec: string, options: FetchOptions): { name: string; chunks: AsyncIterable<Uint8Array>; close(): void } {
  const { url, timeoutMs } = adjustUrl(spec, options);
  const name = urlName(url);
  const body = fetchStream(url.href, { timeoutMs, maxBytes: Infinity, headers: { 'user-agent': 'footprint' } });
  async function* chunks(): AsyncGenerator<Uint8Array> {
    try {
      yield* body;
    } catch (err) {
      throw err instanceof FetchFailure ? new FormatError(err.message, name) : err;
    }
  }
  return { name, chunks: chunks(), close: () => void body.return(undefined) };
}
