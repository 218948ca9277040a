import { GoFrameTable, type AncestorStack, type DumpKind, type Goroutine, type GoroutineDump } from '../../model/goroutines.js';
import { FormatError } from '../errors.js';
import {
  looksLikeHeader,
  readAncestor,
  readCall,
  readCreatedBy,
  readElided,
  readFileLine,
  readHeader,
  isRegisterLine,
  isRuntimeNoise,
  STACK_UNAVAILABLE,
  type Header,
} from './grammar.js';

/**
 * Reads goroutine tracebacks: `?debug=2` dumps, panics, fatal errors and
 * SIGQUIT dumps, wherever they stand in a log, and every one of them when a
 * log holds several (a process that dumped its goroutines on a signal and
 * later crashed, or a service restarted into the same file). Text around
 * the goroutine blocks (the panic message, register dumps, the program's
 * own output, `exit status 2`) is tolerated; inside a block every line must
 * be a traceback line, except that a block which already has frames may end
 * without a blank line (a log tail). Unlike panicparse,
 * `[originating from goroutine N]` blocks are read rather than ending the
 * parse, and the parent id of `created by … in goroutine N` is kept apart
 * from the creator.
 */
export function parseGoroutineDumps(text: string): GoroutineDump[] {
  return new DumpParser(text).parse();
}

/** The one dump in `text`; a FormatError when there is none or more than one (see parseGoroutineDumps). */
export function parseGoroutineDump(text: string): GoroutineDump {
  const dumps = parseGoroutineDumps(text);
  if (dumps.length > 1) throw new FormatError(`${severalDumps(dumps)}; read them with parseGoroutineDumps`);
  return dumps[0]!;
}

/** `holds 2 goroutine dumps (lines 902–1114, 1815–2418), not one`. */
export function severalDumps(dumps: readonly GoroutineDump[]): string {
  return `holds ${dumps.length} goroutine dumps (lines ${dumps.map((d) => `${d.lines.first}–${d.lines.last}`).join(', ')}), not one`;
}

/** Lines before the first goroutine that say why the dump was written. */
const REASON_RE = /^(?:panic: |fatal error: |SIG[A-Z0-9]+: |\[signal |PC=0x|\tpanic: |runtime: |unexpected (?:fault|signal))/;
/** The reason lines that can only begin a dump: after goroutines, they begin the next one. */
const NEW_DUMP_RE = /^(?:panic: |fatal error: |SIG[A-Z0-9]+: |unexpected (?:fault|signal))/;
const MAX_REASON_LINES = 20;

/** Where the frames being read go: the goroutine's own stack or one of its ancestors'. */
interface StackTarget {
  frames: number[];
  args: string[] | undefined;
}

/** The block being read: its dump, its goroutine, and the stack its frames go to. */
interface BlockState {
  dump: DumpBuilder;
  g: Goroutine;
  target: StackTarget;
  ancestor: AncestorStack | undefined;
}

/** One dump being read: its goroutines, frames and where it starts and ends. */
class DumpBuilder {
  readonly interner = new GoFrameTable();
  readonly goroutines: Goroutine[] = [];
  readonly ids = new Set<number>();
  skipped = 0;
  truncated = false;
  /** Program output followed the last block: the next goroutine header begins another dump. */
  closed = false;

  constructor(
    readonly reason: string[],
    /** 0-based line index of its first line (the reason, or the first header). */
    readonly first: number,
    public last: number,
  ) {}

  build(): GoroutineDump {
    return {
      kind: dumpKind(this.reason),
      lines: { first: this.first + 1, last: this.last + 1 },
      reason: this.reason,
      goroutines: this.goroutines,
      frames: this.interner.frames,
      skippedLines: this.skipped,
      truncated: this.truncated,
    };
  }
}

/**
 * How a line outside any goroutine block counts: the register dump that ends
 * a crash and runtime diagnostics are `noise` of the dump; `frame` lines are
 * the `runtime stack:` section a fatal error prints before its goroutines.
 */
type Outside = 'blank' | 'reason' | 'noise' | 'frame' | 'other';

function classifyOutside(line: string): Outside {
  if (line.trim() === '') return 'blank';
  if (REASON_RE.test(line)) return 'reason';
  if (isRegisterLine(line) || isRuntimeNoise(line)) return 'noise';
  if (line === 'runtime stack:' || readFileLine(line) || readCall(line)) return 'frame';
  return 'other';
}

class DumpParser {
  private readonly lines: string[];
  private readonly dumps: GoroutineDump[] = [];
  private current: DumpBuilder | undefined;
  /** Reason lines read while no dump was open, waiting for the goroutines they introduce. */
  private pending: { reason: string[]; first: number; skipped: number; gap: number } | undefined;
  private i = 0;
  /** Whitespace before the current block's header (a dump indented in a log); stripped from its lines. */
  private indent = '';

  constructor(text: string) {
    this.lines = text.split('\n');
  }

  parse(): GoroutineDump[] {
    const n = this.lines.length;
    while (this.i < n) {
      const line = this.line(this.i);
      const indent = leadingSpace(line);
      const body = line.slice(indent.length);
      if (looksLikeHeader(body)) {
        this.indent = indent;
        this.readBlock(body);
        continue;
      }
      this.noteOutside(line);
      this.i++;
    }
    this.finishDump();
    if (this.dumps.length === 0) throw new FormatError('no goroutine found (expected a line like "goroutine 1 [running]:")');
    return this.dumps;
  }

  private get open(): DumpBuilder | undefined {
    return this.current && !this.current.closed ? this.current : undefined;
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

  /** A line outside the goroutine blocks: part of the open dump, the start of the next one's reason, or the program's own. */
  private noteOutside(raw: string): void {
    const line = this.indent !== '' && raw.startsWith(this.indent) ? raw.slice(this.indent.length) : raw;
    const kind = classifyOutside(line);
    if (kind === 'blank') return;
    const open = this.open;
    if (open && (kind === 'noise' || (kind === 'reason' && !NEW_DUMP_RE.test(line)))) {
      open.skipped++;
      open.last = this.i;
      return;
    }
    if (open) open.closed = true; // program output or a new panic: this dump is over
    if (kind === 'reason') {
      this.pending ??= { reason: [], first: this.i, skipped: 0, gap: 0 };
      if (this.pending.reason.length < MAX_REASON_LINES) this.pending.reason.push(line);
      else this.pending.skipped++;
      this.pending.gap = 0;
    } else if (this.pending) {
      // `runtime stack:` frames between a fatal error and its goroutines, the rest of a
      // panic value that spans lines; a reason followed by a screenful of other output
      // introduced nothing.
      this.pending.skipped++;
      if (kind === 'other' && ++this.pending.gap > MAX_REASON_LINES) this.pending = undefined;
    }
  }

  /** The dump a goroutine with this header belongs to: the open one, or a new one. */
  private dumpFor(id: number | undefined): DumpBuilder {
    const open = this.open;
    if (open && (id === undefined || !open.ids.has(id))) return open;
    this.finishDump();
    const p = this.pending;
    this.pending = undefined;
    const dump = new DumpBuilder(p?.reason ?? [], p?.first ?? this.i, this.i);
    dump.skipped = p?.skipped ?? 0;
    this.current = dump;
    return dump;
  }

  private finishDump(): void {
    if (this.current && this.current.goroutines.length > 0) this.dumps.push(this.current.build());
    this.current = undefined;
  }

  /** Reads one goroutine block starting at its header line; leaves `i` after it. */
  private readBlock(headerLine: string): void {
    const h = readHeader(headerLine);
    if (!h && this.atEnd(this.i)) {
      if (this.open) this.open.truncated = true;
      this.i++;
      return;
    }
    if (!h) this.fail(`malformed goroutine header ${JSON.stringify(headerLine.slice(0, 80))}`);
    const dump = this.dumpFor(h.id);
    const g = newGoroutine(h);
    dump.goroutines.push(g);
    dump.ids.add(g.id);
    const block: BlockState = { dump, g, target: g, ancestor: undefined };
    dump.last = this.i;
    const n = this.lines.length;
    for (this.i++; this.i < n; this.i++) {
      const line = this.blockLine(this.i);
      if (line.trim() === '') break;
      if (looksLikeHeader(line.trimStart())) return; // a header with no blank line before it: the next block
      const read = this.readBlockLine(line, block);
      if (read === 'end') return;
      dump.last = this.i;
    }
    if (this.i < n) this.i++;
  }

  /**
   * One line of a block (and the `\tfile:line` after a call): 'read', or
   * 'end' when the block is over (cut off, or the program's output follows
   * it without a blank line), with `i` after what was read.
   */
  private readBlockLine(line: string, b: BlockState): 'read' | 'end' {
    const { dump, g } = b;
    const elided = readElided(line);
    if (elided !== null) {
      if (b.ancestor) b.ancestor.elided = true;
      else {
        g.elidedFrames = elided;
        g.elidedAt = g.frames.length;
      }
      return 'read';
    }
    const ancestor = readAncestor(line);
    if (ancestor !== null) {
      b.ancestor = { id: ancestor, frames: [], elided: false };
      g.ancestors.push(b.ancestor);
      b.target = { frames: b.ancestor.frames, args: undefined };
      return 'read';
    }
    if (isRuntimeNoise(line)) {
      dump.skipped++;
      return 'read';
    }
    if (line.trim() === STACK_UNAVAILABLE) {
      g.stackUnavailable = true;
      return 'read';
    }
    const created = readCreatedBy(line);
    if (created) {
      const where = this.readLocation();
      const frame = dump.interner.id(created.func, where?.file ?? '?', where?.line ?? 0, false);
      const createdBy = created.parent !== undefined ? { frame, parent: created.parent } : { frame };
      if (b.ancestor) b.ancestor.createdBy = createdBy;
      else g.createdBy = createdBy;
      return 'read';
    }
    const call = readCall(line);
    if (call) {
      const where = this.readLocation();
      if (!where) {
        if (!this.atEnd(this.i)) {
          this.fail(`expected "\\tFILE:LINE" after the call ${JSON.stringify(line.slice(0, 80))} in goroutine ${g.id}`, this.i + 1);
        }
        dump.truncated = true;
        this.i = this.lines.length;
        return 'end';
      }
      b.target.frames.push(dump.interner.id(call.func, where.file, where.line, !where.hasOffset));
      b.target.args?.push(call.args);
      return 'read';
    }
    if (isEmptyBlock(g) && this.atEnd(this.i)) {
      dump.truncated = true; // cut in the middle of its first line
      this.i = this.lines.length;
      return 'end';
    }
    if (isEmptyBlock(g)) this.fail(`unexpected line in goroutine ${g.id}: ${JSON.stringify(line.slice(0, 80))}`);
    this.noteOutside(line); // the block ended without a blank line: the program's output, which ends the dump
    this.i++;
    return 'end';
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
    leaked: h.leaked,
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
