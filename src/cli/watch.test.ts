import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { fixtureServer } from '../testkit/pprof-server.js';
import { runCli } from '../testkit/run-cli.js';
import { testEngines } from '../testkit/stores.js';
import { tempDir } from '../testkit/temp.js';
import { buildZoo, goTool, startService } from '../testkit/zoo.js';

const TESTDATA = new URL('../../testdata/', import.meta.url).pathname;
const engines = await testEngines('watch-cli');

interface HistoryJson {
  snapshots: { id: number; target: string; time: string; kinds: string[] }[];
  findings: { kind: string; severity: string; location?: { function: string }; evidence: { label: string; value: unknown }[] }[];
}

test('history on a store that does not exist, and a stored profile kind that does not exist, are one-line errors (exit 2)', async () => {
  const missing = await runCli(['history', '--store', '/nonexistent-dir/none.db']);
  assert.deepEqual([missing.code, missing.err], [2, 'footprint history: no store at /nonexistent-dir/none.db\n']);
  const usage = await runCli(['watch', '--every', '500ms', 'http://127.0.0.1:1']);
  assert.deepEqual([usage.code, usage.err], [2, 'footprint watch: --every must be at least 1s (pprof deltas are whole seconds)\n']);
});

for (const engine of engines) {
  describe(`watch, history, top DEST#ID on ${engine.name}`, { skip: engine.skip }, () => {
    test('watch prints a line per round; history lists the snapshots (--json as the issue says); top and --base read them as files', async () => {
      const server = await fixtureServer();
      const dest = await engine.fresh();
      try {
        const w = await runCli(['watch', '--every', '1s', '--rounds', '2', '--store', dest, server.url]);
        assert.equal(w.code, 0, w.err);
        const lines = w.out.trim().split('\n');
        assert.equal(lines.length, 2);
        for (const [i, line] of lines.entries()) {
          assert.match(line, new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ ${server.url} round ${i + 1}: snapshot \\d+: heap, goroutine, allocs, mutex, block, memstats \\([\\d.]+ KiB fetched\\)$`));
        }
        for (const s of engine.secrets) assert.ok(!w.err.includes(s), 'the password is never printed');
        const h = await runCli(['history', '--json', '--store', dest]);
        assert.equal(h.code, 0, h.err);
        const json = JSON.parse(h.out) as HistoryJson;
        assert.deepEqual(Object.keys(json), ['snapshots', 'findings']);
        assert.deepEqual(json.snapshots.map((s) => [s.target, s.kinds]), [1, 2].map(() => [server.url, ['heap', 'goroutine', 'allocs', 'mutex', 'block', 'memstats']]));
        const [first, second] = json.snapshots.map((s) => `${dest}#${s.id}`);
        // The server sends before.heap then after.heap: the stored ones report exactly as the files do.
        const stored = await runCli(['top', '--base', first!, second!]);
        const files = await runCli(['top', '--base', `${TESTDATA}go1.26/diff/before.heap.pb.gz`, `${TESTDATA}go1.26/diff/after.heap.pb.gz`]);
        assert.equal(stored.code, 0, stored.err);
        assert.equal(stored.out, files.out);
        const mutex = await runCli(['top', `${first}:mutex`]);
        assert.equal(mutex.out, (await runCli(['top', `${TESTDATA}go1.26/contention/mutex.pb.gz`])).out);
        const wrong = await runCli(['top', `${first}:trace`]);
        assert.equal(wrong.code, 2);
        assert.match(wrong.err, /no profile kind "trace" \(one of heap, goroutine, allocs, mutex, block\)/);
      } finally {
        await server.close();
      }
    });
  });
}

/**
 * The live zoo's cache service (a map that only grows, planted at
 * main.(*responseCache).put) watched for a few rounds: history finds the
 * growth there, and --fail-on turns it into exit 1.
 */
describe('watch the live zoo, then history', () => {
  const go = goTool();
  const skip = go ? undefined : 'no Go toolchain to build the zoo';
  const bin = tempDir(after, 'watch-zoo');
  for (const engine of engines) {
    test(`history finds the cache service's planted heap growth (${engine.name})`, { skip: skip ?? engine.skip, timeout: 120_000 }, async () => {
      if (!existsBinary(bin)) buildZoo(go!, ['cache'], bin);
      const service = await startService(`${bin}/cache`);
      try {
        const dest = await engine.fresh();
        const w = await runCli(['watch', '--every', '1s', '--rounds', '5', '--store', dest, service.addr]);
        assert.equal(w.code, 0, w.err);
        const h = await runCli(['history', '--json', '--fail-on', 'high', '--store', dest]);
        const json = JSON.parse(h.out) as HistoryJson;
        const growth = json.findings.find((f) => f.kind === 'heap-growth');
        assert.equal(growth?.location?.function, 'main.(*responseCache).put', JSON.stringify(json.findings.map((f) => [f.kind, f.location?.function])));
        assert.equal(growth.severity, 'high');
        assert.deepEqual([h.code, h.err.trim()], [1, `footprint history: ${json.findings.filter((f) => f.severity === 'high').length} finding${json.findings.filter((f) => f.severity === 'high').length === 1 ? '' : 's'} at high or above (--fail-on high)`]);
      } finally {
        service.stop();
      }
    });
  }
});

function existsBinary(dir: string): boolean {
  try {
    return statSync(`${dir}/cache`).isFile();
  } catch {
    return false;
  }
}
