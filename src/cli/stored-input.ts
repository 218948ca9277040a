import { encodeProfileProto } from '../formats/pprof/encode.js';
import { provideInput } from './input/open.js';

/** Looks like `DEST#ID` or `DEST#ID:KIND`; only such arguments load the store's code. */
const REF_SHAPE = /#\d+(?::[a-z]+)?$/;

/**
 * Makes stored snapshots readable as files: every argument (or `--flag=value`
 * value) that names one — `footprint.db#12`, `postgres://…/db#12:allocs` —
 * is read from its store before the command runs and served to openInput
 * (cli/input) under that name as pprof bytes, so every command that reads a profile
 * file (top, peek, traces, export, heap, goroutines, contention, …) reads a
 * stored one the same way, --base included. A file that exists under such
 * a name is still the file.
 */
export async function provideStoredInputs(argv: readonly string[]): Promise<void> {
  const candidates = argv.map((a) => (a.startsWith('-') && a.includes('=') ? a.slice(a.indexOf('=') + 1) : a)).filter((a) => REF_SHAPE.test(a));
  if (candidates.length === 0) return;
  const { parseStoreRef, Store } = await import('../collect/store/index.js');
  for (const arg of candidates) {
    const ref = parseStoreRef(arg);
    if (!ref) continue;
    const store = await Store.open(ref.dest, { create: false });
    try {
      provideInput(arg, encodeProfileProto(await store.profile(ref.snapshot, ref.kind)));
    } finally {
      await store.close();
    }
  }
}
