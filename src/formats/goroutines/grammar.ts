/**
 * The line shapes of a Go traceback (runtime/traceback.go: goroutineheader,
 * traceback2, printcreatedby, printAncestorTraceback) and the wait reasons
 * of runtime/runtime2.go (waitReasonStrings). Each reader
 * returns null for "not this line" so the parser can try the next shape.
 */

/**
 * `goroutine 12 [chan receive, 3 minutes, locked to thread]:`, optionally with
 * ` gp=0x… m=N|nil mp=0x…` after the id (GOTRACEBACK=system, crashes). The
 * bracket is matched greedily to the last `]:` so a status containing `]`
 * cannot cut it short.
 */
const HEADER_RE = /^goroutine (\d+)(?: gp=0x[0-9a-f]+ m=(\d+|nil)(?: mp=0x[0-9a-f]+)?)? \[(.*)\]:$/;

export interface Header {
  id: number;
  m: string | undefined;
  state: string;
  waitMinutes: number;
  lockedToThread: boolean;
  scan: boolean;
  leaked: boolean;
  extra: string[];
}

/**
 * `goroutine N [` (with the optional gp/m fields): a line that means to be a
 * goroutine header, so one that then does not parse is a malformed dump, not
 * a program's log line such as "goroutine 12 finished".
 */
const HEADER_START_RE = /^goroutine \d+(?: gp=0x[0-9a-f]+ m=\S+(?: mp=0x[0-9a-f]+)?)? \[/;

/** True when the line starts like a goroutine header (used by sniffing and to spot a malformed one). */
export function looksLikeHeader(line: string): boolean {
  return line.startsWith('goroutine ') && HEADER_START_RE.test(line);
}

export function readHeader(line: string): Header | null {
  const m = HEADER_RE.exec(line);
  if (!m) return null;
  const id = Number(m[1]);
  if (!Number.isSafeInteger(id)) return null;
  // No wait reason contains ", " (runtime2.go, waitReasonStrings), so the bracket splits on it.
  const [first = '', ...items] = m[3]!.split(', ');
  // goroutineheader prints the status, then " (leaked)" (Go 1.26, a goroutine the GC
  // proved leaked), then " (scan)"; synctest's " (durable)" stays part of the state.
  const { rest: unscanned, found: scan } = cutMarker(first, ' (scan)');
  const { rest: state, found: leaked } = cutMarker(unscanned, ' (leaked)');
  const h: Header = { id, m: m[2], state, waitMinutes: 0, lockedToThread: false, scan, leaked, extra: [] };
  for (const item of items) {
    const minutes = /^(\d+) minutes?$/.exec(item);
    if (minutes) h.waitMinutes = Number(minutes[1]);
    else if (item === 'locked to thread') h.lockedToThread = true;
    else h.extra.push(item);
  }
  return h;
}

function cutMarker(status: string, marker: string): { rest: string; found: boolean } {
  const at = status.indexOf(marker);
  return at < 0 ? { rest: status, found: false } : { rest: status.slice(0, at) + status.slice(at + marker.length), found: true };
}

/** `func(args)`: the function is everything before the last `(` (arguments never contain one). */
export function readCall(line: string): { func: string; args: string } | null {
  if (!line.endsWith(')') || line.startsWith('\t') || line.startsWith(' ')) return null;
  const open = line.lastIndexOf('(');
  if (open <= 0) return null;
  return { func: line.slice(0, open), args: line.slice(open + 1, -1) };
}

/**
 * `\tfile:line[ +0xoff][ fp=0x… sp=0x… pc=0x…]`. The file is anchored on the
 * last `:digits` (Windows paths carry a drive colon). No `+0x` means the call
 * was inlined. Spaces are accepted for the tab: dumps pasted into issues and
 * chats often lose it. Before `pc=` was added (Go ≤1.4, e.g. golang/go.arm64#115)
 * the trailer was `fp= sp=` only.
 */
const FILE_RE = /^[\t ]+(\S.*):(\d+)( \+0x[0-9a-f]+)?(?: fp=0x[0-9a-f]+ sp=0x[0-9a-f]+(?: pc=0x[0-9a-f]+)?)?$/;

export function readFileLine(line: string): { file: string; line: number; hasOffset: boolean } | null {
  const c = line.charCodeAt(0);
  if (c !== 9 && c !== 32) return null;
  const m = FILE_RE.exec(line);
  if (!m) return null;
  return { file: m[1]!, line: Number(m[2]), hasOffset: m[3] !== undefined };
}

/** `created by pkg.f in goroutine 7` (the parent id since Go 1.21; ancestors never print it). */
const CREATED_RE = /^created by (.+?)(?: in goroutine (\d+))?$/;

export function readCreatedBy(line: string): { func: string; parent: number | undefined } | null {
  if (!line.startsWith('created by ')) return null;
  const m = CREATED_RE.exec(line);
  if (!m) return null;
  return { func: m[1]!, parent: m[2] !== undefined ? Number(m[2]) : undefined };
}

/** `...31 frames elided...` (Go 1.21+) → 31; `...additional frames elided...` (older, and ancestors) → -1. */
export function readElided(line: string): number | null {
  const m = /^[\t ]*\.\.\.(?:(\d+) frames|additional frames) elided\.\.\.$/.exec(line);
  if (!m) return null;
  return m[1] !== undefined ? Number(m[1]) : -1;
}

/** `[originating from goroutine 18]:` */
export function readAncestor(line: string): number | null {
  const m = /^\[originating from goroutine (\d+)\]:$/.exec(line);
  return m ? Number(m[1]) : null;
}

/** Compared after trimming: the line is indented with a tab (or the spaces a paste left). */
export const STACK_UNAVAILABLE = 'goroutine running on other thread; stack unavailable';

/**
 * A line of the register dump that ends a crash or SIGQUIT dump: `rax    0x0`
 * (amd64), `r12    0x1`, `lr     0x…`, `fault  0x…` (arm64). It belongs to the
 * dump it ends.
 */
export function isRegisterLine(line: string): boolean {
  return /^[a-z][a-z0-9]{1,6} +0x[0-9a-f]+$/.test(line);
}

/**
 * Runtime diagnostics a crash can print inside a goroutine's block: bad
 * unwinding (`runtime: g 5: unexpected return pc …`, `stack: frame={…}`,
 * hex words of the stack), and C frames of cgo calls (`non-Go function`
 * with `\tpc=0x…`). Kept out of the frames, never an error.
 */
export function isRuntimeNoise(line: string): boolean {
  return /^(?:runtime: |stack: |non-Go function$|[\t ]*pc=0x[0-9a-f]+$|[\t ]*0x[0-9a-f]+(?::|$| ))/.test(line);
}
