/**
 * What a frame's function name says: its package, whether it belongs to the
 * runtime or the standard library, and which frames a traceback hides.
 */

/** `net/http.(*conn).serve` → `net/http`; `main.main.func1` → `main`; `gopkg.in/yaml%2ev2.Unmarshal` → `gopkg.in/yaml%2ev2`. */
export function packageOf(func: string): string {
  const slash = func.lastIndexOf('/');
  const dot = func.indexOf('.', slash + 1);
  return dot < 0 ? func : func.slice(0, dot);
}

/**
 * Top-level directories of the Go standard library (GOROOT/src, Go 1.26).
 * A package path without a dot in its first element is not enough: module
 * paths like `myapp/internal/x` have none either.
 */
const STD_ROOTS = new Set(
  ('archive bufio builtin bytes cmp compress container context crypto database debug embed encoding errors ' +
    'expvar flag fmt go hash html image index internal io iter log maps math mime net os path plugin reflect ' +
    'regexp runtime slices sort strconv strings structs sync syscall testing text time unicode unique unsafe ' +
    'vendor weak').split(' '),
);

export function isStdlibFunc(func: string): boolean {
  if (func === 'panic') return true; // runtime.gopanic as tracebacks print it
  const pkg = packageOf(func);
  const root = pkg.split('/', 1)[0]!;
  return STD_ROOTS.has(root) && !root.includes('.');
}

/** An unexported `runtime.` function: what a level-1 traceback (and the debug=1 text, at the leaf) leaves out. */
export function isHiddenRuntimeFunc(func: string): boolean {
  if (!func.startsWith('runtime.')) return false;
  const c = func.charCodeAt('runtime.'.length);
  return !(c >= 65 && c <= 90); // exported runtime functions (runtime.Gosched, runtime.GC) are shown
}

/**
 * A function name as a traceback prints it: profiles name generic
 * instantiations by their shapes (`main.f[go.shape.string]`,
 * `pkg.(*T[go.shape.int]).m`), tracebacks print `[...]` (traceback.go
 * printFuncName), so stacks from both forms compare equal.
 */
export function tracebackName(func: string): string {
  if (!func.includes('[')) return func;
  let out = '';
  let depth = 0;
  for (const ch of func) {
    if (ch === '[') {
      if (depth++ === 0) out += '[...';
    } else if (ch === ']') {
      if (--depth === 0) out += ']';
      if (depth < 0) return func; // unbalanced: leave it as it is
    } else if (depth === 0) out += ch;
  }
  return depth === 0 ? out : func;
}

/**
 * Code the program's authors own: not the runtime, the standard library,
 * its vendored packages (`vendor/golang.org/x/…`) or golang.org/x, whose
 * frames sit between a program and the allocator or the lock. A finding
 * names the first such frame and keeps the library frame in its evidence.
 */
export function isUserFunction(func: string): boolean {
  return func !== '' && !isStdlibFunc(func) && !func.startsWith('golang.org/x/') && !func.startsWith('<unknown>');
}

/**
 * Frames of the profiling machinery: what it allocates or waits on to serve
 * a profile is never the program's. The runtime's own trace goroutines (the
 * generation advancer, the reader) run no runtime/trace frame.
 */
export const PROFILER_FUNCTION =
  /^(?:(?:net\/http\/pprof|runtime\/pprof|runtime\/trace|internal\/trace|internal\/profile)\.|runtime\.(?:\(\*traceAdvancerState\)\.|\(\*wakeableSleep\)\.|(?:traceAdvance|ReadTrace|StartTrace|StopTrace|traceReader|traceStartReadCPU)\b))/;
