import { printable } from '../present/printable.js';
import type { Io } from './io.js';

/**
 * Progress for long loads: phases are announced on stderr once the command
 * has been running for a second, only on a terminal and never under --json,
 * so pipes and scripts see clean output.
 */
export class Progress {
  private readonly start = Date.now();
  private shown = false;

  constructor(
    private readonly enabled: boolean,
    private readonly write: (s: string) => void = (s) => process.stderr.write(s),
  ) {}

  /** Progress on stderr when it is a terminal and the command prints text, not --json. */
  static for(io: Io, json: boolean): Progress {
    return new Progress(!json && io.progress, io.err);
  }

  phase(what: string): void {
    if (!this.enabled) return;
    const elapsed = (Date.now() - this.start) / 1000;
    if (elapsed < 1 && !this.shown) return;
    this.shown = true;
    this.write(`\r\x1b[K… ${printable(what)} (${elapsed.toFixed(1)}s)`);
  }

  done(): void {
    if (this.shown) this.write('\r\x1b[K');
  }
}
