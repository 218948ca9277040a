import { printable } from './printable.js';

/**
 * Every error footprint means to report to a user: one line, and the exit
 * code it ends the command with. Anything else that escapes a command is a
 * bug (an internal error, EXIT.internal).
 */
export const EXIT = {
  ok: 0,
  /** A check failed: --fail-on found a finding at that severity, or a budget was exceeded. */
  checkFailed: 1,
  /** Bad usage or unreadable input. */
  usage: 2,
  /** A bug in footprint (BSD sysexits' EX_SOFTWARE): please report it. */
  internal: 70,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class FootprintError extends Error {
  override name = 'FootprintError';
  readonly exitCode: ExitCode = EXIT.usage;

  /** The one line a user sees: whatever the message quotes from the input is made printable. */
  describe(): string {
    return printable(this.message);
  }
}

/** Profiles that cannot be merged (different sample types or units). */
export class IncompatibleProfilesError extends FootprintError {
  override name = 'IncompatibleProfilesError';
}

/** A readable input of the wrong kind for what was asked: a goroutine profile given to the heap doctor. */
export class WrongInputError extends FootprintError {
  override name = 'WrongInputError';
  constructor(
    message: string,
    /** The file (or other source) it came from, when known. */
    readonly source?: string,
  ) {
    super(message);
  }

  override describe(): string {
    return printable(this.source === undefined ? this.message : `${this.source}: ${this.message}`);
  }
}
