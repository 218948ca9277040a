import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for a Go service's net/http/pprof that serves real captures
 * (testdata fixtures of Go programs): each path answers with its files in
 * turn, so consecutive rounds fetch different profiles and a test can tell
 * which one a snapshot holds. `?seconds=` is not waited for.
 */
export interface FixtureServer {
  url: string;
  /** Requests answered so far, per path without its query. */
  served: Map<string, number>;
  close: () => Promise<void>;
}

const TESTDATA = new URL('../../testdata/', import.meta.url).pathname;

/** What each request of a watch round gets (paths under /debug/pprof/, `heap?debug=1` for the MemStats text). */
export const ROUND_FIXTURES: Record<string, string[]> = {
  heap: ['go1.26/diff/before.heap.pb.gz', 'go1.26/diff/after.heap.pb.gz', 'go1.26/heap/heap.pb.gz'],
  'heap?debug=1': ['go1.26/heap/heap.txt'],
  goroutine: ['go1.26/goroutines/goroutine.pb.gz'],
  allocs: ['go1.26/heap/allocs.pb.gz'],
  mutex: ['go1.26/contention/mutex.pb.gz'],
  block: ['go1.26/contention/block.pb.gz'],
};

export async function fixtureServer(fixtures: Record<string, string[]> = ROUND_FIXTURES): Promise<FixtureServer> {
  const files = new Map(Object.entries(fixtures).map(([k, list]) => [k, list.map((f) => readFileSync(TESTDATA + f))]));
  const served = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const name = url.pathname.replace(/^\/debug\/pprof\/?/, '') + (url.searchParams.get('debug') === '1' ? '?debug=1' : '');
    const list = files.get(name);
    if (!list) {
      res.writeHead(404).end('Unknown profile\n');
      return;
    }
    const n = served.get(name) ?? 0;
    served.set(name, n + 1);
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(list[n % list.length]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    served,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
