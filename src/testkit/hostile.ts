import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';

/**
 * Input strings that try to act on a terminal or break a line: an OSC that
 * sets the window title (ESC ] 0 ; … BEL), an SGR colour (ESC [ 31 m), the
 * one-character C1 CSI, a line separator, a right-to-left override, DEL,
 * CR and TAB. Newlines go only where a format can carry them (proto strings).
 */
export const HOSTILE_PIECES = ['\x1b]0;PWN\x07', '\x1b[31m', '\u009b', '\u2028', '\u202e', '\x7f', '\r', '\t'];

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

/** A name of exactly `bytes` UTF-8 bytes made of as many hostile pieces as fit, padded with `x`. */
export function hostileName(bytes: number, pieces: readonly string[] = HOSTILE_PIECES): string {
  let name = '';
  for (const p of pieces) if (utf8(name + p) <= bytes) name += p;
  return name + 'x'.repeat(bytes - utf8(name));
}

/**
 * Replaces every occurrence of `from` with `to` of the same UTF-8 length, so
 * a length-prefixed binary format (proto, trace string tables) stays valid.
 */
export function replaceSameLength(bytes: Uint8Array, from: string, to: string): Buffer {
  const a = Buffer.from(from, 'utf8');
  const b = Buffer.from(to, 'utf8');
  if (a.length !== b.length) throw new Error(`${JSON.stringify(to)} is not ${a.length} bytes`);
  const out = Buffer.from(bytes);
  let n = 0;
  for (let at = out.indexOf(a); at >= 0; at = out.indexOf(a, at + a.length)) {
    b.copy(out, at);
    n++;
  }
  if (n === 0) throw new Error(`${from} does not occur`);
  return out;
}

export interface HostileFixture {
  /** Which command reads it, and with what flags. */
  command: string;
  args: string[];
  path: string;
  /** The hostile string put in, exactly as the input holds it. */
  planted: string;
}

const TESTDATA = new URL('../../testdata/', import.meta.url).pathname;
const fixture = (rel: string) => readFileSync(join(TESTDATA, rel));

/** Real fixtures with a function name (and a sample type) replaced by hostile ones, one per format, written to `dir`. */
export function hostileFixtures(dir: string): HostileFixture[] {
  const write = (name: string, bytes: Uint8Array | string) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };
  const out: HostileFixture[] = [];
  const heapName = hostileName(utf8('main.growRegistry'));
  const heapProto = replaceSameLength(gunzipSync(fixture('go1.26/heap/heap.pb.gz')), 'main.growRegistry', heapName);
  const heapPath = write('heap.pb.gz', gzipSync(heapProto));
  for (const command of ['top', 'peek', 'traces', 'heap']) {
    out.push({ command, args: command === 'peek' ? ['.'] : [], path: heapPath, planted: heapName });
  }
  out.push({ command: 'export', args: ['--format=collapsed'], path: heapPath, planted: heapName });
  // Text formats separate fields with tabs (legacy frame comments), so a name there cannot hold one.
  const textName = HOSTILE_PIECES.filter((p) => p !== '\t').join('');
  const heapText = fixture('go1.26/heap/heap.txt').toString('utf8').replaceAll('main.growRegistry', `main.${textName}`);
  out.push({ command: 'top', args: [], path: write('heap.txt', heapText), planted: `main.${textName}` });
  const dump = fixture('go1.26/goroutines/goroutine.debug2.txt').toString('utf8').replaceAll('main.mutexWaiter', `main.${textName}`);
  out.push({ command: 'goroutines', args: [], path: write('goroutine.txt', dump), planted: `main.${textName}` });
  const mutexName = hostileName(utf8('main.audit'));
  const mutex = replaceSameLength(gunzipSync(fixture('go1.26/contention/mutex.pb.gz')), 'main.audit', mutexName);
  out.push({ command: 'contention', args: [], path: write('mutex.pb', mutex), planted: mutexName });
  // The compiler's messages end a name at white space (U+2028 is white space to a regexp).
  const wordName = `joined${HOSTILE_PIECES.filter((p) => !/\s/.test(p)).join('')}`;
  const escapes = fixture('go1.26/escapes/m.txt').toString('utf8').replaceAll('joined', wordName);
  out.push({ command: 'escapes', args: [], path: write('m.txt', escapes), planted: wordName });
  const traceName = hostileName(utf8('main.main.func1'));
  const trace = replaceSameLength(gunzipSync(fixture('go1.26/trace/tracewriter.trace.gz')), 'main.main.func1', traceName);
  out.push({ command: 'trace', args: [], path: write('trace.out', trace), planted: traceName });
  const log = fixture('go1.26/gctrace/gogc100.log').toString('utf8').replace('\n', `\nprogram output ${textName}\n`);
  out.push({ command: 'gc', args: [], path: write('gc.log', log), planted: textName });
  return out;
}

/** A heap profile whose sample type `inuse_space` is `inuse\nspace`: goroutines refuses it, quoting the types. */
export function newlineSampleType(dir: string): string {
  const path = join(dir, 'newline-type.pb');
  writeFileSync(path, replaceSameLength(gunzipSync(fixture('go1.26/heap/heap.pb.gz')), 'inuse_space', 'inuse\nspace'));
  return path;
}
