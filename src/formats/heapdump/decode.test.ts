import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { allocatedSize, readPlanted, readDump, SCALES, VERSIONS } from '../../testkit/heapdump-fixtures.js';
import { tempDir } from '../../testkit/temp.js';
import { FormatError } from '../errors.js';
import { bytesAccess, fileAccess } from '../random-access.js';
import { decodeHeapDump, HEADER, sniffHeapDump } from './index.js';

/**
 * The decoder on the planted program's dumps (Go 1.23 and 1.26): what the
 * program printed about itself is in the records (its Go version, the parked
 * goroutine's id and frame, the objects it planted and their sizes, the
 * finalizers it set), reading from a file in tiny chunks gives the same
 * result as from memory, and a damaged dump fails with one line saying
 * what was wrong and where.
 */

const dir = tempDir(after, 'heapdump-decode');

function objectSize(dump: ReturnType<typeof decodeHeapDump>, address: number): number {
  for (let i = 0; i < dump.objects.count; i++) if (dump.objects.address[i] === address) return dump.objects.size[i]!;
  return -1;
}

for (const version of VERSIONS) {
  for (const scale of SCALES) {
    const bytes = readDump(version, scale);
    const planted = readPlanted(version, scale);

    test(`${version} ${scale}: params, goroutines, frames, objects and finalizers as the program planted them`, () => {
      const dump = decodeHeapDump(bytesAccess(bytes));
      assert.equal(dump.params.goVersion, planted.goVersion);
      assert.equal(dump.params.pointerSize, 8);
      assert.equal(dump.params.goarch, 'amd64');
      assert.equal(dump.bytes, bytes.length);
      const parked = planted.planted.find((p) => p.kind === 'goroutine')!;
      const g = dump.goroutines.find((x) => x.id === parked.goroutine);
      assert.ok(g, `goroutine ${parked.goroutine} is in the dump`);
      const frames: string[] = [];
      for (let f = g.firstFrame; f < g.firstFrame + g.frameCount; f++) frames.push(dump.functions[dump.frames.function[f]!]!);
      assert.ok(frames.includes('main.parked'), `its frames ${frames.join(', ')} include main.parked`);
      // The parked goroutine's buffer, in the runtime's size class.
      const [, requested, pointers] = parked.allocs[0]!;
      assert.equal(objectSize(dump, Number(parked.object)), allocatedSize(requested, pointers === 1));
      for (const p of planted.planted.filter((x) => x.kind === 'finalizer')) {
        assert.ok(dump.finalizers.some((f) => f.object === Number(p.object) && !f.queued), `a pending finalizer on ${p.object}`);
      }
      assert.equal(dump.objects.pointerStart.length, dump.objects.count + 1);
      assert.equal(dump.objects.pointerStart[dump.objects.count], dump.objects.pointers.count);
      assert.ok(dump.segments.some((s) => s.kind === 'data') && dump.segments.some((s) => s.kind === 'bss'));
      assert.equal(dump.memStats?.['HeapObjects'] !== undefined, true);
      // MemProfileRate = 1: every object the program planted was sampled.
      assert.ok(dump.allocSamples.count >= dump.objects.count / 2, `${dump.allocSamples.count} samples for ${dump.objects.count} objects`);
    });
  }

  test(`${version}: read from a file 7 bytes at a time, the dump decodes to the same tables`, () => {
    const bytes = readDump(version, 'small');
    const path = join(dir, `${version}.dump`);
    writeFileSync(path, bytes);
    const input = fileAccess(path);
    try {
      const streamed = decodeHeapDump(input, { chunkSize: 7 });
      assert.deepEqual(streamed, decodeHeapDump(bytesAccess(bytes)));
    } finally {
      input.close();
    }
  });
}

test('sniff: a heap dump of any version, nothing else', () => {
  const enc = new TextEncoder();
  assert.ok(sniffHeapDump(enc.encode(HEADER)));
  assert.ok(sniffHeapDump(enc.encode('go1.6 heap dump\n')));
  assert.ok(!sniffHeapDump(enc.encode('go 1.23 trace\x00')));
});

function decodeError(bytes: Uint8Array): FormatError {
  try {
    decodeHeapDump(bytesAccess(bytes), { source: 'x.dump' });
  } catch (err) {
    assert.ok(err instanceof FormatError, `a FormatError, got ${String(err)}`);
    return err;
  }
  assert.fail('decoded');
}

test('damaged dumps: one line naming the file and what is wrong', () => {
  const bytes = readDump('go1.26', 'small');
  const cut = decodeError(bytes.subarray(0, Math.floor(bytes.length / 2)));
  assert.match(cut.message, /cut off|past the end of the dump/);
  assert.equal(cut.source, 'x.dump');
  assert.match(decodeError(new TextEncoder().encode('go1.6 heap dump\n\x00')).message, /only the go1\.7 format/);
  assert.match(decodeError(new TextEncoder().encode('hello\n')).message, /not a heap dump/);
  // The end record alone: no params, so nothing can be said about the heap.
  assert.match(decodeError(new TextEncoder().encode(`${HEADER}\x00`)).message, /no params record/);
  assert.ok(!cut.describe().includes('\n'), 'one line');
});
