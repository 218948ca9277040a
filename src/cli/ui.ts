import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadCapture } from '../collect/load.js';
import { MANIFEST_FILE } from '../collect/manifest.js';
import { ANY_INPUT, datasetsFromCapture, datasetsFromFiles, type Datasets } from '../server/datasets.js';
import { startUiServer } from '../server/server.js';
import type { Store } from '../collect/store/index.js';
import { INPUT_FLAGS, parse, reportOptions, UsageError, REPORT_FLAGS, type ParsedValues } from './args.js';
import type { Io } from './io.js';
import { Inputs, INPUT_HELP } from './input/index.js';

export const UI_HELP = `footprint ui — look at profiles, GC logs, traces and goroutines in your browser

Usage: footprint ui [flags] FILE...        profiles, gctrace logs, traces, goroutine dumps (any mix)
       footprint ui [flags] CAPTURE_DIR    a footprint doctor capture: opens on its findings
       footprint ui --store DEST [FILE...] a store footprint watch wrote: its snapshots and history

Serves a local web app on 127.0.0.1 (nothing leaves the machine, nothing is fetched from
the network) and prints its URL as the first line on stdout; serves until Ctrl-C.
Inputs are recognised from their content, as by the other commands.

Views: findings (each links to the view that shows its evidence); flame graph (icicle or
flame, click to zoom, breadcrumbs, regex search with the matched total, sandwich view,
focus/ignore/hide, a table of functions in sync with the zoom; red/blue diff with
--diff_base); GC timeline of a gctrace log with GOGC/GOMEMLIMIT what-ifs; trace timeline
(GC, stop-the-world and assist lanes, heap, goroutines); goroutine groups with stacks;
with --store, the store: its snapshots per service (time, kinds), the findings of
footprint history, each linking to the snapshots it spans, and any snapshot — or the
diff of two, as --diff_base — opened in the flame graph. The store is opened read-only.

Flags:
  --port N             listen on port N (default 0: any free port)
  --no-open            do not open the system browser
  --diff_base FILE     show each profile as a diff against FILE (pprof's --diff_base)
  --store DEST         a store: a SQLite file (sqlite:PATH) or postgres://… (see footprint watch)
  --sample_index NAME  the sample type the flame graph opens on (or --inuse_space, --alloc_space, …)
  --json               print { "url": … } as the first line instead of the bare URL

${INPUT_HELP}

Examples:
  footprint ui heap.pb.gz
  footprint ui --no-open --port 8080 allocs.pb.gz gc.log trace.out goroutines.txt
  footprint ui --diff_base before.pb.gz after.pb.gz
  footprint ui footprint-capture-20261206-031500
  footprint ui --store footprint.db
`;

/** pprof's sample-type flags and --diff_base; the other report flags are the app's own controls. */
const SAMPLE_FLAGS = ['sample_index', 'inuse_space', 'inuse_objects', 'alloc_space', 'alloc_objects', 'total_delay', 'contentions', 'diff_base'];

const FLAGS = {
  ...Object.fromEntries(SAMPLE_FLAGS.map((f) => [f, REPORT_FLAGS[f]!])),
  ...INPUT_FLAGS,
  port: { type: 'string' },
  store: { type: 'string' },
  'no-open': { type: 'boolean' },
} as const;

export async function runUi(argv: string[], io: Io, signal: Promise<unknown> = interrupted()): Promise<number> {
  const { values, positionals } = parse(argv, FLAGS);
  if (values['help']) {
    io.out(UI_HELP);
    return 0;
  }
  const port = portOf(values['port'] as string | undefined);
  const diffBase = values['diff_base'] as string[] | undefined;
  const storeDest = values['store'] as string | undefined;
  const inputs = Inputs.fromFlags(values, [...positionals, ...(diffBase ?? [])]);
  const data = storeDest !== undefined && positionals.length === 0 ? emptyDatasets(diffBase) : await load(inputs, positionals, diffBase);
  const store = storeDest !== undefined ? await openStore(storeDest) : undefined;
  try {
    if (store) {
      data.store = store;
      data.title = positionals.length ? `${store.description}, ${data.title}` : store.description;
    }
    return await serve(data, values, port, io, signal);
  } finally {
    await store?.close();
  }
}

async function serve(data: Datasets, values: ParsedValues, port: number, io: Io, signal: Promise<unknown>): Promise<number> {
  const sampleIndex = reportOptions(values).sampleIndex;
  const server = await startUiServer(data, { port, ...(sampleIndex ? { sampleIndex } : {}) });
  // One line either way: a script reads the first line and has the URL.
  if (values['json']) io.out(`${JSON.stringify({ url: server.url })}\n`);
  else io.out(`${server.url}\n`);
  for (const note of data.notes) io.err(`footprint ui: ${note}\n`);
  io.err('footprint ui: serving on 127.0.0.1 only; Ctrl-C to stop\n');
  if (!values['no-open']) openBrowser(server.url);
  await signal;
  await server.close();
  return 0;
}

/** Read-only: the UI never writes to a store (and cannot: SQLite's read-only flag, a read-only PostgreSQL session). */
async function openStore(dest: string): Promise<Store> {
  const { Store } = await import('../collect/store/index.js');
  return Store.open(dest, { create: false, readOnly: true });
}

function emptyDatasets(diffBase: string[] | undefined): Datasets {
  if (diffBase) throw new UsageError('--diff_base compares files; in the store view, choose a base snapshot instead');
  return { title: '', profiles: [], gcLogs: [], traces: [], goroutines: [], notes: [] };
}

function portOf(raw: string | undefined): number {
  if (raw === undefined) return 0;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n > 65535) throw new UsageError(`--port ${raw}: expected a port number 0–65535`);
  return n;
}

async function load(inputs: Inputs, positionals: string[], diffBase: string[] | undefined): Promise<Datasets> {
  if (positionals.length === 0) throw new UsageError('no input given; footprint ui --help');
  if (diffBase && diffBase.length > 1) throw new UsageError('--diff_base takes one file');
  const capture = positionals.length === 1 && isCapture(positionals[0]!);
  if (capture) {
    if (diffBase) throw new UsageError('--diff_base compares profiles; a capture folder has its own (use footprint doctor --compare)');
    return datasetsFromCapture(positionals[0]!, loadCapture(positionals[0]!));
  }
  // Recognised after reading (datasets.ts): any format, up to the largest format's limit.
  const admit = () => ANY_INPUT;
  const files = [];
  for (const spec of positionals) files.push(await inputs.read(spec, admit));
  const base = diffBase ? await inputs.read(diffBase[0]!, admit) : undefined;
  return datasetsFromFiles(files, base);
}

function isCapture(path: string): boolean {
  try {
    return statSync(path).isDirectory() && existsSync(join(path, MANIFEST_FILE));
  } catch {
    return false;
  }
}

/** Resolves on the first Ctrl-C (or SIGTERM). */
function interrupted(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** The system's opener, when there is one; a headless machine just keeps the printed URL. */
function openBrowser(url: string): void {
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(opener, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No opener: the URL is on stdout.
  }
}
