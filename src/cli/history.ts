import { analyzeHistory } from '../analyze/history/index.js';
import { targetUrl } from '../collect/capture.js';
import { DEFAULT_STORE, Store } from '../collect/store/index.js';
import { historyText } from '../present/text/history.js';
import { durationMs, parse } from './args.js';
import { exitForFindings, failOnThreshold, FAIL_ON_FLAG, FAIL_ON_HELP } from './fail-on.js';
import { printJson, styleOf, type Io } from './io.js';

export const HISTORY_HELP = `footprint history — the stored snapshots, and what regressed over them

Usage: footprint history [flags]

Reads a store that footprint watch wrote and reports, per service, over the whole
stored span: heap growth per allocation site (the heap doctor's rules, over hours),
goroutine growth, a rising GC CPU share, and allocation hot spots that are new or much
hotter in the later half than in the earlier one — most important first.

Flags:
  --store DEST    a SQLite file (default ${DEFAULT_STORE}; sqlite:PATH) or postgres://…
  --target URL    only this service
  --since D       only snapshots from the last D (e.g. 6h, 2d)
  --json          { snapshots: [{ id, target, time, kinds }], findings }
${FAIL_ON_HELP}

A stored profile is a file to every report: footprint top DEST#ID (the heap),
footprint top DEST#ID:allocs (or goroutine, mutex, block), footprint heap DEST#ID DEST#ID2.

Examples:
  footprint history
  footprint history --store postgres://footprint@db.internal/profiles --since 1d --fail-on medium
`;

const FLAGS = {
  store: { type: 'string' },
  target: { type: 'string' },
  since: { type: 'string' },
  ...FAIL_ON_FLAG,
} as const;

export async function runHistory(argv: string[], io: Io): Promise<number> {
  const { values } = parse(argv, FLAGS);
  if (values['help']) {
    io.out(HISTORY_HELP);
    return 0;
  }
  const failOn = failOnThreshold(values);
  const filter = {
    ...(typeof values['target'] === 'string' ? { target: targetUrl(values['target']) } : {}),
    ...(values['since'] !== undefined ? { sinceMs: Date.now() - durationMs(values, 'since', 0) } : {}),
  };
  const store = await Store.open(typeof values['store'] === 'string' ? values['store'] : undefined, { create: false });
  try {
    const snapshots = (await store.list(filter)).map(({ id, target, time, kinds }) => ({ id, target, time, kinds }));
    const analysis = analyzeHistory(await store.history(filter));
    if (values['json'] === true) printJson(io, { snapshots, findings: analysis.findings });
    else io.out(historyText(store.description, snapshots, analysis, styleOf(io)));
    return exitForFindings(io, 'history', failOn, analysis.findings);
  } finally {
    await store.close();
  }
}
