import { FormatError } from '../errors.js';

/**
 * Where a bundle says its map is: the last `sourceMappingURL` comment
 * (`//# sourceMappingURL=URL` in JS, `/*# sourceMappingURL=URL *\/` in CSS;
 * the old `//@` spelling too), with the byte range of the comment so the
 * comment itself is not counted as the last module's code.
 */
export interface MapReference {
  url: string;
  /** Byte offsets of the comment, from its `//` or `/*` to its end (before a final newline). */
  start: number;
  end: number;
}

const KEY = 'sourceMappingURL=';

export function findMapReference(code: Uint8Array): MapReference | null {
  const buf = Buffer.from(code.buffer, code.byteOffset, code.byteLength);
  let at = buf.lastIndexOf(KEY, undefined, 'latin1');
  while (at >= 4) {
    const opener = buf.toString('latin1', at - 4, at);
    const css = /^\/\*[#@] $/.test(opener);
    if (css || /^\/\/[#@] $/.test(opener)) {
      const lineEnd = nextNewline(buf, at);
      let urlEnd = lineEnd;
      let end = lineEnd;
      if (css) {
        const close = buf.indexOf('*/', at, 'latin1');
        if (close < 0 || close > lineEnd) return null;
        urlEnd = close;
        end = close + 2;
      }
      const url = buf.toString('utf8', at + KEY.length, urlEnd).trim();
      if (url === '' || !onlySpaceAfter(buf, end)) return null;
      return { url, start: at - 4, end: end > 0 && buf[end - 1] === 13 ? end - 1 : end };
    }
    at = buf.lastIndexOf(KEY, at - 1, 'latin1');
  }
  return null;
}

function nextNewline(buf: Buffer, from: number): number {
  const nl = buf.indexOf(10, from);
  return nl < 0 ? buf.length : nl;
}

/** A reference comment counts only at the end of the file (anything but whitespace after it, and it is someone's string). */
function onlySpaceAfter(buf: Buffer, from: number): boolean {
  for (let i = from; i < buf.length; i++) if (buf[i] !== 10 && buf[i] !== 13 && buf[i] !== 32 && buf[i] !== 9) return false;
  return true;
}

/** The bytes of a `data:` URL (base64 or percent-encoded), as an inline source map is written. */
export function decodeDataUrl(url: string, source: string): Uint8Array {
  const comma = url.indexOf(',');
  if (!url.startsWith('data:') || comma < 0) throw new FormatError('inline source map: not a data: URL', source);
  const meta = url.slice(5, comma);
  const body = url.slice(comma + 1);
  if (/;base64$/i.test(meta)) return Buffer.from(body, 'base64');
  try {
    return Buffer.from(decodeURIComponent(body), 'utf8');
  } catch {
    throw new FormatError('inline source map: bad percent-encoding in the data: URL', source);
  }
}
