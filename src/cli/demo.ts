import { fileURLToPath } from 'node:url';
import { parse } from './args.js';
import { runDoctor } from './doctor.js';
import { runGc } from './gc.js';
import { runHeap } from './heap.js';
import { runHeapDump } from './heapdump.js';
import type { Io } from './io.js';
import { runTop } from './top.js';

export const DEMO_HELP = `footprint demo — reports on a small heap profile shipped with footprint

Usage: footprint demo [--json]

The profile comes from testdata/programs/heap, a Go program that grows a
registry, churns temporary buffers and allocates through inlined helpers.
The GODEBUG=gctrace=1 log comes from testdata/programs/gcload, whose own
stderr output splits some of the runtime's lines. The doctor capture comes
from testdata/programs/zoo/lockpile, a service with a lock held too long.
The heap dump (debug.WriteHeapDump) and its symbols come from
testdata/programs/heapdump, a program that plants retention of known kinds.

Example:
  footprint demo
`;

const DEMO_PROFILE = fileURLToPath(new URL('../../demo/heap.pb.gz', import.meta.url));
const DEMO_GCTRACE = fileURLToPath(new URL('../../demo/gctrace.log', import.meta.url));
const DEMO_CAPTURE = fileURLToPath(new URL('../../demo/capture', import.meta.url));
const DEMO_HEAPDUMP = fileURLToPath(new URL('../../demo/heap.dump.gz', import.meta.url));
const DEMO_SYMBOLS = fileURLToPath(new URL('../../demo/heapdump.sym', import.meta.url));

/** Shows footprint working with no Go program at hand: reports on the bundled profile, log and capture. */
export async function runDemo(argv: string[], io: Io): Promise<number> {
  const { values } = parse(argv, {});
  if (values['help']) {
    io.out(DEMO_HELP);
    return 0;
  }
  if (values['json']) return runTop(['--json', '-nodecount=10', DEMO_PROFILE], io);
  io.out(`What is holding memory right now (inuse_space), as go tool pprof -top prints it:\n\n$ footprint top -nodecount=10 ${DEMO_PROFILE}\n`);
  await runTop(['-nodecount=10', DEMO_PROFILE], io);
  io.out(`\nWhat allocated the most over the program's life (alloc_space), per source line:\n\n$ footprint top -sample_index=alloc_space -lines -nodecount=8 ${DEMO_PROFILE}\n`);
  await runTop(['-sample_index=alloc_space', '-lines', '-nodecount=8', DEMO_PROFILE], io);
  io.out(`\nThe heap doctor's reading of the same profile (several snapshots would add the trend):\n\n$ footprint heap --nodecount=6 ${DEMO_PROFILE}\n`);
  await runHeap(['--nodecount=6', DEMO_PROFILE], io);
  io.out(`\nWhat the garbage collector did, and what GOGC=200 or a 128 MiB limit would change:\n\n$ footprint gc ${DEMO_GCTRACE} --what-if gogc=200 --what-if gomemlimit=128MiB\n`);
  await runGc([DEMO_GCTRACE, '--what-if', 'gogc=200', '--what-if', 'gomemlimit=128MiB'], io);
  io.out(
    `\nA running service in one command. footprint doctor URL collects everything into a capture folder; this one\n` +
    `was taken from a service whose flush holds a mutex during a 90 ms sleep (footprint doctor --pid), and is read again:\n\n$ footprint doctor ${DEMO_CAPTURE}\n`,
  );
  await runDoctor([DEMO_CAPTURE], io);
  io.out(
    `\nWhat keeps memory alive, from a heap dump: retained sizes and the chain from each root (globals named from\n` +
    `the executable's symbols):\n\n$ footprint heapdump --top 4 --binary ${DEMO_SYMBOLS} ${DEMO_HEAPDUMP}\n`,
  );
  await runHeapDump(['--top', '4', '--binary', DEMO_SYMBOLS, DEMO_HEAPDUMP], io);
  io.out(
    `\nTry: footprint ui ${DEMO_CAPTURE}          (the capture in your browser: flame graphs, timelines)\n` +
    `     footprint peek 'main\\.buildIndex' ${DEMO_PROFILE}\n` +
    `     footprint gc ${DEMO_GCTRACE} --html gc.html\n` +
    `     footprint binary "$(go env GOROOT)/bin/go"   (where the bytes of a Go executable go)\n`,
  );
  return 0;
}
