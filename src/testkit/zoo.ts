import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * The live zoo (testdata/programs/zoo): Go services with one planted problem
 * each, built with the machine's Go and run on 127.0.0.1 for end-to-end
 * tests of `footprint doctor`.
 */

const PROGRAMS = new URL('../../testdata/programs/', import.meta.url).pathname;

export interface Planted {
  planted: string[];
  function: string | null;
  holder: string | null;
  load: string;
  notes: string;
}

export function plantedManifest(): Record<string, Planted> {
  return (JSON.parse(readFileSync(join(PROGRAMS, 'zoo', 'planted.json'), 'utf8')) as { programs: Record<string, Planted> }).programs;
}

/** The Go toolchain to build with: $GO, else `go` on PATH, else Go's default install; undefined when none runs. */
export function goTool(): string | undefined {
  for (const go of [process.env.GO, 'go', '/usr/local/go/bin/go'].filter((g): g is string => !!g)) {
    if (spawnSync(go, ['version'], { stdio: 'ignore' }).status === 0) return go;
  }
  return undefined;
}

/** Builds the named zoo programs into `out` (-trimpath, as the fixtures are). */
export function buildZoo(go: string, names: readonly string[], out: string): void {
  const r = spawnSync(go, ['build', '-trimpath', '-o', `${out}/`, ...names.map((n) => `./zoo/${n}`)], {
    cwd: PROGRAMS,
    env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-buildvcs=false', GOTOOLCHAIN: 'local', GOWORK: 'off' },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`go build of the zoo failed: ${r.stderr}`);
}

export interface Service {
  addr: string;
  pid: number;
  stop(): void;
}

/** Starts a zoo program (two Ps, like the fixtures) and waits for the address it prints first. */
export async function startService(binary: string, args: readonly string[] = []): Promise<Service> {
  const child: ChildProcess = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GOMAXPROCS: '2', GOGC: '', GOMEMLIMIT: '', GODEBUG: '' } });
  const stop = () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  const addr = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${binary} printed no address within 10 s`)), 10_000);
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve(line.trim());
    });
    child.once('exit', (code) => reject(new Error(`${binary} exited (${code}) before listening`)));
  }).catch((err: unknown) => {
    stop();
    throw err;
  });
  if (!addr.startsWith('127.0.0.1:')) {
    stop();
    throw new Error(`${binary} listens on ${addr}, not loopback`);
  }
  return { addr, pid: child.pid!, stop };
}
