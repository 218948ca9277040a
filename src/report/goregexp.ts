/**
 * Compiles a regular expression written for Go's regexp package (RE2 syntax,
 * as pprof's -focus/-ignore/-hide/-show take) into a JS RegExp. The common
 * subset is identical; Go's leading inline flags such as `(?i)` become JS flags.
 */
export function compileGoRegexp(source: string): RegExp {
  let flags = '';
  let body = source;
  const inline = /^\(\?([imsU]+)\)/.exec(body);
  if (inline) {
    body = body.slice(inline[0].length);
    for (const f of inline[1]!) if ('ims'.includes(f) && !flags.includes(f)) flags += f;
  }
  try {
    return new RegExp(body, flags + 'u');
  } catch {
    return new RegExp(body, flags);
  }
}
