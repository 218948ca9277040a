import { readFileSync } from 'node:fs';
import { EXIT, FootprintError } from '../model/errors.js';
import { printable } from '../model/printable.js';
import { maxOf } from '../analyze/stats.js';
import { processIo, type Io } from './io.js';
import { provideStoredInputs } from './stored-input.js';

/** A command's help and entry point; loaded only when the command runs, so startup reads one command's code. */
interface CommandModule {
  help: string;
  run: (argv: string[], io: Io) => number | Promise<number>;
}

interface Command {
  summary: string;
  load: () => Promise<CommandModule>;
}

function lazy<M>(importer: () => Promise<M>, pick: (m: M) => CommandModule): () => Promise<CommandModule> {
  return async () => pick(await importer());
}

const COMMANDS: Record<string, Command> = {
  doctor: {
    summary: 'a running service (URL) or a capture: collect everything, explain the RSS, rank root causes',
    load: lazy(() => import('./doctor.js'), (m) => ({ help: m.DOCTOR_HELP, run: m.runDoctor })),
  },
  watch: {
    summary: 'collect from services every interval into a store (SQLite file or PostgreSQL), safely',
    load: lazy(() => import('./watch.js'), (m) => ({ help: m.WATCH_HELP, run: m.runWatch })),
  },
  history: {
    summary: 'stored snapshots, and what regressed over them: heap, goroutine, GC, allocation growth',
    load: lazy(() => import('./history.js'), (m) => ({ help: m.HISTORY_HELP, run: m.runHistory })),
  },
  top: {
    summary: 'flat/cum table, as go tool pprof -top',
    load: lazy(() => import('./top.js'), (m) => ({ help: m.TOP_HELP, run: m.runTop })),
  },
  peek: {
    summary: 'callers and callees of matching functions (pprof -peek)',
    load: lazy(() => import('./peek.js'), (m) => ({ help: m.PEEK_HELP, run: m.runPeek })),
  },
  traces: {
    summary: 'every sample with its stack (pprof -traces)',
    load: lazy(() => import('./traces.js'), (m) => ({ help: m.TRACES_HELP, run: m.runTraces })),
  },
  demo: {
    summary: 'reports on a small bundled heap profile and gctrace log',
    load: lazy(() => import('./demo.js'), (m) => ({ help: m.DEMO_HELP, run: m.runDemo })),
  },
  export: {
    summary: 'write proto, folded stacks or speedscope JSON',
    load: lazy(() => import('./export.js'), (m) => ({ help: m.EXPORT_HELP, run: m.runExport })),
  },
  heap: {
    summary: 'heap doctor: leaks, churn, retained buffers, MemStats, trends over snapshots',
    load: lazy(() => import('./heap.js'), (m) => ({ help: m.HEAP_HELP, run: m.runHeap })),
  },
  gc: {
    summary: 'read a gctrace log: GC cost, pauses, heap, findings, GOGC/GOMEMLIMIT what-ifs',
    load: lazy(() => import('./gc.js'), (m) => ({ help: m.GC_HELP, run: m.runGc })),
  },
  trace: {
    summary: 'a Go 1.22+ execution trace: GC pauses, assists, heap, goroutines, MMU',
    load: lazy(() => import('./trace.js'), (m) => ({ help: m.TRACE_HELP, run: m.runTrace })),
  },
  goroutines: {
    summary: 'group goroutine dumps/profiles: leaks, pile-ups, deadlocks, stack memory; diff two',
    load: lazy(() => import('./goroutines.js'), (m) => ({ help: m.GOROUTINES_HELP, run: m.runGoroutines })),
  },
  binary: {
    summary: 'where the bytes of a Go executable go: packages, sections, -s -w and -trimpath savings; diff two builds',
    load: lazy(() => import('./binary-size.js'), (m) => ({ help: m.BINARY_HELP, run: m.runBinary })),
  },
  contention: {
    summary: 'mutex/block profiles: top sites by delay and count, who calls into them, advice',
    load: lazy(() => import('./contention.js'), (m) => ({ help: m.CONTENTION_HELP, run: m.runContention })),
  },
  bundle: {
    summary: 'JS/CSS bundles via source maps: bytes per package and file, gzip, findings, compare, budgets',
    load: lazy(() => import('./bundle.js'), (m) => ({ help: m.BUNDLE_HELP, run: m.runBundle })),
  },
  ui: {
    summary: 'a local web app: flame graphs (and diffs), GC and trace timelines, goroutines, findings, a watch store',
    load: lazy(() => import('./ui.js'), (m) => ({ help: m.UI_HELP, run: (argv, io) => m.runUi(argv, io) })),
  },
  escapes: {
    summary: 'escape decisions (-gcflags=-m) ranked by the bytes they cost',
    load: lazy(() => import('./escapes.js'), (m) => ({ help: m.ESCAPES_HELP, run: m.runEscapes })),
  },
  heapdump: {
    summary: 'a heap dump (debug.WriteHeapDump): what keeps memory alive, retained sizes, chains to a GC root',
    load: lazy(() => import('./heapdump.js'), (m) => ({ help: m.HEAPDUMP_HELP, run: m.runHeapDump })),
  },
};

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function usage(): string {
  const width = maxOf(Object.keys(COMMANDS).map((c) => c.length));
  const list = Object.entries(COMMANDS)
    .map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`)
    .join('\n');
  return `footprint — where the memory of a Go program goes

Usage: footprint <command> [flags] FILE...

Commands:
${list}

Every command takes --json (one JSON document on stdout) and --help.
pprof's flag names work with one dash or two (-sample_index=alloc_space).
Inputs are files, - for stdin, or http(s):// URLs (--seconds N, --timeout N as pprof).

Examples:
  footprint demo
  footprint top heap.pb.gz
  footprint top -sample_index=alloc_space -lines allocs.pb.gz
  footprint top --diff_base=before.pb.gz after.pb.gz
  footprint gc gc.log --what-if gogc=200 --html gc.html

Exit codes: 0 success; 1 a check failed (--fail-on); 2 bad usage or unreadable
input; 70 an internal error (a bug: please report it).
`;
}

/** Runs the CLI; returns the exit code (see EXIT: 0 ok, 1 check failed, 2 bad usage or input, 70 internal error). */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  const debug = argv.includes('--debug');
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    const cmd = topic !== undefined ? COMMANDS[topic] : undefined;
    io.out(cmd ? (await cmd.load()).help : usage());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    io.out(`footprint ${version()}\n`);
    return EXIT.ok;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    io.err(`footprint: unknown command ${JSON.stringify(name)}; run footprint --help for the list\n`);
    return EXIT.usage;
  }
  try {
    await provideStoredInputs(rest);
    return await (await cmd.load()).run(rest, io);
  } catch (err) {
    return reportError(io, name, err, debug);
  }
}

/**
 * What a command that threw prints and returns: a FootprintError is one line
 * and its own exit code; anything else is a bug in footprint (exit 70), said
 * so in one line with a request to report it. --debug adds the stack.
 */
export function reportError(io: Io, command: string, err: unknown, debug: boolean): number {
  if (err instanceof FootprintError) {
    io.err(`footprint ${command}: ${err.describe()}\n`);
    if (debug) io.err(`${err.stack}\n`);
    return err.exitCode;
  }
  const message = err instanceof Error ? err.message : String(err);
  io.err(`footprint ${command}: internal error: ${printable(message)} (a bug in footprint: please report it; --debug shows where)\n`);
  if (debug && err instanceof Error) io.err(`${err.stack}\n`);
  return EXIT.internal;
}
