import { posix } from 'node:path';

/**
 * The local server's refusals, as pure functions (server.ts applies them to
 * every request before anything else runs).
 */

/**
 * The Content-Security-Policy of every response: the app's own script,
 * styles and data only; no inline script, no frames, no other origin.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers on every response, refusals included. */
export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
};

/**
 * Whether a request's Host header names this server: the loopback address or
 * `localhost`, with the port it listens on. A page on another site whose DNS
 * name was re-pointed at 127.0.0.1 (DNS rebinding) sends its own name and is
 * refused, so it cannot read the profiles.
 */
export function hostAllowed(host: string | undefined, port: number): boolean {
  if (host === undefined) return false;
  return host === `127.0.0.1:${port}` || host.toLowerCase() === `localhost:${port}`;
}

/**
 * The asset a URL path names, as a relative path inside the app's folder, or
 * undefined for anything that could leave it: `..` segments (also when
 * percent-encoded, once or twice), backslashes, NUL, drive letters, or a
 * malformed escape. `/` is the app's index.html.
 */
export function assetName(urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  // A '%' left after one decoding is a second layer of encoding (%252e%252e): no asset is named like that.
  if (/[%\\\0]/.test(decoded) || /^\/*[a-zA-Z]:/.test(decoded)) return undefined;
  if (decoded.split('/').some((segment) => segment === '..' || segment === '.')) return undefined;
  const normal = posix.normalize(decoded).replace(/^\/+/, '');
  if (normal.startsWith('..')) return undefined;
  return normal === '' ? 'index.html' : normal;
}
