// A long Go execution trace (the Go 1.23 format, which Go 1.24 also writes)
// whose GC follows a real run: each cycle of the long gctrace log of
// ./gctrace.mjs (programs/gcload at GOGC=100, cycle for cycle as Go printed
// them) becomes the records the runtime writes for it — GCBegin, the
// sweep-termination stop, HeapGoal, HeapAlloc at the start and end of the
// mark, the mark-termination stop, GCEnd — at the log's times and with its
// heap figures. One generation per second of the log, as the runtime starts
// a new one about every second; each carries its frequency and string tables.
// Nothing else is in it: no goroutines, no Ps, no stacks.
//
//   node testdata/generate/trace.mjs CYCLES > big.trace
//
// Plain Node ESM, no dependencies.

import { fileURLToPath } from 'node:url';
import { gctraceLog } from './gctrace.mjs';

const Ev = { EventBatch: 1, Strings: 4, String: 5, Frequency: 8, ProcsChange: 9, STWBegin: 26, STWEnd: 27, GCBegin: 29, GCEnd: 30, HeapAlloc: 37, HeapGoal: 38 };
const MiB = 2 ** 20;
/** The GOMAXPROCS the log's run had (its `2 P`). */
const PROCS = 2;
/** Go writes batches of at most 64 KiB. */
const BATCH_BYTES = 64 << 10;
const STRINGS = ['GC sweep termination', 'GC mark termination'];
const RECORD = /^gc (\d+) @(\d+\.\d+)s \d+%: ([\d.]+)\+([\d.]+)\+([\d.]+) ms clock, .* (\d+)->(\d+)->(\d+) MB, (\d+) MB goal/;

function uv(n, out) {
  let v = Math.floor(n);
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

function batch(gen, m, ts, data, out) {
  out.push(Ev.EventBatch);
  uv(gen, out);
  uv(m, out);
  uv(ts, out);
  uv(data.length, out);
  for (const b of data) out.push(b);
}

/** The cycles of the gctrace log: start ns, phase lengths ns, heap bytes. */
function cycles(count) {
  return gctraceLog(count)
    .split('\n')
    .map((line) => RECORD.exec(line))
    .filter((m) => m !== null)
    .map((m) => ({
      seq: Number(m[1]),
      at: Math.round(Number(m[2]) * 1e9),
      phases: [m[3], m[4], m[5]].map((ms) => Math.max(1, Math.round(Number(ms) * 1e6))),
      heap: [m[6], m[7], m[8]].map((mb) => Number(mb) * MiB),
      goal: Number(m[9]) * MiB,
    }));
}

/** The trace's bytes: CYCLES GC cycles with one heap-goal change each. */
export function gcTrace(count) {
  const out = [...Buffer.from('go 1.23 trace\0\0\0')];
  const all = cycles(count);
  // Timestamps are in ticks of a 1 GHz clock, offset so no delta is negative.
  const base = 1_000_000;
  let gen = 0;
  for (let i = 0; i < all.length; ) {
    gen++;
    const second = Math.floor(all[i].at / 1e9);
    const genStart = base + all[i].at;
    batch(gen, 0, genStart, [Ev.Frequency, ...uvBytes(1e9)], out);
    const strings = [Ev.Strings];
    STRINGS.forEach((s, k) => {
      strings.push(Ev.String);
      uv(k + 1, strings);
      uv(s.length, strings);
      strings.push(...Buffer.from(s));
    });
    batch(gen, 0, genStart, strings, out);
    let data = [];
    let batchStart = genStart;
    let last = genStart;
    const flush = () => {
      if (data.length) batch(gen, 1, batchStart, data, out);
      data = [];
      batchStart = last;
    };
    const rec = (type, time, ...args) => {
      data.push(type);
      uv(time - last, data);
      last = time;
      for (const a of args) uv(a, data);
    };
    if (gen === 1) rec(Ev.ProcsChange, genStart, PROCS, 0);
    for (; i < all.length && Math.floor(all[i].at / 1e9) === second; i++) {
      if (data.length > BATCH_BYTES - 200) flush();
      const c = all[i];
      const t0 = base + c.at;
      const [sweep, mark, markTerm] = c.phases;
      rec(Ev.GCBegin, t0, c.seq, 0);
      rec(Ev.STWBegin, t0, 1, 0);
      rec(Ev.HeapAlloc, t0 + 1, c.heap[0]);
      rec(Ev.STWEnd, t0 + sweep);
      rec(Ev.HeapGoal, t0 + sweep + 1, c.goal);
      rec(Ev.HeapAlloc, t0 + sweep + mark, c.heap[1]);
      rec(Ev.STWBegin, t0 + sweep + mark + 1, 2, 0);
      rec(Ev.GCEnd, t0 + sweep + mark + markTerm - 1, c.seq);
      rec(Ev.HeapAlloc, t0 + sweep + mark + markTerm - 1, c.heap[2]);
      rec(Ev.STWEnd, t0 + sweep + mark + markTerm);
    }
    flush();
  }
  return Uint8Array.from(out);
}

function uvBytes(n) {
  const out = [];
  uv(n, out);
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(gcTrace(Number(process.argv[2] ?? 130000)));
}
