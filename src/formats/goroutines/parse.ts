import type { AncestorStack, DumpKind, GoFrame, Goroutine, GoroutineDump } from '../../model/goroutines.js';
import { FormatError } from '../errors.js';
import {
  looksLikeHeader,
  readAncestor,
  readCall,
  readCreatedBy,
  readElided,
  readFileLine,
  readHeader,
  isRuntimeNoise,
  STACK_UNAVAILABLE,
  type Header,
} from './grammar.js';

/**
 * Reads goroutine tracebacks: `?debug=2` dumps, panics, fatal errors and
 * SIGQUIT dumps. Text around the goroutine blocks (the panic message,
 * register dumps, the program's own output, `exit status 2`) is tolerated;
 * inside a block every line must be a traceback line, except that a block
 * which already has frames may end without a blank line (a log tail).
 * Unlike panicparse, `[originating from goroutine N]`
 * blocks are read rather than ending the parse, and the parent id of
 * `created by … in goroutine N` is kept apart from the creator.
 */
export function parseGoroutineDump(text: string): GoroutineDump {
  return new DumpParser(text).parse();
}

/** Lines before the first goroutine that say why the dump was written. */
const REASON_RE = /^(?:panic: |fatal error: |SIG[A-Z0-9]+: |\[signal |PC=0x|\tpanic: |runtime: |unexpected (?:fault|signal))/;
const MAX_REASON_LINES = 20;

class FrameInterner {
  readonly frames: GoFrame[] = [];
  private readonly ids = new Map<string, number>();

  id(func: string, file: string, line: number, inlined: boolean): number {
    const key = `${func}\n${file}\n${line}\n${inlined ? 1 : 0}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.frames.length;
      this.frames.push({ func, file, line, inlined });
      this.ids.set(key, id);
    }
    return id;
  }
}

/** Where the frames being read go: the goroutine's own stack or one of its ancestors'. */
interface StackTarget {
  frames: number[];
  args: string[] | undefined;
}

class DumpParser {
  private readonly lines: string[];
  private readonly interner = new FrameInterner();
  private readonly goroutines: Goroutine[] = [];
  private readonly reason: string[] = [];
  private skipped = 0;
  private truncated = false;
  private i = 0;
  /** Whitespace before the current block's header (a dump indented in a log); stripped from its lines. */
  private indent = '';

  constructor(text: string) {
    this.lines = text.split('\n');
  }

  parse(): GoroutineDump {
    const n = this.lines.length;
    while (this.i < n) {
      const line = this.line(this.i);
      const indent = leadingSpace(line);
      if (looksLikeHeader(line.slice(indent.length))) {
        this.indent = indent;
        this.readBlock(line.slice(indent.length));
        continue;
      }
      this.noteOutside(line);
      this.i++;
    }
    if (this.goroutines.length === 0) throw new FormatError('no goroutine found (expected a line like "goroutine 1 [running]:")');
    return {
      kind: dumpKind(this.reason),
      reason: this.reason,
      goroutines: this.goroutines,
      frames: this.interner.frames,
      skippedLines: this.skipped,
      truncated: this.truncated,
    };
  }

  private line(i: number): string {
    const l = this.lines[i]!;
    return l.endsWith('\r') ? l.slice(0, -1) : l;
  }

  /** Line i of the current block, without the block's indentation. */
  private blockLine(i: number): string {
    const l = this.line(i);
    return this.indent !== '' && l.startsWith(this.indent) ? l.slice(this.indent.length) : l;
  }

  private fail(what: string, lineIndex = this.i): never {
    throw new FormatError(what, undefined, undefined, lineIndex + 1);
  }

  private noteOutside(line: string): void {
    if (line === '') return;
    if (this.goroutines.length === 0 && this.reason.length < MAX_REASON_LINES && REASON_RE.test(line)) this.reason.push(line);
    else this.skipped++;
  }

  /** Reads one goroutine block starting at its header line; leaves `i` after it. */
  private readBlock(headerLine: string): void {
    const h = readHeader(headerLine);
    if (!h && this.atEnd(this.i)) {
      this.truncated = true;
      this.i++;
      return;
    }
    if (!h) this.fail(`malformed goroutine header ${JSON.stringify(headerLine.slice(0, 80))}`);
    const g = newGoroutine(h);
    this.goroutines.push(g);
    let target: StackTarget = g;
    let current: AncestorStack | undefined;
    const n = this.lines.length;
    for (this.i++; this.i < n; this.i++) {
      const line = this.blockLine(this.i);
      if (line.trim() === '') break;
      if (looksLikeHeader(line.trimStart())) return; // a header with no blank line before it: the next block
      const elided = readElided(line);
      if (elided !== null) {
        if (current) current.elided = true;
        else {
          g.elidedFrames = elided;
          g.elidedAt = g.frames.length;
        }
        continue;
      }
      const ancestor = readAncestor(line);
      if (ancestor !== null) {
        current = { id: ancestor, frames: [], elided: false };
        g.ancestors.push(current);
        target = { frames: current.frames, args: undefined };
        continue;
      }
      if (isRuntimeNoise(line)) {
        this.skipped++;
        continue;
      }
      if (line.trim() === STACK_UNAVAILABLE) {
        g.stackUnavailable = true;
        continue;
      }
      const created = readCreatedBy(line);
      if (created) {
        const where = this.readLocation();
        const frame = this.interner.id(created.func, where?.file ?? '?', where?.line ?? 0, false);
        const createdBy = created.parent !== undefined ? { frame, parent: created.parent } : { frame };
        if (current) current.createdBy = createdBy;
        else g.createdBy = createdBy;
        continue;
      }
      const call = readCall(line);
      if (call) {
        const where = this.readLocation();
        if (!where) {
          if (this.atEnd(this.i)) {
            this.truncated = true;
            this.i = n;
            return;
          }
          this.fail(`expected "\\tFILE:LINE" after the call ${JSON.stringify(line.slice(0, 80))} in goroutine ${g.id}`, this.i + 1);
        }
        target.frames.push(this.interner.id(call.func, where.file, where.line, !where.hasOffset));
        target.args?.push(call.args);
        continue;
      }
      if (isEmptyBlock(g) && this.atEnd(this.i)) {
        this.truncated = true; // cut in the middle of its first line
        this.i = n;
        return;
      }
      if (isEmptyBlock(g)) this.fail(`unexpected line in goroutine ${g.id}: ${JSON.stringify(line.slice(0, 80))}`);
      this.noteOutside(line); // the block ended without a blank line: trailing program output
      this.i++;
      return;
    }
    if (this.i < n) this.i++;
  }

  /** True when nothing but blank lines follows line i: the text stops there. */
  private atEnd(i: number): boolean {
    for (let k = i + 1; k < this.lines.length; k++) if (this.line(k) !== '') return false;
    return true;
  }

  /** The `\tfile:line` line after a call or `created by`, consumed when present. */
  private readLocation(): { file: string; line: number; hasOffset: boolean } | null {
    if (this.i + 1 >= this.lines.length) return null;
    const loc = readFileLine(this.blockLine(this.i + 1));
    if (loc) this.i++;
    return loc;
  }
}

function leadingSpace(line: string): string {
  let n = 0;
  while (n < line.length && (line.charCodeAt(n) === 32 || line.charCodeAt(n) === 9)) n++;
  return line.slice(0, n);
}

function newGoroutine(h: Header): Goroutine {
  const g: Goroutine = {
    id: h.id,
    state: h.state,
    waitMinutes: h.waitMinutes,
    lockedToThread: h.lockedToThread,
    scan: h.scan,
    extra: h.extra,
    frames: [],
    args: [],
    elidedFrames: 0,
    elidedAt: 0,
    ancestors: [],
    stackUnavailable: false,
  };
  if (h.m !== undefined) g.m = h.m;
  return g;
}

function isEmptyBlock(g: Goroutine): boolean {
  return g.frames.length === 0 && g.createdBy === undefined && g.ancestors.length === 0 && !g.stackUnavailable;
}

function dumpKind(reason: readonly string[]): DumpKind {
  const first = reason[0] ?? '';
  if (first.startsWith('panic: ')) return 'panic';
  if (first.startsWith('fatal error: ')) return 'fatal-error';
  if (/^SIG[A-Z0-9]+: /.test(first) || first.startsWith('[signal ')) return 'signal';
  if (reason.some((r) => r.startsWith('fatal error: '))) return 'fatal-error';
  return 'goroutines';
}
