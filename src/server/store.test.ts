import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Store } from '../collect/store/index.js';
import { runCli } from '../testkit/run-cli.js';
import { fillStore, GROWING_TARGET, QUIET_TARGET, STORE_FIXTURES, storedRound } from '../testkit/stores.js';
import { tempDir } from '../testkit/temp.js';
import type { Datasets } from './datasets.js';
import { startUiServer, type UiServer } from './server.js';
import type { StoreOverview } from './store.js';
import type { FlameHeader } from '../model/flame-wire.js';

/**
 * footprint ui --store's data API against a real SQLite store written by the
 * store's own code (testkit/stores.ts): what it lists and finds is what
 * `footprint history --json` prints, and an opened snapshot's flame tree
 * totals are `footprint top DEST#ID`'s.
 */

const filled = await fillStore(tempDir(after, 'ui-store'));
const { dest } = filled;

async function withStoreServer(body: (server: UiServer) => Promise<void>): Promise<void> {
  const store = await Store.open(dest, { create: false, readOnly: true });
  const data: Datasets = { title: store.description, profiles: [], gcLogs: [], traces: [], goroutines: [], notes: [], store };
  const server = await startUiServer(data);
  try {
    await body(server);
  } finally {
    await server.close();
    await store.close();
  }
}

async function getJson<T>(server: UiServer, path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${server.url}api/${path}`);
  return { status: res.status, body: (await res.json()) as T };
}

/** The flame body's JSON header (wire.ts: magic, u32 length, header) and the root's value (the tree's total). */
async function flame(server: UiServer, query: string): Promise<{ header: FlameHeader; root: number }> {
  const buf = Buffer.from(await (await fetch(`${server.url}api/flame?${query}`)).arrayBuffer());
  const length = buf.readUInt32LE(4);
  const header = JSON.parse(buf.subarray(8, 8 + length).toString('utf8')) as FlameHeader;
  const pad8 = (n: number) => Math.ceil(n / 8) * 8;
  const valuesAt = pad8(8 + length) + pad8(header.nodes * 2) + pad8(header.nodes * 4);
  return { header, root: buf.readDoubleLE(valuesAt) };
}

async function topJson(args: string[]): Promise<{ total: number; sampleType: string }> {
  const r = await runCli(['top', '--json', ...args]);
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out) as { total: number; sampleType: string };
}

const history = async () => {
  const r = await runCli(['history', '--store', dest, '--json']);
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out) as Pick<StoreOverview, 'snapshots'> & { findings: StoreOverview['findings'][number]['finding'][] };
};

test('the store view lists the snapshots and findings footprint history --json prints; each finding links to the first and last snapshot that show it', async () => {
  const expected = await history();
  await withStoreServer(async (server) => {
    const session = await getJson<{ views: string[]; start: string }>(server, 'session');
    assert.deepEqual(session.body.views, ['store', 'flame']);
    assert.equal(session.body.start, 'store');
    const { status, body } = await getJson<StoreOverview>(server, 'store');
    assert.equal(status, 200);
    assert.equal(body.description, dest);
    assert.deepEqual(body.snapshots, expected.snapshots);
    assert.deepEqual(body.findings.map((f) => f.finding), expected.findings);
    const growth = body.findings.filter((f) => f.finding.kind === 'heap-growth');
    assert.ok(growth.length > 0, 'the growing heap is a finding');
    for (const f of growth) {
      assert.equal(f.target, GROWING_TARGET);
      assert.deepEqual(f.link, { snapshot: filled.growing.at(-1), kind: 'heap', base: filled.growing[0], sampleType: 'inuse_space', search: `^${f.finding.location!.function.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&')}$` });
    }
  });
});

test('an opened snapshot is a profile of the session: its flame tree totals are top DEST#ID\'s, a diff\'s are top --diff_base\'s', async () => {
  const [first, last] = [filled.growing[0]!, filled.growing.at(-1)!];
  await withStoreServer(async (server) => {
    for (const [kind, sampleType] of [['heap', 'inuse_space'], ['allocs', 'alloc_space']] as const) {
      const opened = await getJson<{ p: number; profile: { name: string; kind: string; diff: boolean } }>(server, `store/open?id=${last}&kind=${kind}`);
      assert.equal(opened.status, 200);
      assert.deepEqual(opened.body.profile && { name: opened.body.profile.name, kind: opened.body.profile.kind, diff: opened.body.profile.diff }, { name: `${dest}#${last}:${kind}`, kind, diff: false });
      const top = await topJson([`--sample_index=${sampleType}`, `${dest}#${last}:${kind}`]);
      const tree = await flame(server, `p=${opened.body.p}&si=${sampleType}`);
      assert.equal(tree.header.total, top.total);
      assert.equal(tree.root, top.total);
      // Opened again: the same profile, not a second copy.
      assert.equal((await getJson<{ p: number }>(server, `store/open?id=${last}&kind=${kind}`)).body.p, opened.body.p);
    }
    const diff = await getJson<{ p: number; profile: { name: string; diff: boolean } }>(server, `store/open?id=${last}&kind=heap&base=${first}`);
    assert.equal(diff.body.profile.diff, true);
    assert.equal(diff.body.profile.name, `${dest}#${last}:heap − ${dest}#${first}:heap`);
    const top = await topJson([`--diff_base=${dest}#${first}`, `${dest}#${last}`]);
    const tree = await flame(server, `p=${diff.body.p}&si=inuse_space`);
    assert.equal(tree.header.total, top.total);
    // pprof's total for a diff is the base's; the tree's root is the net change. The heap grew from 1 to 3.5
    // times the fixture (each value rounded): 2.5 fixture heaps, the fixture's total being the first snapshot's.
    const firstTotal = (await topJson([`${dest}#${first}`])).total;
    assert.equal(top.total, firstTotal);
    assert.ok(Math.abs(tree.root - 2.5 * firstTotal) <= tree.header.nodes, `${tree.root} vs 2.5 × ${firstTotal}`);
  });
});

test('the store is only read: a bad id or kind is a 400 with the store\'s reason, and the file is byte-identical after a session', async () => {
  const sha = () => createHash('sha256').update(readFileSync(dest)).digest('hex');
  const before = sha();
  await withStoreServer(async (server) => {
    await getJson(server, 'store');
    await getJson(server, `store/open?id=${filled.quiet}&kind=goroutine`);
    const missing = await getJson<{ error: string }>(server, 'store/open?id=999&kind=heap');
    assert.equal(missing.status, 400);
    assert.match(missing.body.error, /no snapshot 999/);
    const wrongKind = await getJson<{ error: string }>(server, `store/open?id=${filled.growing[0]}&kind=mutex`);
    assert.equal(wrongKind.status, 400);
    assert.match(wrongKind.body.error, /has no mutex profile \(it has: heap, allocs, memstats\)/);
    const badId = await getJson<{ error: string }>(server, 'store/open?id=x');
    assert.equal(badId.status, 400);
    assert.match(badId.body.error, /id=x: expected a snapshot id/);
  });
  assert.equal(sha(), before);
});

test('a store that watch is still writing: the next overview lists the new snapshot', async (t) => {
  const live = await fillStore(tempDir(t, 'ui-store-live'));
  const reader = await Store.open(live.dest, { create: false, readOnly: true });
  const server = await startUiServer({ title: '', profiles: [], gcLogs: [], traces: [], goroutines: [], notes: [], store: reader });
  const writer = await Store.open(live.dest, { create: false });
  try {
    const before = (await getJson<StoreOverview>(server, 'store')).body.snapshots.length;
    const { id } = await writer.put(storedRound(QUIET_TARGET, Date.UTC(2026, 11, 6, 4), { heap: STORE_FIXTURES.heap }));
    const after = (await getJson<StoreOverview>(server, 'store')).body.snapshots;
    assert.equal(after.length, before + 1);
    assert.deepEqual(after.at(-1), { id, target: QUIET_TARGET, time: '2026-12-06T04:00:00.000Z', kinds: ['heap', 'memstats'] });
    assert.equal((await getJson<{ p: number }>(server, `store/open?id=${id}&kind=heap`)).status, 200);
  } finally {
    await writer.close();
    await server.close();
    await reader.close();
  }
});

test('without a store the store routes are a 400, and the session has no store view', async () => {
  const data: Datasets = { title: 't', profiles: [], gcLogs: [], traces: [], goroutines: [], notes: [] };
  const server = await startUiServer(data);
  try {
    const r = await getJson<{ error: string }>(server, 'store');
    assert.equal(r.status, 400);
    assert.match(r.body.error, /no store was given/);
    assert.ok(!(await getJson<{ views: string[] }>(server, 'session')).body.views.includes('store'));
  } finally {
    await server.close();
  }
});
