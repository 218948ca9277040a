import { captureIo } from '../cli/io.js';
import { main } from '../cli/main.js';

/** Runs the CLI in-process with captured stdout/stderr, for tests. */
export async function runCli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo();
  const code = await main(args, io);
  return { code, out: io.stdout(), err: io.stderr() };
}
