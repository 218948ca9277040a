import type { BuildInfo, ModuleVersion } from '../../model/binary.js';
import { Bytes } from './bytes.js';

/**
 * The build information `go version -m` prints, from the .go.buildinfo
 * section: a 32-byte header ("\xff Go buildinf:", pointer size, flags), then,
 * since Go 1.18 (flag bit 2), the Go version and the module information as
 * uvarint-length-prefixed strings. The module text is framed by 16-byte
 * sentinels and has the lines runtime/debug.BuildInfo.String writes: path,
 * mod, dep, => (a replacement of the line before) and build key=value.
 * Learned from Go's debug/buildinfo/buildinfo.go and runtime/debug/mod.go.
 */

const MAGIC = '\xff Go buildinf:';
const HEADER = 32;
const INLINE_STRINGS = 2;

/** The build info in `section` (the .go.buildinfo bytes), or undefined when it is not in the inline-string layout. */
export function readBuildInfo(section: Bytes): BuildInfo | undefined {
  if (section.length < HEADER) return undefined;
  const magic = LATIN1.decode(section.slice(0, MAGIC.length, 'build info magic'));
  if (magic !== MAGIC) return undefined;
  if ((section.u8(15, 'build info flags') & INLINE_STRINGS) === 0) return undefined;
  const reader = { at: HEADER };
  const goVersion = varString(section, reader);
  const modinfo = varString(section, reader);
  const text = modinfo.length >= 33 && modinfo.charCodeAt(modinfo.length - 17) === 10 ? modinfo.slice(16, -16) : modinfo;
  return parseModInfo(goVersion, text);
}

function varString(b: Bytes, reader: { at: number }): string {
  let n = 0;
  let shift = 0;
  for (;;) {
    const byte = b.u8(reader.at++, 'build info string length');
    n += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if ((byte & 0x80) === 0) break;
  }
  const s = UTF8.decode(b.slice(reader.at, n, 'build info string'));
  reader.at += n;
  return s;
}

/** The lines of runtime/debug.BuildInfo.String, read back. */
export function parseModInfo(goVersion: string, text: string): BuildInfo {
  const info: BuildInfo = { goVersion, path: '', main: undefined, deps: [], settings: [] };
  let last: ModuleVersion | undefined;
  for (const line of text.split('\n')) {
    const [kind, ...rest] = line.split('\t');
    if (kind === 'path') info.path = rest[0] ?? '';
    else if (kind === 'mod') info.main = last = moduleOf(rest);
    else if (kind === 'dep') info.deps.push((last = moduleOf(rest)));
    else if (kind === '=>' && last) last.replace = moduleOf(rest);
    else if (kind === 'build') {
      const setting = rest.join('\t');
      const eq = setting.indexOf('=');
      info.settings.push(eq < 0 ? { key: setting, value: '' } : { key: setting.slice(0, eq), value: setting.slice(eq + 1) });
    }
  }
  return info;
}

function moduleOf(fields: string[]): ModuleVersion {
  return { path: fields[0] ?? '', version: fields[1] ?? '', sum: fields[2] ?? '' };
}

const UTF8 = new TextDecoder('utf-8');
const LATIN1 = new TextDecoder('latin1');
