/** Where a command writes; injectable so tests can capture output. */
export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

export const processIo: Io = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
};

/** Pretty JSON; bigints (which JSON.stringify refuses) become decimal strings. */
export function printJson(io: Io, value: unknown): void {
  io.out(toJson(value) + '\n');
}

function toJson(value: unknown): string {
  try {
    // Most reports hold no bigint, and a replacer function costs a call per value (twice the time on a trace report).
    return JSON.stringify(value, null, 2);
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2);
  }
}
