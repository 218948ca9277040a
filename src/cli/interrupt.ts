import { setMaxListeners } from 'node:events';
import type { Io } from './io.js';

/**
 * Ctrl-C (and the given other signals) for a long-running command: the first
 * prints `message` and aborts the returned signal, so the command stops what
 * is in flight and keeps what arrived; a second one quits at once (130).
 * `release` removes the handlers.
 */
export function interruptible(io: Io, message: string, signals: readonly NodeJS.Signals[] = ['SIGINT']): { signal: AbortSignal; release: () => void } {
  const abort = new AbortController();
  // Every request in flight listens to it.
  setMaxListeners(100, abort.signal);
  const onSignal = () => {
    if (abort.signal.aborted) process.exit(130);
    io.err(`\n${message}\n`);
    abort.abort();
  };
  for (const s of signals) process.on(s, onSignal);
  return { signal: abort.signal, release: () => signals.forEach((s) => process.off(s, onSignal)) };
}
