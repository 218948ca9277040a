import { execFileSync } from 'node:child_process';

/** The Go toolchains the fixtures are built with; a missing one skips its tests. */
export const GO_TOOLCHAINS = [
  ['go1.23', process.env['GO123'] ?? '/usr/lib/go-1.23/bin/go'],
  ['go1.26', process.env['GO126'] ?? 'go'],
] as const;

/** `go env GOVERSION`, or undefined when the toolchain is not installed. */
export function goVersion(go: string): string | undefined {
  try {
    return execFileSync(go, ['env', 'GOVERSION'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** The environment fixture builds run in: this toolchain only, no cgo, no VCS stamping, no workspace. */
export function goEnv(): NodeJS.ProcessEnv {
  return { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-buildvcs=false', CGO_ENABLED: '0', GOWORK: 'off' };
}

/** `go build [flags] -o out pkg` in `cwd`. */
export function goBuild(go: string, cwd: string, out: string, pkg: string, flags: readonly string[]): string {
  execFileSync(go, ['build', ...flags, '-o', out, pkg], { cwd, env: goEnv(), stdio: 'pipe', timeout: 300_000 });
  return out;
}

/** A Go tool's output (`go tool nm`, `go version -m`). */
export function goTool(go: string, args: readonly string[]): string {
  return execFileSync(go, args, { encoding: 'utf8', env: goEnv(), stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 });
}
