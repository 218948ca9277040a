import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What a temp folder needs from a test: a hook that runs when it ends (node:test's TestContext and the `after` hook both fit). */
type Cleanup = { after: (fn: () => void) => void } | ((fn: () => void) => void);

/** A fresh folder under the system temp directory, removed when the test (or file, given `after`) ends. */
export function tempDir(cleanup: Cleanup, name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `footprint-${name}-`));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  if (typeof cleanup === 'function') cleanup(remove);
  else cleanup.after(remove);
  return dir;
}
