import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Diagnosis } from '../analyze/doctor/types.js';
import type { Manifest } from '../collect/manifest.js';
import { runCli } from '../testkit/run-cli.js';
import { tempDir } from '../testkit/temp.js';

/**
 * A local server that plays a pprof endpoint and misbehaves on purpose:
 * errors, hangs, bodies cut short, a server that is not pprof at all, and
 * one that goes away. Everything it serves otherwise is a real capture of a
 * Go 1.26 program from testdata/.
 */

const TESTDATA = new URL('../../testdata/', import.meta.url).pathname;
const BIN = new URL('../../bin/footprint.js', import.meta.url).pathname;
const tmp = tempDir(after, 'doctor-faults');

type Behaviour = { status: number; body: string } | { file: string; gunzip?: boolean } | 'hang' | 'cut';

/** Real artefacts for each endpoint, keyed by path and whether it asks for text (debug=N). */
const REAL: Record<string, Behaviour> = {
  '/debug/pprof/': { status: 200, body: '<html>Types of profiles available: allocs block goroutine heap mutex trace</html>' },
  '/debug/pprof/heap': { file: 'go1.26/heap/heap.pb.gz' },
  '/debug/pprof/heap?debug': { file: 'go1.26/heap/heap.txt' },
  '/debug/pprof/allocs': { file: 'go1.26/heap/allocs.pb.gz' },
  '/debug/pprof/goroutine': { file: 'go1.26/goroutines/goroutine.pb.gz' },
  '/debug/pprof/goroutine?debug': { file: 'go1.26/goroutines/goroutine.debug2.txt' },
  '/debug/pprof/mutex': { file: 'go1.26/contention/mutex.pb.gz' },
  '/debug/pprof/mutex?debug': { file: 'go1.26/contention/mutex.txt' },
  '/debug/pprof/block': { file: 'go1.26/contention/block.pb.gz' },
  '/debug/pprof/block?debug': { file: 'go1.26/contention/block.txt' },
  '/debug/pprof/trace': { file: 'go1.26/trace/stdtest.trace.gz', gunzip: true },
  '/debug/vars': { file: 'zoo/boxing/vars.json' },
};

const open = new Set<ServerResponse>();

function serve(behaviours: Record<string, Behaviour>): Promise<{ url: string; server: Server }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const key = `${url.pathname}${url.searchParams.has('debug') ? '?debug' : ''}`;
    const b = behaviours[key] ?? behaviours[url.pathname] ?? { status: 404, body: '404 page not found' };
    if (b === 'hang') {
      open.add(res);
      return;
    }
    if (b === 'cut') {
      res.writeHead(200, { 'content-length': '100000' });
      res.write(Buffer.alloc(5000, 1));
      setTimeout(() => res.destroy(), 20);
      return;
    }
    if ('status' in b) {
      res.writeHead(b.status, { 'content-type': 'text/plain' });
      res.end(b.body);
      return;
    }
    const data = readFileSync(join(TESTDATA, b.file));
    res.writeHead(200);
    res.end(b.gunzip ? gunzipSync(data) : data);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      after(() => {
        for (const r of open) r.destroy();
        server.close();
      });
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server });
    }),
  );
}

test('a service that fails some endpoints gives a partial report that names each failure in one line', { timeout: 30_000 }, async () => {
  const { url } = await serve({
    ...REAL,
    '/debug/pprof/heap': { status: 500, body: 'boom\nand a second line' },
    '/debug/pprof/allocs': 'hang',
    '/debug/pprof/goroutine': 'cut',
    '/debug/pprof/mutex': { status: 404, body: 'profile not found' },
  });
  const out = join(tmp, 'partial');
  const r = await runCli(['doctor', '--json', '--duration', '1s', '--timeout', '1s', '--heap-profiles', '3', '--out', out, url]);
  assert.equal(r.code, 0, r.err);
  const d = JSON.parse(r.out) as Diagnosis;
  const failed = Object.fromEntries(d.captures.filter((c) => c.status === 'failed').map((c) => [c.name, c.error!]));
  assert.deepEqual(Object.keys(failed).sort(), ['allocs', 'goroutine-end', 'goroutine-start', 'heap-1', 'heap-2', 'heap-3', 'mutex']);
  assert.match(failed['heap-1']!, /^HTTP 500 Internal Server Error: boom$/);
  assert.match(failed['allocs']!, /^no complete answer within 2 s$/);
  assert.match(failed['goroutine-start']!, /^connection closed after .* before the end of the body$/);
  assert.match(failed['mutex']!, /^HTTP 404 Not Found: profile not found$/);
  for (const e of Object.values(failed)) assert.ok(!e.includes('\n'), `one line: ${e}`);
  // What did arrive is diagnosed: the dump at the end still shows its goroutines, the block profile its waits.
  assert.ok(d.findings.length > 0);
  assert.ok(d.captures.some((c) => c.name === 'goroutine-dump' && c.status === 'ok'));
  // Nothing half-written is left under a real name, and the manifest says what happened.
  assert.deepEqual(readdirSync(out).filter((f) => f.endsWith('.part')), []);
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
  assert.equal(manifest.artefacts.filter((a) => a.status === 'failed').length, 7);
  // The text report, read offline from the capture, lists each failed endpoint.
  const text = await runCli(['doctor', out]);
  assert.equal(text.code, 0, text.err);
  const section = text.out.slice(text.out.indexOf('Could not collect'));
  for (const name of Object.keys(failed)) assert.match(section, new RegExp(`^  - ${name}: `, 'm'));
});

test('a URL that is not a pprof server, or nothing listening: one line, exit 2', { timeout: 20_000 }, async () => {
  const { url } = await serve({ '/': { status: 200, body: 'hello' } });
  const notPprof = await runCli(['doctor', '--duration', '1s', '--out', join(tmp, 'x'), url]);
  assert.equal(notPprof.code, 2);
  assert.match(notPprof.err, /not a Go pprof server: GET \/debug\/pprof\/ answered HTTP 404 Not Found/);
  assert.equal(notPprof.err.trim().split('\n').length, 1);
  assert.ok(!existsSync(join(tmp, 'x')), 'no capture folder for a wrong address');
  const gone = await serve({});
  await new Promise((r) => gone.server.close(r));
  const down = await runCli(['doctor', '--duration', '1s', '--out', join(tmp, 'y'), gone.url]);
  assert.equal(down.code, 2);
  assert.match(down.err, /cannot reach the service: connection refused/);
  assert.equal(down.err.trim().split('\n').length, 1);
});

test('Ctrl-C during the window keeps what arrived and still reports', { timeout: 30_000 }, async () => {
  const { url } = await serve({ ...REAL, '/debug/pprof/allocs': 'hang' });
  const out = join(tmp, 'interrupted');
  const child = spawn(process.execPath, [BIN, 'doctor', '--duration', '20s', '--trace-seconds', '0', '--out', out, url], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  // Once the first artefacts are on disk, interrupt.
  const start = Date.now();
  while (!existsSync(join(out, 'heap-1.pb.gz')) && Date.now() - start < 10_000) await new Promise((r) => setTimeout(r, 50));
  child.kill('SIGINT');
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  assert.equal(code, 0);
  assert.ok(Date.now() - start < 15_000, 'stopped well before the 20 s window');
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
  assert.equal(manifest.interrupted, true);
  assert.ok(manifest.artefacts.some((a) => a.name === 'heap-1' && a.status === 'ok'));
  assert.ok(manifest.notes.some((n) => /^interrupted after .* not collected: .*heap-3/.test(n)), manifest.notes.join('\n'));
  assert.match(stdout, /Findings, most costly first/);
  assert.match(stdout, /\(interrupted\)/);
});
