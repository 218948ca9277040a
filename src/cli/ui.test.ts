import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { fillStore } from '../testkit/stores.js';
import { tempDir } from '../testkit/temp.js';
import { UsageError } from './args.js';
import { captureIo } from './io.js';
import { runUi } from './ui.js';

/**
 * footprint ui from the command line: the URL is the first line on stdout,
 * the server answers there until the stop signal, and bad flags are usage
 * errors. (The app itself is tested in src/server/ui.browser.test.ts.)
 */

const fixture = (p: string) => fileURLToPath(new URL(`../../testdata/${p}`, import.meta.url));

/** Runs `footprint ui` until `body` is done with the URL it printed. */
async function serve(argv: string[], body: (url: string) => Promise<void>): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = captureIo();
  let stop = () => {};
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const running = runUi(argv, io, stopped);
  const deadline = Date.now() + 60_000;
  while (!io.stdout().includes('\n')) {
    if (Date.now() > deadline) throw new Error('no URL printed');
    await new Promise((r) => setTimeout(r, 20));
  }
  try {
    await body(io.stdout().split('\n')[0]!);
  } finally {
    stop();
  }
  return { code: await running, stdout: io.stdout(), stderr: io.stderr() };
}

test('footprint ui prints its loopback URL first, serves the app and the session there, and stops on the signal', { timeout: 120_000 }, async () => {
  const r = await serve(['--no-open', '--sample_index=alloc_space', fixture('go1.26/heap/heap.pb.gz'), fixture('go1.26/gctrace/gogc100.log')], async (url) => {
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetch(url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<body/);
    const session = (await (await fetch(`${url}api/session`)).json()) as { views: string[]; profiles: { sampleTypes: { type: string }[]; sampleIndex: number }[] };
    assert.deepEqual(session.views, ['findings', 'flame', 'timeline']);
    const p = session.profiles[0]!;
    assert.equal(p.sampleTypes[p.sampleIndex]!.type, 'alloc_space', '--sample_index picks what the graph opens on');
  });
  assert.equal(r.code, 0);
  assert.equal(r.stdout.split('\n').filter(Boolean).length, 1, 'stdout holds the URL only');
  assert.match(r.stderr, /serving on 127\.0\.0\.1 only/);
});

test('footprint ui --json prints {url}; bad flags and no input are usage errors', { timeout: 120_000 }, async () => {
  const r = await serve(['--no-open', '--json', fixture('go1.26/heap/heap.pb.gz')], async () => {});
  assert.match((JSON.parse(r.stdout.split('\n')[0]!) as { url: string }).url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  await assert.rejects(runUi(['--port', 'x', fixture('go1.26/heap/heap.pb.gz')], captureIo(), Promise.resolve()), UsageError);
  await assert.rejects(runUi(['--no-open'], captureIo(), Promise.resolve()), UsageError);
  await assert.rejects(runUi(['--diff_base', fixture('go1.26/heap/heap.pb.gz'), fixture('captures/go1.26/lockpile')], captureIo(), Promise.resolve()), UsageError);
});

test('footprint ui --store opens the store read-only, alone or with files; a missing store and --diff_base without files are refused', { timeout: 120_000 }, async (t) => {
  const { dest, growing } = await fillStore(tempDir(t, 'ui-cli-store'));
  const alone = await serve(['--no-open', '--store', dest], async (url) => {
    const session = (await (await fetch(`${url}api/session`)).json()) as { title: string; views: string[]; start: string };
    assert.deepEqual(session, { ...session, title: dest, views: ['store', 'flame'], start: 'store' });
    const store = (await (await fetch(`${url}api/store`)).json()) as { snapshots: { id: number }[] };
    assert.deepEqual(store.snapshots.map((s) => s.id).slice(0, growing.length), growing);
  });
  assert.equal(alone.code, 0);
  await serve(['--no-open', '--store', `sqlite:${dest}`, fixture('go1.26/heap/heap.pb.gz')], async (url) => {
    const session = (await (await fetch(`${url}api/session`)).json()) as { views: string[]; profiles: unknown[] };
    assert.deepEqual(session.views, ['store', 'findings', 'flame']);
    assert.equal(session.profiles.length, 1);
    // A snapshot opened first does not join the findings of the files given.
    assert.equal((await fetch(`${url}api/store/open?id=${growing[0]}&kind=heap`)).status, 200);
    const findings = (await (await fetch(`${url}api/findings`)).json()) as { from: string }[];
    assert.ok(findings.length > 0);
    assert.deepEqual([...new Set(findings.map((f) => f.from))], [fixture('go1.26/heap/heap.pb.gz')]);
  });
  await assert.rejects(runUi(['--no-open', '--store', `${dest}.missing`], captureIo(), Promise.resolve()), /no store at .*\.missing/);
  await assert.rejects(runUi(['--no-open', '--store', dest, '--diff_base', fixture('go1.26/heap/heap.pb.gz')], captureIo(), Promise.resolve()), UsageError);
});
