import { toJson } from '../present/json.js';
import { printable } from '../present/printable.js';
import { styleFor, type Style } from '../present/style.js';

/** Where a command writes, and what kind of terminal it writes to; injectable so tests can capture output. */
export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  /** Colour on stdout (a terminal, and NO_COLOR unset). */
  colour: boolean;
  /** stderr is a terminal: progress lines may be drawn there. */
  progress: boolean;
}

export const processIo: Io = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  colour: process.stdout.isTTY === true && process.env.NO_COLOR === undefined,
  progress: process.stderr.isTTY === true,
};

/** Captures what a command writes (tests, and callers that want the text). */
export function captureIo(): Io & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    out: (s) => (out += s),
    err: (s) => (err += s),
    colour: false,
    progress: false,
    stdout: () => out,
    stderr: () => err,
  };
}

export function styleOf(io: Io): Style {
  return styleFor(io.colour);
}

/** A line on stderr that may quote the input (a warning): made printable, so it stays one line and inert. */
export function warn(io: Io, line: string): void {
  io.err(`${printable(line)}\n`);
}

export function printJson(io: Io, value: unknown): void {
  io.out(toJson(value) + '\n');
}
