import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { UiApi, type ApiResponse } from './api.js';
import type { Datasets } from './datasets.js';
import { assetName, hostAllowed, SECURITY_HEADERS } from './security.js';

/** Where the build puts the app (web/build.mjs): dist/ui beside dist/server. */
export const DEFAULT_ASSETS = fileURLToPath(new URL('../ui/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
};

export interface UiServerOptions {
  /** 0 (the default) takes any free port. */
  port?: number;
  sampleIndex?: string;
  /** The built app's folder; the default is dist/ui. */
  assets?: string;
}

export interface UiServer {
  url: string;
  port: number;
  api: UiApi;
  close(): Promise<void>;
}

/**
 * Serves the app and its data API on 127.0.0.1 only. Every request is
 * checked before routing: the Host header must name this server (DNS
 * rebinding), the method must be GET or HEAD, and a path must name one of
 * the app's own files, read into memory at start (nothing else on disk can be
 * reached, whatever the path says). A store (`data.store`) is read through
 * the data API only, and the CLI opens it read-only.
 */
export async function startUiServer(data: Datasets, options: UiServerOptions = {}): Promise<UiServer> {
  const assets = loadAssets(options.assets ?? DEFAULT_ASSETS);
  const api = new UiApi(data, options.sampleIndex ? { sampleIndex: options.sampleIndex } : {});
  api.prepare();
  let port = 0;
  const server = createServer((req, res) => respond(req, res, port, assets, api));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/`, port, api, close: () => closeServer(server) };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** The app's files, by their path relative to its folder. */
function loadAssets(dir: string): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p).split('\\').join('/'), readFileSync(p));
    }
  };
  try {
    walk(dir);
  } catch (err) {
    throw new Error(`the web app is not built (${(err as Error).message}); run npm run build`);
  }
  if (!out.has('index.html')) throw new Error(`the web app is not built: no index.html in ${dir}; run npm run build`);
  return out;
}

function send(res: ServerResponse, r: ApiResponse, headOnly: boolean, extra: Record<string, string> = {}): void {
  const body = typeof r.body === 'string' ? Buffer.from(r.body) : r.body;
  res.writeHead(r.status, { ...SECURITY_HEADERS, 'Content-Type': r.type, 'Content-Length': String(body.length), ...extra });
  res.end(headOnly ? undefined : body);
}

const refusal = (status: number, text: string): ApiResponse => ({ status, type: 'text/plain; charset=utf-8', body: text + '\n' });

function respond(req: IncomingMessage, res: ServerResponse, port: number, assets: Map<string, Uint8Array>, api: UiApi): void {
  const headOnly = req.method === 'HEAD';
  if (!hostAllowed(req.headers.host, port)) return send(res, refusal(403, 'forbidden: this server answers only to 127.0.0.1 and localhost'), headOnly);
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, refusal(405, 'method not allowed: GET only'), headOnly, { Allow: 'GET, HEAD' });
  if (req.headers['sec-fetch-site'] === 'cross-site') return send(res, refusal(403, 'forbidden: cross-site request'), headOnly);
  const raw = req.url ?? '/';
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
  if (path.startsWith('/api/')) {
    void api.handle(path.slice('/api/'.length), query).then(
      (r) => send(res, r, headOnly, { 'Cache-Control': 'no-store' }),
      (err: unknown) => send(res, refusal(500, `internal error: ${(err as Error).message}`), headOnly),
    );
    return;
  }
  const name = assetName(path);
  if (name === undefined) return send(res, refusal(400, 'bad path'), headOnly);
  const body = assets.get(name);
  if (!body) return send(res, refusal(404, 'not found'), headOnly);
  send(res, { status: 200, type: TYPES[extname(name)] ?? 'application/octet-stream', body }, headOnly);
}
