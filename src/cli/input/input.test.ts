import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { FormatError } from '../../formats/errors.js';
import { runCli } from '../../testkit/run-cli.js';
import { runCliChild } from '../../testkit/run-child.js';
import { openInput } from './open.js';
import { readWhole } from './read.js';
import { adjustUrl, urlName } from './url.js';

/**
 * Issue 15.6: every command reads `-` (stdin) and http(s) URLs, as go tool
 * pprof fetches them. A loopback server started here serves the real
 * fixtures; it listens on 127.0.0.1 only and is closed (its connections
 * too) when the file's tests end.
 */

const TESTDATA = new URL('../../../testdata/', import.meta.url).pathname;
const fixture = (rel: string) => readFileSync(join(TESTDATA, rel));

let server: Server;
let base = '';
const sockets = new Set<Socket>();
const requests: string[] = [];

before(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push(req.url ?? '');
    const path = url.pathname;
    if (path.startsWith('/testdata/')) {
      res.end(fixture(path.slice('/testdata/'.length)));
    } else if (path === '/debug/pprof/heap') {
      res.end(fixture('go1.26/heap/heap.pb.gz'));
    } else if (path === '/debug/pprof/nosuch') {
      // What net/http/pprof answers for an unknown profile.
      res.writeHead(404, { 'X-Go-Pprof': '1', 'Content-Type': 'text/plain; charset=utf-8' }).end('Unknown profile\n');
    } else if (path === '/fails') {
      res.writeHead(500).end('<html>oops</html>');
    } else if (path === '/moved') {
      res.writeHead(302, { Location: '/testdata/go1.26/heap/heap.pb.gz' }).end();
    } else if (path === '/silent') {
      // Never answers: the client's timeout must end it.
    } else if (path === '/endless') {
      const chunk = path === '/endless' && url.searchParams.has('text') ? Buffer.alloc(1 << 16, 0x20) : Buffer.alloc(1 << 16);
      if (url.searchParams.has('text')) res.write('heap profile: 1: 1 [1: 1] @ heap/1\n');
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
      };
      res.on('drain', pump);
      pump();
    } else {
      res.writeHead(404).end();
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  const address = server.address();
  assert.ok(address && typeof address === 'object');
  base = `http://127.0.0.1:${address.port}`;
});

after(() => {
  for (const s of sockets) s.destroy();
  server.close();
});

/**
 * The CLI in this process, except `trace`: its reader blocks this thread
 * while a reader thread fetches, and this thread is also the server.
 */
function cli(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return args[0] === 'trace' ? runCliChild(args, { timeoutMs: 60_000 }) : runCli(args);
}

/** A command's output on a file and on the same bytes fetched from the server, each with its own name blanked. */
async function sameOnUrl(args: string[], rel: string): Promise<void> {
  const file = join(TESTDATA, rel);
  const url = `${base}/testdata/${rel}`;
  const a = await runCli([...args, file]);
  const b = await cli([...args, url]);
  assert.equal(a.code, 0, a.err);
  assert.equal(b.code, a.code, b.err);
  assert.equal(b.out.replaceAll(url, 'INPUT'), a.out.replaceAll(file, 'INPUT'));
}

const ON_URL: [string[], string][] = [
  [['top'], 'go1.26/heap/heap.pb.gz'],
  [['top', '-lines'], 'go1.23/heap/heap.txt'],
  [['peek', 'main\\.'], 'go1.26/heap/allocs.pb.gz'],
  [['traces'], 'go1.26/contention/mutex.pb.gz'],
  [['export', '--format=collapsed'], 'go1.26/heap/heap.pb.gz'],
  [['heap'], 'go1.26/heap/heap.txt'],
  [['goroutines'], 'go1.26/goroutines/goroutine.debug2.txt'],
  [['contention'], 'go1.26/contention/block.pb.gz'],
  [['gc'], 'go1.26/gctrace/gogc100.log'],
  [['escapes'], 'go1.26/escapes/m2.txt'],
  [['trace'], 'go1.26/trace/tracewriter.trace.gz'],
];

for (const [args, rel] of ON_URL) {
  test(`URL input: ${args.join(' ')} reads ${rel} from an http URL as from the file`, () => sameOnUrl(args, rel));
}

test('URL input: --base and --memstats take URLs too', async () => {
  const before = `${base}/testdata/go1.26/heap/allocs.pb.gz`;
  const r = await runCli(['top', `--base=${before}`, `${base}/testdata/go1.26/heap/allocs.pb.gz`]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /Showing nodes accounting for 0, 0% of 0 total/);
  const g = await runCli(['goroutines', '--memstats', `${base}/testdata/go1.26/heap/heap.txt`, join(TESTDATA, 'go1.26/goroutines/goroutine.txt')]);
  assert.equal(g.code, 0, g.err);
  assert.match(g.out, /StackInuse from MemStats/);
});

test('URL input: under an 8 GiB address-space limit (ulimit -v) a URL is still fetched, by every kind of reader', async () => {
  // fetch's HTTP parser is WebAssembly, for which V8 reserves about 10 GiB: it failed here, then crashed the process.
  for (const args of [['top'], ['trace']]) {
    const rel = args[0] === 'trace' ? 'go1.26/trace/stdtest.trace.gz' : 'go1.26/heap/heap.pb.gz';
    const r = await runCliChild([...args, `${base}/testdata/${rel}`], { timeoutMs: 60_000, addressSpaceKiB: 8 * 2 ** 20 });
    const file = join(TESTDATA, rel);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out.replaceAll(`${base}/testdata/${rel}`, 'INPUT'), (await runCli([...args, file])).out.replaceAll(file, 'INPUT'));
  }
});

test('URL input: a redirect is followed', async () => {
  const r = await runCli(['top', `${base}/moved`]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /Type: inuse_space/);
});

test("URL input: --seconds sets the URL's seconds, as pprof -seconds does; a URL's own seconds is kept", async () => {
  requests.length = 0;
  assert.equal((await runCli(['top', '--seconds', '3', `${base}/debug/pprof/heap`])).code, 0);
  assert.equal((await runCli(['top', `${base}/debug/pprof/heap?seconds=2&gc=1`])).code, 0);
  assert.deepEqual(requests, ['/debug/pprof/heap?seconds=3', '/debug/pprof/heap?seconds=2&gc=1']);
});

test("URL input: the timeout follows pprof's adjustURL: 60 s, 1.5 x seconds, or --timeout", () => {
  assert.equal(adjustUrl('http://h/debug/pprof/heap', {}).timeoutMs, 60_000);
  assert.equal(adjustUrl('http://h/debug/pprof/profile?seconds=30', {}).timeoutMs, 45_000);
  const set = adjustUrl('http://h/debug/pprof/trace?seconds=30', { seconds: 10 });
  assert.equal(set.url.href, 'http://h/debug/pprof/trace?seconds=10');
  assert.equal(set.timeoutMs, 15_000);
  assert.equal(adjustUrl('http://h/x?seconds=30', { timeoutSeconds: 5 }).timeoutMs, 5_000);
  assert.equal(urlName(new URL('http://user:secret@h/x')), 'http://user:***@h/x');
});

async function expectOneLine(args: string[], line: RegExp): Promise<void> {
  const r = await cli(args);
  assert.equal(r.code, 2, r.err);
  assert.equal(r.out, '');
  assert.match(r.err, line);
  assert.equal(r.err.split('\n').length, 2, `one line: ${JSON.stringify(r.err)}`);
}

test("URL input: an HTTP error is one line with the URL, the status and the server's first line", async () => {
  await expectOneLine(['top', `${base}/debug/pprof/nosuch`], new RegExp(`^footprint top: ${base}/debug/pprof/nosuch: HTTP 404 Not Found: Unknown profile\\n$`));
  await expectOneLine(['goroutines', `${base}/fails`], new RegExp(`^footprint goroutines: ${base}/fails: HTTP 500 Internal Server Error: <html>oops</html>\\n$`));
  await expectOneLine(['trace', `${base}/fails`], new RegExp(`^footprint trace: ${base}/fails: HTTP 500 Internal Server Error: <html>oops</html>\\n$`));
});

test('URL input: no server, and a server that never answers, are one line each', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as { port: number }).port;
  await new Promise((resolve) => closed.close(resolve));
  await expectOneLine(['heap', `http://127.0.0.1:${port}/debug/pprof/heap`], /^footprint heap: http:\/\/127\.0\.0\.1:\d+\/debug\/pprof\/heap: connection refused\n$/);
  await expectOneLine(['top', '--timeout', '1', `${base}/silent`], /: no complete answer within 1 s\n$/);
  await expectOneLine(['top', 'http://[::1'], /^footprint top: "http:\/\/\[::1" is not a valid URL\n$/);
});

test('URL input: an endless body of zeros is refused from its first 64 KiB, by every reader', async () => {
  await expectOneLine(['top', `${base}/endless`], /: not a profile: expected profile\.proto or a legacy pprof text profile, found binary data\n$/);
  await expectOneLine(['gc', `${base}/endless`], /: binary data, not a gctrace log/);
  await expectOneLine(['trace', `${base}/endless`], /: not a Go execution trace/);
});

test("URL input: a body past its format's limit is refused at the limit, plain or gzip", async () => {
  const small = { bytes: 1 << 20, what: 'a test input' };
  const admit = () => small;
  await assert.rejects(readWhole(await openInput(`${base}/endless?text`), admit), (err: unknown) => {
    assert.ok(err instanceof FormatError);
    assert.equal(err.describe(), `${base}/endless?text: larger than 1 MiB, the most footprint reads of a test input`);
    return true;
  });
  const bomb = `${base}/testdata/${'go1.26/heap/heap.pb.gz'}`;
  assert.ok((await readWhole(await openInput(bomb), admit)).length > 0, 'a real profile fits');
});

test('stdin: - reads a piped profile, dump or gzipped trace, as from the file', async () => {
  for (const [args, rel] of [
    [['top'], 'go1.26/heap/heap.pb.gz'],
    [['goroutines'], 'go1.26/goroutines/goroutine.debug2.txt'],
    [['trace'], 'go1.26/trace/tracewriter.trace.gz'],
  ] as const) {
    const file = join(TESTDATA, rel);
    const piped = await runCliChild([...args, '-'], { stdin: fixture(rel), timeoutMs: 60_000 });
    const named = await runCli([...args, file]);
    assert.equal(piped.code, 0, piped.err);
    assert.equal(piped.out.replaceAll('<stdin>', 'INPUT'), named.out.replaceAll(file, 'INPUT'), `${args[0]} -`);
  }
});

test('stdin: - given twice is a usage error', async () => {
  await expectOneLine(['top', '-', '-'], /^footprint top: - \(stdin\) can be read only once\n$/);
});

test('gzip as a stream: several members, and a member split across reads, inflate as one input', async () => {
  const raw = fixture('go1.26/goroutines/goroutine.debug2.txt');
  const half = raw.length >> 1;
  const twoMembers = Buffer.concat([gzipSync(raw.subarray(0, half)), gzipSync(raw.subarray(half))]);
  const chunks = (async function* () {
    for (let i = 0; i < twoMembers.length; i += 1) yield twoMembers.subarray(i, i + 1); // one byte at a time
  })();
  const bytes = await readWhole({ name: 'split', chunks, close() {} }, () => ({ bytes: 1 << 24, what: 'a test input' }));
  assert.deepEqual(Buffer.from(bytes), raw);
});
