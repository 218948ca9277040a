import { main } from '../cli/main.js';

/** Runs the CLI in-process with captured stdout/stderr, for tests. */
export async function runCli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}
