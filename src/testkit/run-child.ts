import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';

const CHILD = new URL('./child-cli.js', import.meta.url).pathname;

export interface ChildRun {
  /** Exit code, or null when killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
  /** Peak resident memory of the child, in bytes (null if it died before saying). */
  maxRssBytes: number | null;
  /** Killed at the time bound. */
  timedOut: boolean;
}

export interface ChildOptions {
  /** Killed (SIGKILL) after this long: a guard against hangs, not a measurement. */
  timeoutMs: number;
  /** What to write to stdin: bytes, or chunks written until the child stops reading (an endless pipe). */
  stdin?: Uint8Array | (() => Iterable<Uint8Array>);
  /**
   * Write it to this named pipe instead (made here with mkfifo), for a pipe
   * given as a path, as <(…) gives one. The child's stdin is a socket, not a
   * pipe, so /dev/stdin would not do.
   */
  fifo?: string;
  /** Run under `ulimit -v` of this many KiB (a cap on address space, as some hosts set). */
  addressSpaceKiB?: number;
}

/** Runs the CLI in a child process (stdin, devices, memory), with a time bound; reports its peak RSS. */
export function runCliChild(args: readonly string[], opts: ChildOptions): Promise<ChildRun> {
  return new Promise((resolve) => {
    const argv = [CHILD, ...args];
    const child =
      opts.addressSpaceKiB === undefined
        ? spawn(process.execPath, argv, { stdio: ['pipe', 'pipe', 'pipe', 'pipe'] })
        : spawn('bash', ['-c', `ulimit -v ${opts.addressSpaceKiB} && exec "$0" "$@"`, process.execPath, ...argv], { stdio: ['pipe', 'pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let rss = '';
    let timedOut = false;
    child.stdout!.setEncoding('utf8').on('data', (s: string) => (out += s));
    child.stderr!.setEncoding('utf8').on('data', (s: string) => (err += s));
    const fd3 = child.stdio[3] as NodeJS.ReadableStream;
    fd3.setEncoding('utf8');
    fd3.on('data', (s: string) => (rss += s));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs);
    let target: Writable = child.stdin!;
    if (opts.fifo !== undefined) {
      execFileSync('mkfifo', [opts.fifo]);
      child.stdin!.end();
      target = createWriteStream(opts.fifo);
    }
    feed(target, opts.stdin);
    child.on('exit', () => target.destroy());
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, out, err, maxRssBytes: rss === '' ? null : Number(rss) * 1024, timedOut });
    });
  });
}

function feed(stdin: Writable, input: ChildOptions['stdin']): void {
  stdin.on('error', () => {}); // EPIPE: the child stopped reading, as it may
  if (input === undefined) return void stdin.end();
  if (input instanceof Uint8Array) return void stdin.end(input);
  const chunks = input()[Symbol.iterator]();
  const pump = () => {
    for (;;) {
      if (stdin.destroyed) return;
      const r = chunks.next();
      if (r.done) return void stdin.end();
      if (!stdin.write(r.value)) return void stdin.once('drain', pump);
    }
  };
  pump();
}
