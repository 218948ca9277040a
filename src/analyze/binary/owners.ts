import { isStdlibFunc, packageOf } from '../go-names.js';

/**
 * Who a linker symbol's bytes belong to: a package, or, for what the
 * linker writes as shared blocks (type descriptors, string literals, ...), a
 * named part of the binary. Symbol names as cmd/link writes them (Go 1.20+:
 * `type:`, `go:string.*`, `go:itab.`, `..dict.`), generic instantiations
 * with their type arguments in brackets.
 */
export type Owner = { package: string } | { part: string };

const BLOCKS: Record<string, string> = {
  'type:*': 'type descriptors',
  // The same block where the linker makes type descriptors read-only after relocation (PIE, Mach-O): cmd/link's symtab.go.
  'typerel.*': 'type descriptors',
  'go:string.*': 'string literals',
  'go:func.*': 'funcdata',
  'go:funcdesc': 'closure descriptors',
  'runtime.gcbits.*': 'GC pointer masks',
};

export function ownerOf(symbol: string): Owner {
  const block = BLOCKS[symbol];
  if (block) return { part: block };
  if (symbol.startsWith('type:')) return typeSymbolOwner(symbol.slice(5));
  if (symbol.startsWith('go:itab.')) return typeOwner(symbol.slice(8).split(',', 1)[0]!, 'itabs');
  if (symbol.startsWith('go:buildinfo') || symbol === 'go:fipsinfo' || symbol === 'go:buildid') return { part: 'build info' };
  if (symbol.startsWith('go:')) return { part: 'linker tables' };
  if (/^\$(f32|f64|i64|i128)\./.test(symbol)) return { part: 'numeric constants' };
  const base = withoutTypeArguments(symbol);
  if (!base.includes('.')) return { part: 'symbols of no package' };
  return { package: packageOf(base) };
}

/** `type:.eq.net/http.Header` (a generated function), `type:.namedata.*`, `type:.importpath.P.`, `type:*net/http.Client`. */
function typeSymbolOwner(rest: string): Owner {
  const generated = /^\.(eq|hash)\.(.*)$/.exec(rest);
  if (generated) return typeOwner(generated[2]!, 'generated type functions');
  const importPath = /^\.importpath\.(.*)\.$/.exec(rest);
  if (importPath) return { package: importPath[1]! };
  if (rest.startsWith('.')) return { part: 'type descriptors' };
  return typeOwner(rest, 'type descriptors');
}

/** The package of a named type (through pointers, slices and arrays), else the part `unnamed`. */
function typeOwner(type: string, unnamed: string): Owner {
  const named = type.replace(/^(\*|\[\d*\])+/, '');
  if (/^(map\[|func\(|struct ?\{|chan |<-chan |interface ?\{)/.test(named)) return { part: unnamed };
  const base = withoutTypeArguments(named);
  if (!base.includes('.')) return { part: unnamed };
  return { package: packageOf(base) };
}

/** `slices.Sort[go.shape.*net/http.x]` → `slices.Sort`: type arguments may hold slashes and dots. */
function withoutTypeArguments(name: string): string {
  const bracket = name.indexOf('[');
  return bracket < 0 ? name : name.slice(0, bracket);
}

/** The module a package comes from: `std`, the main module for `main`, the longest listed module path it is under, `cmd` for the Go commands, or "". */
export function moduleOf(pkg: string, modules: readonly string[], mainModule: string): string {
  if (pkg === 'main') return mainModule;
  if (isStdlibFunc(`${pkg}.x`)) return 'std';
  let best = '';
  for (const m of modules) if ((pkg === m || pkg.startsWith(`${m}/`)) && m.length > best.length) best = m;
  // The Go distribution's commands (cmd/compile, cmd/go) are module `cmd`, which their build info does not list.
  if (best === '' && pkg.startsWith('cmd/')) return 'cmd';
  return best;
}
