import { writeSync } from 'node:fs';
import { main } from '../cli/main.js';

/**
 * The CLI as bin/footprint.js runs it, in a child process started by
 * runCliChild, which reads the process's peak RSS from fd 3 when it exits
 * (process.resourceUsage().maxRSS, in KiB).
 */
process.on('exit', () => {
  try {
    writeSync(3, String(process.resourceUsage().maxRSS));
  } catch {
    // No fd 3: run by hand.
  }
});
process.exitCode = await main(process.argv.slice(2));
