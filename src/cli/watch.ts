import { targetUrl } from '../collect/capture.js';
import { DEFAULT_STORE, Store } from '../collect/store/index.js';
import { watch, type RoundReport } from '../collect/watch.js';
import { formatBytes, formatDuration } from '../model/units.js';
import { durationMs, parse, parseHeaders, positiveInteger, UsageError } from './args.js';
import { interruptible } from './interrupt.js';
import { printJson, type Io } from './io.js';

export const WATCH_HELP = `footprint watch — collect from services over hours into a store, safely

Usage: footprint watch [flags] URL...

Every round, for each service at once: a heap profile, a goroutine profile, the
allocs, mutex and block deltas over the interval, and the MemStats footer, stored as
one snapshot in one transaction — killing the watcher at any moment loses nothing
already stored and leaves no half snapshot; start it again and it goes on. A service
that does not answer is retried with back-off (1s, 2s, 4s … up to the interval).
One line per round and service: what was stored, what failed.

Then: footprint history --store DEST (findings over the stored history), and
footprint top DEST#ID / footprint heap DEST#ID (a stored profile, as a file).

Flags:
  --every D       the interval (default 1m; at least 1s); the deltas cover it
  --store DEST    a SQLite file (default ${DEFAULT_STORE}; sqlite:PATH), or postgres://user@host/db
                  (credentials from the URL or PGPASSWORD/~/.pgpass; never printed)
  --keep D        delete snapshots older than D (e.g. 7d), and what only they referenced
  --rounds N      stop after N rounds per service (default: until Ctrl-C)
  --header 'N: v' send a header with every request (repeatable; for auth)
  --timeout D     per request, on top of its own duration (default 15s)
  --json          round lines go to stderr; when the watcher stops, one document on stdout:
                  { store, rounds: [{ target, round, atMs, snapshot?, kinds, fetchedBytes,
                  errors, retryInMs?, pruned? }] }

Examples:
  footprint watch --every 1m --keep 7d http://127.0.0.1:6060 http://127.0.0.1:6061
  footprint watch --store postgres://footprint@db.internal/profiles svc-a:6060
`;

const FLAGS = {
  every: { type: 'string' },
  store: { type: 'string' },
  keep: { type: 'string' },
  rounds: { type: 'string' },
  header: { type: 'string', multiple: true },
  timeout: { type: 'string' },
} as const;

export async function runWatch(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, FLAGS);
  if (values['help']) {
    io.out(WATCH_HELP);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('expects one or more service URLs; footprint watch --help');
  const targets = [...new Set(positionals.map(targetUrl))];
  const everyMs = durationMs(values, 'every', 60_000);
  if (everyMs < 1000) throw new UsageError('--every must be at least 1s (pprof deltas are whole seconds)');
  const keepMs = values['keep'] === undefined ? undefined : durationMs(values, 'keep', 0);
  if (keepMs !== undefined && keepMs < everyMs) throw new UsageError('--keep must be at least --every (or nothing would be kept)');
  const rounds = values['rounds'] === undefined ? undefined : positiveInteger(values, 'rounds', 1);
  const json = values['json'] === true;
  const store = await Store.open(typeof values['store'] === 'string' ? values['store'] : undefined);
  const { signal, release } = interruptible(io, 'footprint watch: stopping after the snapshots being written (Ctrl-C again to quit at once)', ['SIGINT', 'SIGTERM']);
  const reports: RoundReport[] = [];
  try {
    const have = (await store.list()).length;
    io.err(`footprint watch: storing into ${store.description}${have ? ` (it holds ${have} snapshot${have === 1 ? '' : 's'}; going on)` : ''}, every ${formatDuration(everyMs * 1e6)}\n`);
    await watch({
      targets,
      everyMs,
      store,
      ...(keepMs !== undefined ? { keepMs } : {}),
      ...(rounds !== undefined ? { rounds } : {}),
      headers: parseHeaders(values['header']),
      requestTimeoutMs: durationMs(values, 'timeout', 15_000),
      signal,
      onRound: (r) => {
        reports.push(r);
        if (json) io.err(roundLine(r));
        else io.out(roundLine(r));
      },
    });
    if (json) printJson(io, { store: store.description, rounds: reports });
  } finally {
    release();
    await store.close();
  }
  return 0;
}

/** `TIME TARGET #ID: kinds (size fetched) · errors · pruned` for one round. */
export function roundLine(r: RoundReport): string {
  const time = new Date(r.atMs).toISOString().slice(0, 19) + 'Z';
  const stored = r.snapshot !== undefined ? `snapshot ${r.snapshot}: ${r.kinds.join(', ')} (${formatBytes(r.fetchedBytes)} fetched)` : 'nothing stored';
  const errors = r.errors.length ? ` · failed: ${r.errors.map((e) => `${e.kind}: ${e.error}`).join('; ')}` : '';
  const retry = r.retryInMs !== undefined ? ` · retry in ${formatDuration(r.retryInMs * 1e6)}` : '';
  const pruned = r.pruned ? ` · pruned ${r.pruned.snapshots} old snapshot${r.pruned.snapshots === 1 ? '' : 's'}${r.pruned.collected ? ' and what only they referenced' : ''}` : '';
  return `${time} ${r.target} round ${r.round}: ${stored}${errors}${retry}${pruned}\n`;
}
