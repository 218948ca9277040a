import type { BuildInfo } from '../../model/binary.js';

/**
 * The file-name bytes of the pclntab that -trimpath would not write. A
 * trimmed build names standard-library files from GOROOT/src (runtime/proc.go),
 * module-cache files from their module (golang.org/x/net@v0.1.0/...), and the
 * main module's files from its module path (cmd/go's -trimpath rewrites,
 * cmd/go/internal/work/gc.go). GOROOT is read off the runtime's own files,
 * the main module's directory off the main package's file names.
 */
export function trimpathSavings(fileNames: readonly string[], info: BuildInfo | undefined): number {
  if (info?.settings.some((s) => s.key === '-trimpath' && s.value === 'true')) return 0;
  const goroot = fileNames.map((n) => /^(.*\/)src\/runtime\/[^/]+\.go$/.exec(n)?.[1]).find((p) => p !== undefined);
  const moduleDir = mainModuleDir(info, fileNames, goroot);
  let saved = 0;
  for (const name of fileNames) {
    const trimmed = trim(name, goroot, moduleDir, info?.main?.path);
    saved += byteLength(name) - byteLength(trimmed);
  }
  return saved;
}

function trim(name: string, goroot: string | undefined, moduleDir: string | undefined, modulePath: string | undefined): string {
  if (goroot && name.startsWith(`${goroot}src/`)) return name.slice(goroot.length + 4);
  const cache = name.indexOf('/pkg/mod/');
  if (cache >= 0) return name.slice(cache + 9);
  if (moduleDir && modulePath && name.startsWith(`${moduleDir}/`)) return `${modulePath}${name.slice(moduleDir.length)}`;
  return name;
}

/**
 * The main module's directory: of the absolute directories outside GOROOT
 * and the module cache that end with the main package's path below its
 * module, the shortest, less that path.
 */
function mainModuleDir(info: BuildInfo | undefined, fileNames: readonly string[], goroot: string | undefined): string | undefined {
  const modulePath = info?.main?.path;
  const pkgPath = info?.path;
  if (!modulePath || !pkgPath || !pkgPath.startsWith(modulePath)) return undefined;
  const below = pkgPath.slice(modulePath.length);
  let best: string | undefined;
  for (const name of fileNames) {
    if (!name.startsWith('/') || (goroot && name.startsWith(goroot)) || name.includes('/pkg/mod/')) continue;
    const dir = name.slice(0, name.lastIndexOf('/'));
    if (dir.endsWith(below) && (best === undefined || dir.length < best.length)) best = dir;
  }
  return best === undefined ? undefined : best.slice(0, best.length - below.length);
}

function byteLength(s: string): number {
  return new TextEncoder().encode(s).length;
}
