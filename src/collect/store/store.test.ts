import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { decodeProfile } from '../../formats/index.js';
import type { Profile } from '../../model/profile.js';
import { canonicalProfile } from '../../testkit/profile-canon.js';
import { STORE_FIXTURES as FIXTURES, storedRound, testEngines } from '../../testkit/stores.js';
import { ByteReader, ByteWriter, decodeRows, encodeRows } from './codec.js';
import { num } from './engine.js';
import { describeDest, parseDest, parseStoreRef, Store } from './index.js';
import { SCHEMA_VERSION } from './schema.js';

const TESTDATA = new URL('../../../testdata/', import.meta.url).pathname;
const load = (rel: string): Profile => decodeProfile(readFileSync(TESTDATA + rel), rel);
const round = storedRound;

/** Another process writing the same rounds to the same store (SQLite's lock is per process, PostgreSQL's per connection). */
function writeInChild(dest: string, target: string, times: number[]): Promise<number | null> {
  const here = new URL('.', import.meta.url).pathname;
  const script = `
    import { readFileSync } from 'node:fs';
    import { Store } from '${here}index.js';
    import { decodeProfile } from '${here}../../formats/index.js';
    const fixtures = ${JSON.stringify(FIXTURES)};
    const store = await Store.open(process.argv[1]);
    for (const at of ${JSON.stringify(times)}) {
      const profiles = Object.entries(fixtures).map(([kind, f]) => ({ kind, profile: decodeProfile(readFileSync('${TESTDATA}' + f), f) }));
      await store.put({ target: ${JSON.stringify(target)}, takenAtMs: at, intervalMs: 0, profiles, errors: [] });
    }
    await store.close();`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, dest], { stdio: ['ignore', 'inherit', 'inherit'] });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

async function counts(store: Store): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of ['strings', 'functions', 'mappings', 'frames', 'label_sets', 'sites', 'stack_nodes', 'targets', 'snapshots', 'profiles']) {
    out[t] = await store.read(async (e) => num((await e.all(`SELECT count(*) AS n FROM ${t}`))[0]!['n']));
  }
  return out;
}

// Before any test is declared: node:test runs the root's after hooks once the tests declared so far have run.
const engines = await testEngines('store');

test('codec: varints round-trip at every size, signed and beyond 2^53', () => {
  const values = [0, 1, -1, 127, 128, -128, 2 ** 31, -(2 ** 31), 2 ** 52 - 1, -(2 ** 52), 2 ** 53, -(2 ** 53), 2 ** 62, -(2 ** 63), 9.2e18];
  const w = new ByteWriter(2);
  for (const v of values) w.svarint(v);
  w.bigUvarint(2n ** 64n - 1n);
  const r = new ByteReader(w.finish());
  assert.deepEqual(values.map(() => r.svarint()), values);
  assert.equal(r.bigUvarint(), 2n ** 64n - 1n);
  assert.ok(r.done);
  assert.throws(() => new ByteWriter().svarint(1.5), /not a whole number/);
});

test('codec: rows keep keys, label sets and values, and refuse unsorted keys', () => {
  const rows = { count: 3, width: 2, keys: Float64Array.of(3, 3, 900), labelSets: Float64Array.of(0, 7, 0), values: Float64Array.of(1, -2, 3, 4, 2 ** 60, -5) };
  assert.deepEqual(decodeRows(encodeRows(rows)), rows);
  assert.throws(() => encodeRows({ ...rows, keys: Float64Array.of(5, 3, 900) }), /sorted/);
});

test('DEST: a SQLite file by default or sqlite:PATH, postgres:// URLs printed without their password; DEST#ID[:KIND] only names a store', () => {
  assert.deepEqual(parseDest(undefined), { engine: 'sqlite', path: 'footprint.db' });
  assert.deepEqual(parseDest('sqlite:/var/lib/fp.db'), { engine: 'sqlite', path: '/var/lib/fp.db' });
  assert.deepEqual(parseDest('postgres:'), { engine: 'postgres', url: undefined });
  const pg = parseDest('postgresql://watcher:s3cr%40t@db.internal:5433/profiles?sslmode=require&password=other');
  assert.equal(describeDest(pg), 'postgresql://watcher@db.internal:5433/profiles');
  assert.throws(() => parseDest('mysql://db/x'), /not a store: mysql:\/\/ \(a SQLite file, sqlite:PATH, or postgres:\/\/…\)/);
  assert.deepEqual(parseStoreRef('postgres://db/x#12:allocs'), { dest: { engine: 'postgres', url: 'postgres://db/x' }, snapshot: 12, kind: 'allocs' });
  assert.equal(parseStoreRef('http://127.0.0.1:6060/#12'), undefined, 'an http URL with a fragment is not a store');
  assert.equal(parseStoreRef('/nonexistent/missing.db#3'), undefined, 'nor a file that is not a SQLite store');
  assert.throws(() => parseStoreRef('postgres://db/x#1:trace'), /no profile kind "trace"/);
});

for (const engine of engines) {
  describe(`store on ${engine.name}`, { skip: engine.skip }, () => {
    test('a snapshot of every kind reads back identical to what was stored, MemStats included', async () => {
      const store = await Store.open(await engine.fresh());
      try {
        const input = round('http://127.0.0.1:6060', Date.UTC(2026, 11, 6, 3));
        const { id, kinds } = await store.put(input);
        assert.deepEqual(kinds, ['heap', 'goroutine', 'allocs', 'mutex', 'block', 'memstats']);
        for (const { kind, profile } of input.profiles) assert.deepEqual(canonicalProfile(await store.profile(id, kind)), canonicalProfile(profile), kind);
        assert.deepEqual(await store.memStats(id), input.memStats);
        const [info] = await store.list();
        assert.deepEqual(info, { id, target: input.target, time: '2026-12-06T03:00:00.000Z', takenAtMs: input.takenAtMs, intervalMs: 60_000, kinds, errors: input.errors });
        assert.deepEqual(await store.check(), []);
      } finally {
        await store.close();
      }
    });

    test('read-only: reads what is stored, and the engine refuses any write', async () => {
      const dest = await engine.fresh();
      const writer = await Store.open(dest);
      const { id } = await writer.put(round('http://ro:1', 1_000, { heap: FIXTURES.heap }));
      await writer.close();
      const reader = await Store.open(dest, { create: false, readOnly: true });
      try {
        assert.deepEqual((await reader.list()).map((s) => s.id), [id]);
        assert.deepEqual(canonicalProfile(await reader.profile(id, 'heap')), canonicalProfile(load(FIXTURES.heap)));
        await assert.rejects(reader.put(round('http://ro:1', 61_000, { heap: FIXTURES.heap })), /read-?only/i);
        await assert.rejects(reader.prune(Date.now()), /read-?only/i);
      } finally {
        await reader.close();
      }
      const again = await Store.open(dest, { create: false });
      try {
        assert.equal((await again.list()).length, 1);
      } finally {
        await again.close();
      }
    });

    test('stacks, frames, functions and strings are stored once: a second identical round adds only its snapshot and profiles', async () => {
      const store = await Store.open(await engine.fresh());
      try {
        await store.put(round('http://a:1', 1_000));
        const first = await counts(store);
        await store.put(round('http://a:1', 61_000));
        const second = await counts(store);
        assert.deepEqual({ ...second, snapshots: 0, profiles: 0 }, { ...first, snapshots: 0, profiles: 0 });
        assert.equal(second.snapshots, 2);
        assert.equal(second.profiles, 10);
        // The heap profile's 91 stacks share their roots: far fewer nodes than frames on all stacks.
        const heap = load(FIXTURES.heap);
        assert.ok(first.stack_nodes! < heap.stacks.length, `${first.stack_nodes} nodes for ${heap.stacks.length} frames on stacks`);
      } finally {
        await store.close();
      }
    });

    test('a writer that restarts (empty caches) finds what is stored instead of adding it again', async () => {
      const dest = await engine.fresh();
      const a = await Store.open(dest);
      await a.put(round('http://a:1', 1_000));
      const before = await counts(a);
      await a.close();
      const b = await Store.open(dest);
      try {
        await b.put(round('http://a:1', 2_000));
        assert.deepEqual({ ...(await counts(b)), snapshots: 0, profiles: 0 }, { ...before, snapshots: 0, profiles: 0 });
      } finally {
        await b.close();
      }
    });

    test('two writers at once on one store, in two processes, intern each stack once', async () => {
      const dest = await engine.fresh();
      const a = await Store.open(dest);
      try {
        const other = writeInChild(dest, 'http://b:2', [1_000, 2_000]);
        await a.put(round('http://a:1', 1_000));
        await a.put(round('http://a:1', 2_000));
        assert.equal(await other, 0);
        const single = await Store.open(await engine.fresh());
        await single.put(round('http://a:1', 1_000));
        const one = await counts(single);
        await single.close();
        const both = await counts(a);
        assert.deepEqual({ ...both, snapshots: 0, profiles: 0, targets: 0 }, { ...one, snapshots: 0, profiles: 0, targets: 0 });
        assert.equal(both.snapshots, 4);
        assert.deepEqual(await a.check(), []);
      } finally {
        await a.close();
      }
    });

    test('list filters by target and time; a missing snapshot or kind is a one-line error', async () => {
      const store = await Store.open(await engine.fresh());
      try {
        await store.put(round('http://a:1', 1_000, { heap: FIXTURES.heap }));
        const b = await store.put(round('http://b:2', 2_000, { goroutine: FIXTURES.goroutine }));
        await store.put(round('http://a:1', 3_000, { heap: FIXTURES.heap }));
        assert.deepEqual((await store.list({ target: 'http://a:1' })).map((s) => s.takenAtMs), [1_000, 3_000]);
        assert.deepEqual((await store.list({ sinceMs: 2_000 })).map((s) => s.target), ['http://b:2', 'http://a:1']);
        await assert.rejects(store.profile(b.id, 'heap'), /snapshot \d+ has no heap profile \(it has: goroutine, memstats\)/);
        await assert.rejects(store.profile(999, 'heap'), /no snapshot 999/);
      } finally {
        await store.close();
      }
    });

    test('pruning deletes old snapshots, and collecting leaves exactly what a store of the kept snapshots holds', async () => {
      const store = await Store.open(await engine.fresh());
      const kept = await Store.open(await engine.fresh());
      try {
        const old = { heap: 'go1.26/diff/before.heap.pb.gz', goroutine: FIXTURES.goroutine };
        const recent = { heap: 'go1.26/diff/after.heap.pb.gz', mutex: FIXTURES.mutex };
        await store.put(round('http://old:1', 1_000, old));
        await store.put(round('http://a:1', 2_000, old));
        const r1 = await store.put(round('http://a:1', 3_000, recent));
        const pruned = await store.prune(2_500);
        assert.equal(pruned.snapshots, 2);
        assert.ok(pruned.collected, 'two pruned of one kept is past the collection share');
        assert.ok(pruned.collected.stack_nodes! > 0 && pruned.collected.targets === 1, JSON.stringify(pruned.collected));
        await kept.put(round('http://a:1', 3_000, recent));
        assert.deepEqual({ ...(await counts(store)) }, { ...(await counts(kept)) });
        assert.deepEqual(canonicalProfile(await store.profile(r1.id, 'heap')), canonicalProfile(load(recent.heap)));
        assert.deepEqual(await store.check(), []);
        // A writer whose caches predate the collection still writes whole snapshots.
        const again = await store.put(round('http://a:1', 4_000, old));
        assert.deepEqual(canonicalProfile(await store.profile(again.id, 'goroutine')), canonicalProfile(load(old.goroutine)));
        assert.deepEqual(await store.check(), []);
      } finally {
        await store.close();
        await kept.close();
      }
    });

    test('the check finds a snapshot missing a profile it names, and a profile that does not decode', async () => {
      const store = await Store.open(await engine.fresh());
      try {
        const a = await store.put(round('http://a:1', 1_000, { heap: FIXTURES.heap, goroutine: FIXTURES.goroutine }));
        assert.deepEqual(await store.check(), []);
        await store.read((e) => e.run("DELETE FROM profiles WHERE snapshot_id = ? AND kind = 'goroutine'", [a.id]));
        await store.read((e) => e.run("UPDATE profiles SET sample_values = ? WHERE kind = 'heap'", [Buffer.from([1, 2, 3])]));
        const problems = await store.check();
        assert.ok(problems.some((p) => /says it holds goroutine, heap but has heap/.test(p)), problems.join('\n'));
        assert.ok(problems.some((p) => /does not decode/.test(p)), problems.join('\n'));
      } finally {
        await store.close();
      }
    });

    test('migrations run once; a store from a newer footprint is refused', async () => {
      const dest = await engine.fresh();
      await (await Store.open(dest)).close();
      const store = await Store.open(dest);
      try {
        const rows = await store.read((e) => e.all('SELECT version FROM schema_migrations'));
        assert.deepEqual(rows.map((r) => num(r['version'])), [SCHEMA_VERSION]);
        await store.read((e) => e.run('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)', [SCHEMA_VERSION + 1, 0]));
      } finally {
        await store.close();
      }
      await assert.rejects(Store.open(dest), /schema version 2, newer than this footprint knows \(1\)/);
    });

    if (engine.name === 'sqlite') {
      test('the store file, its WAL and shared-memory files are readable by their owner only', async () => {
        const path = await engine.fresh();
        const store = await Store.open(path);
        try {
          await store.put(round('http://a:1', 1_000, { heap: FIXTURES.heap }));
          for (const f of [path, `${path}-wal`, `${path}-shm`]) assert.equal(statSync(f).mode & 0o777, 0o600, f);
        } finally {
          await store.close();
        }
      });

      test('history on a store that does not exist says so instead of creating one', async () => {
        await assert.rejects(Store.open('/nonexistent-dir/x.db', { create: false }), /no store at \/nonexistent-dir\/x\.db/);
        await assert.rejects(Store.open('/nonexistent-dir/x.db'), /no folder \/nonexistent-dir/);
      });
    }

    if (engine.name === 'postgres') {
      test('two connections racing to insert the same new stacks: the later one waits, then uses the earlier one\'s rows', async () => {
        const dest = await engine.fresh();
        const [a, b] = [await Store.open(dest), await Store.open(dest)];
        try {
          await Promise.all([a.put(round('http://a:1', 1_000)), b.put(round('http://b:2', 1_000))]);
          const single = await Store.open(await engine.fresh());
          await single.put(round('http://a:1', 1_000));
          const one = await counts(single);
          await single.close();
          assert.deepEqual({ ...(await counts(a)), snapshots: 0, profiles: 0, targets: 0 }, { ...one, snapshots: 0, profiles: 0, targets: 0 });
          assert.deepEqual(await a.check(), []);
        } finally {
          await a.close();
          await b.close();
        }
      });

      test('a wrong password fails in one line that never shows the password', async () => {
        const url = new URL(await engine.fresh());
        const secret = 'not-the-password-s3cr3t';
        url.password = secret;
        const err = await Store.open(url.toString()).then(
          () => assert.fail('opened with a wrong password'),
          (e: unknown) => e as Error,
        );
        assert.match(err.message, /cannot connect to the PostgreSQL store postgres:\/\/[^ :]*@[^ ]*\/footprint_test\w+: /);
        for (const s of [secret, ...engine.secrets]) assert.ok(!err.message.includes(s), err.message);
      });
    }
  });
}
