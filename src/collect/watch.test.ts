import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { decodeProfile } from '../formats/index.js';
import { canonicalProfile } from '../testkit/profile-canon.js';
import { fixtureServer, ROUND_FIXTURES } from '../testkit/pprof-server.js';
import { prng } from '../testkit/prng.js';
import { testEngines } from '../testkit/stores.js';
import { Store, type ProfileKind } from './store/index.js';
import { retryDelay, watch, type RoundReport } from './watch.js';

const TESTDATA = new URL('../../testdata/', import.meta.url).pathname;
const canon = (file: string) => JSON.stringify(canonicalProfile(decodeProfile(readFileSync(TESTDATA + file), file)));
/** Per kind, the canonical forms of the profiles the fixture server may have answered with. */
const SERVED: Record<ProfileKind, string[]> = {
  heap: ROUND_FIXTURES['heap']!.map(canon),
  goroutine: ROUND_FIXTURES['goroutine']!.map(canon),
  allocs: ROUND_FIXTURES['allocs']!.map(canon),
  mutex: ROUND_FIXTURES['mutex']!.map(canon),
  block: ROUND_FIXTURES['block']!.map(canon),
};
const MEMSTATS = decodeProfile(readFileSync(TESTDATA + 'go1.26/heap/heap.txt'), 'heap.txt').memStats;

/** Problems with the store: its own check, and any stored profile that is not one the server sent. */
async function verify(store: Store): Promise<string[]> {
  const problems = await store.check();
  for (const s of await store.list()) {
    for (const kind of s.kinds) {
      if (kind === 'memstats') {
        if (JSON.stringify(await store.memStats(s.id), (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) !== JSON.stringify(MEMSTATS, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) problems.push(`snapshot ${s.id}: MemStats differ`);
      } else if (!SERVED[kind].includes(JSON.stringify(canonicalProfile(await store.profile(s.id, kind))))) problems.push(`snapshot ${s.id}: its ${kind} profile is none the server sent`);
    }
  }
  return problems;
}

const engines = await testEngines('watch');

test('back-off after failures: 1 s, 2 s, 4 s …, never longer than the interval', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 40].map((n) => retryDelay(n, 10_000)), [1000, 2000, 4000, 8000, 10_000, 10_000]);
  assert.equal(retryDelay(1, 500), 500);
});

for (const engine of engines) {
  describe(`watch into ${engine.name}`, { skip: engine.skip }, () => {
    test('each round stores one snapshot of all five profiles and the MemStats, identical to what the service sent', async () => {
      const server = await fixtureServer();
      const store = await Store.open(await engine.fresh());
      const reports: RoundReport[] = [];
      try {
        await watch({ targets: [server.url], everyMs: 1, store, rounds: 3, headers: {}, requestTimeoutMs: 10_000, onRound: (r) => reports.push(r) });
        assert.deepEqual(reports.map((r) => [r.round, r.kinds, r.errors]), [1, 2, 3].map((n) => [n, ['heap', 'goroutine', 'allocs', 'mutex', 'block', 'memstats'], []]));
        const snapshots = await store.list();
        assert.deepEqual(snapshots.map((s) => s.id), reports.map((r) => r.snapshot));
        // The heap rotates over three fixtures: three rounds stored each once.
        const heaps = await Promise.all(snapshots.map(async (s) => JSON.stringify(canonicalProfile(await store.profile(s.id, 'heap')))));
        assert.deepEqual(new Set(heaps), new Set(SERVED.heap));
        assert.deepEqual(await verify(store), []);
      } finally {
        await store.close();
        await server.close();
      }
    });

    test('a service that is down: nothing stored, retried with back-off capped at the interval, and a service that answers part is stored with its errors', async () => {
      const down = await fixtureServer();
      await down.close();
      const partial = await fixtureServer({ heap: ROUND_FIXTURES['heap']!, goroutine: ROUND_FIXTURES['goroutine']! });
      const store = await Store.open(await engine.fresh());
      const reports: RoundReport[] = [];
      try {
        await watch({ targets: [down.url, partial.url], everyMs: 1500, store, rounds: 3, headers: {}, requestTimeoutMs: 5000, onRound: (r) => reports.push(r) });
        const dead = reports.filter((r) => r.target === down.url);
        assert.deepEqual(dead.map((r) => [r.snapshot, r.retryInMs]), [[undefined, 1000], [undefined, 1500], [undefined, 1500]]);
        assert.ok(dead.every((r) => r.errors.length === 6 && r.errors.every((e) => e.error === 'connection refused')), JSON.stringify(dead[0]));
        const half = reports.filter((r) => r.target === partial.url);
        assert.deepEqual(half.map((r) => r.kinds), [['heap', 'goroutine'], ['heap', 'goroutine'], ['heap', 'goroutine']]);
        assert.deepEqual(half[0]!.errors.map((e) => e.kind).sort(), ['allocs', 'block', 'memstats', 'mutex']);
        assert.match(half[0]!.errors[0]!.error, /HTTP 404/);
        const stored = await store.list();
        assert.deepEqual(new Set(stored.map((s) => s.target)), new Set([partial.url]));
        assert.deepEqual(stored[0]!.errors, half[0]!.errors);
        assert.deepEqual(await verify(store), []);
      } finally {
        await store.close();
        await partial.close();
      }
    });

    test('--keep: each round prunes the snapshots older than it', async () => {
      const server = await fixtureServer();
      const store = await Store.open(await engine.fresh());
      const reports: RoundReport[] = [];
      try {
        await watch({ targets: [server.url], everyMs: 1, keepMs: 1, store, rounds: 4, headers: {}, requestTimeoutMs: 10_000, onRound: (r) => reports.push(r) });
        assert.equal(reports[0]!.pruned, undefined, 'nothing older than the first round');
        assert.ok(reports.slice(1).every((r) => r.pruned && r.pruned.snapshots >= 1), JSON.stringify(reports.map((r) => r.pruned)));
        const left = (await store.list()).map((s) => s.id);
        assert.ok(!left.includes(reports[0]!.snapshot!) && left.includes(reports[3]!.snapshot!), `left: ${left}`);
        assert.deepEqual(await verify(store), []);
      } finally {
        await store.close();
        await server.close();
      }
    });

    /**
     * The crash test: a watcher in a child process writing rounds back to
     * back is killed with SIGKILL at a random moment after its first round
     * committed, again and again, on one store. After each kill every
     * snapshot the watcher reported committed must be there, the store must
     * pass its checks (no partial snapshot, nothing dangling, SQLite's
     * integrity check), every stored profile must be one the server sent,
     * and the next watcher goes on.
     */
    test('kill -9 at random moments loses nothing committed and leaves no partial snapshot', { timeout: 600_000 }, async () => {
      const server = await fixtureServer();
      const dest = await engine.fresh();
      const random = prng(21);
      const iterations = engine.name === 'sqlite' ? 30 : 20;
      const committed: number[] = [];
      try {
        for (let i = 0; i < iterations; i++) {
          for (const id of await killWatcher(dest, server.url, Math.floor(random() * 400))) committed.push(id);
          const store = await Store.open(dest);
          try {
            assert.deepEqual(await store.check(), [], `after kill ${i + 1}`);
            const ids = new Set((await store.list()).map((s) => s.id));
            assert.deepEqual(committed.filter((id) => !ids.has(id)), [], `after kill ${i + 1}: reported committed, then missing`);
          } finally {
            await store.close();
          }
        }
        const store = await Store.open(dest);
        try {
          assert.deepEqual(await verify(store), []);
          const kept = (await store.list()).length;
          process.stderr.write(`crash test on ${engine.name}: ${iterations} kills, ${committed.length} snapshots reported committed, ${kept} in the store\n`);
        } finally {
          await store.close();
        }
      } finally {
        await server.close();
      }
    });
  });
}

/**
 * Starts a watcher in a child process (rounds back to back, each committed
 * snapshot's id printed), kills it with SIGKILL `ms` after its first
 * commit, and returns the ids it printed.
 */
async function killWatcher(dest: string, url: string, ms: number): Promise<number[]> {
  const here = new URL('.', import.meta.url).pathname;
  const script = `
    import { Store } from '${here}store/index.js';
    import { watch } from '${here}watch.js';
    const store = await Store.open(process.argv[1]);
    await watch({ targets: [process.argv[2]], everyMs: 1, store, headers: {}, requestTimeoutMs: 10000,
      onRound: (r) => { if (r.snapshot !== undefined) process.stdout.write(r.snapshot + '\\n'); } });`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, dest, url], { stdio: ['ignore', 'pipe', 'inherit'] });
  const ids: number[] = [];
  // 'close', not 'exit': every line the child wrote has been read by then.
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  let first: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (first = resolve));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    ids.push(Number(line));
    first();
  });
  await Promise.race([started, exited]);
  await new Promise((resolve) => setTimeout(resolve, ms));
  child.kill('SIGKILL');
  await exited;
  return ids;
}
