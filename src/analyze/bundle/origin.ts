/**
 * What an original source of a bundle is: a file of an npm package, the
 * bundler's own runtime, or the app's own code — from its path alone, as
 * bundlers write it in `sources`.
 *
 * The package is what follows the last `node_modules/` (`@scope/name` or
 * `name`), so nested copies (`node_modules/a/node_modules/b`), pnpm's
 * `node_modules/.pnpm/NAME@VERSION/node_modules/NAME` and Yarn's
 * `.yarn/cache/NAME-npm-VERSION-….zip/node_modules/NAME` all name the package
 * that really holds the file; the path up to it is the copy's `root`, so two
 * copies of one package stay apart.
 */
export interface Origin {
  kind: 'package' | 'app' | 'runtime';
  /** The path for people: bundler prefixes (`webpack://app/`, `./`) removed; a package's file from its first `node_modules/` on. */
  path: string;
  /** npm package name, for kind 'package'. */
  package?: string;
  /** Path of the package's folder (from the first `node_modules/`, up to and including the name): one per copy. */
  root?: string;
  /** Version, when the path says it (pnpm, Yarn). */
  version?: string;
}

/** Sources that are the bundler's own code, not any module's: webpack's bootstrap and runtime, Rollup's virtual helpers, Vite's. */
const RUNTIME = [/^webpack\/(bootstrap|runtime\/|before-startup|startup|after-startup)/, /^\(webpack\)\//, /^\0/, /^<runtime>$/, /^vite\/(modulepreload-polyfill|preload-helper)/, /^\\0/, /^commonjsHelpers\.js$/];

export function originOf(source: string): Origin {
  const path = displayPath(source);
  if (RUNTIME.some((r) => r.test(path))) return { kind: 'runtime', path };
  const at = path.lastIndexOf('node_modules/');
  if (at < 0 || (at > 0 && path[at - 1] !== '/')) return { kind: 'app', path };
  const rest = path.slice(at + 'node_modules/'.length).split('/');
  const scoped = rest[0]!.startsWith('@') && rest.length > 1;
  const name = scoped ? `${rest[0]}/${rest[1]}` : rest[0]!;
  if (name === '' || name.startsWith('.')) return { kind: 'app', path };
  // Shown from the first node_modules/ on: what precedes it is where the build ran, the same for every package.
  const first = path.indexOf('node_modules/') === 0 ? 0 : path.indexOf('/node_modules/') + 1;
  const shown = path.slice(first);
  const root = path.slice(first, at) + 'node_modules/' + name;
  const version = versionFromPath(path.slice(0, at), name);
  return version ? { kind: 'package', path: shown, package: name, root, version } : { kind: 'package', path: shown, package: name, root };
}

/**
 * The path without what bundlers put before it: `webpack://NAME/` and
 * `webpack:///`, `file://`, `rollup://`, leading `./`, Windows separators;
 * `a/../b` collapsed where it can be (leading `../` stay).
 */
export function displayPath(source: string): string {
  let p = source.replace(/\\/g, '/');
  p = p.replace(/^webpack:\/\/[^/]*\//, '').replace(/^[a-z][a-z0-9+.-]*:\/\/\/?/i, '');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '.' || (part === '' && out.length > 0)) continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..' && out[out.length - 1] !== '') out.pop();
    else out.push(part);
  }
  return out.join('/');
}

/** pnpm: `.pnpm/@scope+name@1.2.3_peer/`; Yarn 2+: `name-npm-1.2.3-hash.zip` or `.yarn/unplugged/name-npm-1.2.3-hash`. */
function versionFromPath(before: string, name: string): string | undefined {
  const flat = name.replace('/', '+');
  const pnpm = before.match(new RegExp(`\\.pnpm/${escapeRe(flat)}@([^/_]+)`));
  if (pnpm) return pnpm[1];
  const bare = name.replace(/^@[^/]+\//, '');
  const yarn = before.match(new RegExp(`(?:^|/)(?:@[^/]+-)?${escapeRe(bare)}-npm-(\\d[^/-]*(?:-[a-z][^/-]*)?)-[0-9a-f]{6,}`));
  return yarn ? yarn[1] : undefined;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
