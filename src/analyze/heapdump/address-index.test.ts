import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HeapObjects } from '../../model/heapdump.js';
import { prng } from '../../testkit/prng.js';
import { FormatError } from '../../formats/errors.js';
import { AddressIndex } from './address-index.js';

/** Objects as a dump lists them: spans in any order, each span's objects ascending, with free slots between. */
function objects(addresses: number[], sizes: number[]): HeapObjects {
  const none = { count: 0, offset: new Float64Array(0), target: new Float64Array(0) };
  return { count: addresses.length, address: Float64Array.from(addresses), size: Float64Array.from(sizes), pointerStart: new Int32Array(addresses.length + 1), pointers: none };
}

function linearObjectAt(o: HeapObjects, address: number): number {
  for (let i = 0; i < o.count; i++) if (address >= o.address[i]! && address < o.address[i]! + o.size[i]!) return i;
  return -1;
}

for (const [name, base, spread] of [
  ['a Go 1.23 heap (0xc000000000)', 0xc000000000, 1],
  ['arenas far apart (a wide heap, coarse stretches)', 0x7f0000000000, 2 ** 20],
] as const) {
  test(`objectAt agrees with a linear search: ${name}`, () => {
    const rnd = prng(23);
    const addresses: number[] = [];
    const sizes: number[] = [];
    const spans = Array.from({ length: 60 }, (_, i) => i).sort(() => rnd() - 0.5);
    for (const s of spans) {
      const size = [16, 48, 1024, 8192][s % 4]!;
      const start = base + s * 8192 * 4 * spread;
      for (let at = 0; at + size <= 8192 * 4; at += size) {
        if (rnd() < 0.3) continue; // a free slot
        addresses.push(start + at);
        sizes.push(size);
      }
    }
    const o = objects(addresses, sizes);
    const index = new AddressIndex(o);
    const last = addresses.reduce((m, a) => Math.max(m, a), 0);
    for (let k = 0; k < 20000; k++) {
      const probe = base - 64 + Math.floor(rnd() * (last - base + 9000));
      assert.equal(index.objectAt(probe), linearObjectAt(o, probe), `0x${probe.toString(16)}`);
    }
    for (let i = 0; i < o.count; i += 7) {
      assert.equal(index.objectAt(addresses[i]!), i);
      assert.equal(index.objectAt(addresses[i]! + sizes[i]! - 1), i, 'the last byte');
    }
  });
}

test('objects listed out of order within a page (not as the runtime writes them) are still found', () => {
  const rnd = prng(7);
  const addresses = Array.from({ length: 3000 }, (_, i) => 0xc000000000 + i * 32).sort(() => rnd() - 0.5);
  const o = objects(addresses, addresses.map(() => 32));
  const index = new AddressIndex(o);
  for (let i = 0; i < o.count; i += 3) assert.equal(index.objectAt(addresses[i]! + 31), i);
  assert.equal(index.objectAt(0xc000000000 + 3000 * 32), -1);
});

test('overlapping objects are a damaged dump', () => {
  assert.throws(() => new AddressIndex(objects([0xc000001000, 0xc000000ff8], [16, 16])), FormatError);
  assert.throws(() => new AddressIndex(objects([0xc000001000, 0xc000001000], [16, 16])), FormatError);
  assert.equal(new AddressIndex(objects([], [])).objectAt(0xc000000000), -1);
});
