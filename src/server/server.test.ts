import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:net';
import { readFileSync } from 'node:fs';
import { datasetsFromFiles } from './datasets.js';
import { assetName, hostAllowed } from './security.js';
import { startUiServer, type UiServer } from './server.js';

const testdata = (p: string) => ({ name: p, bytes: readFileSync(new URL(`../../testdata/${p}`, import.meta.url)) });

/** One raw request: any method, path and Host, as a hostile page or tool would send them. */
function raw(server: UiServer, path: string, options: { method?: string; host?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, path, method: options.method ?? 'GET', headers: { Host: options.host ?? `127.0.0.1:${server.port}`, ...options.headers } },
      (res) => {
        let body = '';
        res.setEncoding('latin1');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** An HTTP/1.0 request with no Host header (a client may omit it there). */
function noHost(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end('GET /api/session HTTP/1.0\r\n\r\n'));
    let out = '';
    socket.setEncoding('latin1');
    socket.on('data', (c: string) => (out += c));
    socket.on('end', () => resolve(out));
    socket.on('error', reject);
  });
}

test('asset names: traversal in any spelling is refused, plain names pass', () => {
  assert.equal(assetName('/'), 'index.html');
  assert.equal(assetName('/app.js'), 'app.js');
  for (const bad of ['/../package.json', '/a/../../b', '/%2e%2e/package.json', '/%2E%2E%2Fpackage.json', '/%252e%252e/x', '/..%5c..%5cx', '/..\\x', '/%00', '/C:/Windows/win.ini', '/%c0%ae%c0%ae/x', '/./app.js', '/%']) {
    assert.equal(assetName(bad), undefined, bad);
  }
});

test('hosts: only the loopback address and localhost with our port', () => {
  assert.ok(hostAllowed('127.0.0.1:8080', 8080));
  assert.ok(hostAllowed('localhost:8080', 8080));
  assert.ok(hostAllowed('LOCALHOST:8080', 8080));
  for (const bad of [undefined, '', '127.0.0.1', '127.0.0.1:8081', 'evil.example:8080', 'localhost.evil.example:8080', '127.0.0.1.nip.io:8080', '[::1]:8080', '0.0.0.0:8080']) {
    assert.equal(hostAllowed(bad, 8080), false, String(bad));
  }
});

test('the server refuses foreign hosts, other methods and paths outside the app, and sends its CSP on every answer', { timeout: 60_000 }, async (t) => {
  const server = await startUiServer(datasetsFromFiles([testdata('go1.26/heap/heap.pb.gz')]));
  t.after(() => server.close());
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);

  const home = await raw(server, '/');
  assert.equal(home.status, 200);
  assert.match(home.body, /<body data-ready="">/);
  assert.match(String(home.headers['content-security-policy']), /default-src 'self'/);
  assert.equal(home.headers['x-content-type-options'], 'nosniff');

  // DNS rebinding: a page at evil.example resolved to 127.0.0.1 sends its own Host.
  for (const host of ['evil.example', `evil.example:${server.port}`, `127.0.0.1:${server.port + 1}`, `127.0.0.1.nip.io:${server.port}`]) {
    const r = await raw(server, '/api/session', { host });
    assert.equal(r.status, 403, `Host ${host}`);
    assert.doesNotMatch(r.body, /profiles/);
    assert.match(String(r.headers['content-security-policy']), /default-src 'self'/);
  }
  assert.equal((await raw(server, '/api/session', { host: `localhost:${server.port}` })).status, 200);
  assert.match(await noHost(server.port), /^HTTP\/1\.[01] 403/, 'no Host header at all');

  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
    const r = await raw(server, '/api/session', { method });
    assert.equal(r.status, 405, method);
    assert.equal(r.headers['allow'], 'GET, HEAD');
  }
  assert.equal((await raw(server, '/api/session', { headers: { 'Sec-Fetch-Site': 'cross-site' } })).status, 403);

  const secret = readFileSync(new URL('../../package.json', import.meta.url), 'utf8').slice(0, 40);
  for (const path of ['/../package.json', '/../../package.json', '/%2e%2e/%2e%2e/package.json', '/..%2f..%2fpackage.json', '/%252e%252e/package.json', '/..%5c..%5cpackage.json', '//etc/passwd', '/etc/passwd', '/server/server.js', '/index.html/../../../package.json']) {
    const r = await raw(server, path);
    assert.ok(r.status === 400 || r.status === 404, `${path}: ${r.status}`);
    assert.ok(!r.body.includes(secret) && !r.body.includes('root:'), path);
  }
  const api = await raw(server, '/api/flame?p=7');
  assert.equal(api.status, 400);
  assert.match(api.body, /p=7: there are 1/);
  const bad = await raw(server, '/api/match?p=0&re=(?=x)');
  assert.equal(bad.status, 400);
  assert.match(bad.body, /error parsing regexp/);
});

test('the data API: a session of every kind of input, the flame tree in binary, findings with links', { timeout: 120_000 }, async (t) => {
  const data = datasetsFromFiles([
    testdata('go1.26/heap/heap.pb.gz'),
    testdata('go1.26/gctrace/gogc100.log'),
    testdata('go1.26/trace/stdtest.trace.gz'),
    testdata('go1.26/stuck/goroutine.before.debug2.txt'),
    testdata('go1.26/stuck/goroutine.debug2.txt'),
  ]);
  const server = await startUiServer(data);
  t.after(() => server.close());
  const session = JSON.parse((await raw(server, '/api/session')).body) as { views: string[]; start: string; profiles: { kind: string }[] };
  assert.deepEqual(session.views, ['findings', 'flame', 'timeline', 'trace', 'goroutines']);
  assert.equal(session.start, 'flame');
  assert.equal(session.profiles[0]!.kind, 'heap');
  const flame = await raw(server, '/api/flame?p=0&si=alloc_space');
  assert.equal(flame.headers['content-type'], 'application/octet-stream');
  assert.equal(flame.body.slice(0, 4), 'FPF1');
  const findings = JSON.parse((await raw(server, '/api/findings')).body) as { finding: { kind: string }; link?: { view: string } }[];
  const churn = findings.find((f) => f.finding.kind === 'allocation-churn');
  assert.equal(churn?.link?.view, 'flame');
  assert.ok(findings.some((f) => f.link?.view === 'goroutines'));
  const goroutines = JSON.parse((await raw(server, '/api/goroutines')).body) as { diff: { totalBefore: number; totalAfter: number } };
  assert.deepEqual([goroutines.diff.totalBefore, goroutines.diff.totalAfter], [138, 168]);
  const gc = JSON.parse((await raw(server, '/api/gc?whatif=gogc:200')).body) as { whatIf: { gogc: number }[]; baselineSeries: unknown[]; cycles: unknown[] };
  assert.deepEqual(gc.whatIf.map((w) => w.gogc), [200]);
  assert.ok(gc.baselineSeries.length > gc.cycles.length / 2, 'the log replayed at its own setting');
  assert.equal((await raw(server, '/api/gc?whatif=gogc:lots')).status, 400);
});
