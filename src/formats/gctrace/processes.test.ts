import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import type { GcCycle, GcProcess } from '../../model/gctrace.js';
import { parseGcTrace, splitGcProcesses } from './index.js';

const TESTDATA = new URL('../../../testdata/', import.meta.url).pathname;
const VERSIONS = ['go1.23', 'go1.26'];

/** `gc 12 @3.104s`: how the regen script's truth names a cycle (the runtime prints 3 decimals). */
const key = (c: GcCycle) => `gc ${c.n} @${c.atSeconds.toFixed(3)}s`;
const keys = (p: GcProcess) => p.trace.cycles.map(key);

interface Truth {
  processes: { tool: string; cycles: string[] }[];
}

function read(v: string, name: string): { processes: GcProcess[]; truth: Truth; cycles: number } {
  const trace = parseGcTrace(readFileSync(`${TESTDATA}${v}/gctrace/${name}.log`, 'utf8'));
  const truth = JSON.parse(readFileSync(`${TESTDATA}${v}/gctrace/${name}.truth.json`, 'utf8')) as Truth;
  return { processes: splitGcProcesses(trace), truth, cycles: trace.cycles.length };
}

/** Each truth process matches exactly one split process, cycle for cycle; returns the split processes left over. */
function matchTruth(processes: readonly GcProcess[], truth: Truth, what: string): GcProcess[] {
  const left = [...processes];
  for (const t of truth.processes) {
    const i = left.findIndex((p) => JSON.stringify(keys(p)) === JSON.stringify(t.cycles));
    assert.ok(i >= 0, `${what}: the ${t.tool} process that printed ${t.cycles.join(', ')}`);
    left.splice(i, 1);
  }
  return left;
}

test('go test with an empty cache: every compiler, vet, linker and the test binary a process of its own, as each printed it', () => {
  for (const v of VERSIONS) {
    const { processes, truth, cycles } = read(v, 'gotest.cold');
    assert.ok(truth.processes.length >= 10, `${v}: a cold build runs many tools`);
    assert.equal(processes.reduce((s, p) => s + p.trace.cycles.length, 0), cycles, 'every cycle in one process');
    const left = matchTruth(processes, truth, v);
    // What no tool's own stderr holds is the go command's.
    assert.equal(left.length, 1, `${v}: the go command, and nothing else`);
    assert.equal(left[0]!.label, undefined);
    for (const p of processes) {
      p.trace.cycles.forEach((c, i) => {
        assert.equal(c.n, i + 1, `${v} process ${p.index}: numbered from 1 without a gap`);
        if (i > 0) assert.ok(c.atSeconds >= p.trace.cycles[i - 1]!.atSeconds, 'time never goes back within a process');
      });
    }
  }
});

test('go test with a filled cache: the go command, the linker, the test binary, and the replayed output of cached steps', () => {
  for (const v of VERSIONS) {
    const { processes, truth } = read(v, 'gotest');
    const cold = read(v, 'gotest.cold').truth;
    const left = matchTruth(processes, truth, v);
    // A cached compile or vet step's output, gctrace lines included, is printed again under its
    // `# pkg` heading: a process of the earlier run.
    const replayed = left.filter((p) => p.label !== undefined);
    for (const p of replayed) {
      assert.ok(
        cold.processes.some((t) => JSON.stringify(t.cycles) === JSON.stringify(keys(p))),
        `${v}: "# ${p.label}" replays a step of the cold run`,
      );
    }
    assert.equal(left.length - replayed.length, 1, `${v}: the go command, and nothing else`);
    assert.ok(processes.some((p) => p.label?.endsWith('.test')), 'the link step is named after its heading');
  }
});

test('single-process logs stay one process, even with cycles lost from the middle', () => {
  for (const v of VERSIONS) {
    for (const f of readdirSync(`${TESTDATA}${v}/gctrace`).filter((n) => n.endsWith('.log') && !n.startsWith('gotest'))) {
      const text = readFileSync(`${TESTDATA}${v}/gctrace/${f}`, 'utf8');
      assert.equal(splitGcProcesses(parseGcTrace(text)).length, 1, `${v}/${f}`);
      const lines = text.split('\n');
      const gcAt = lines.map((l, i) => (l.startsWith('gc ') ? i : -1)).filter((i) => i >= 0);
      if (gcAt.length < 10) continue;
      const lost = new Set(gcAt.slice(3, 6));
      const damaged = lines.filter((_, i) => !lost.has(i)).join('\n');
      assert.equal(splitGcProcesses(parseGcTrace(damaged)).length, 1, `${v}/${f} without three gc lines`);
    }
  }
});
