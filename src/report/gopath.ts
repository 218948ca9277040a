/** Go's path/filepath.Clean for slash-separated paths (pprof cleans file names before showing them). */
export function cleanPath(path: string): string {
  if (path === '') return '.';
  const rooted = path.startsWith('/');
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  if (rooted) return '/' + joined;
  return joined === '' ? '.' : joined;
}

/** Go's filepath.Base. */
export function basePath(path: string): string {
  if (path === '') return '.';
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  const i = trimmed.lastIndexOf('/');
  return i >= 0 ? trimmed.slice(i + 1) : trimmed;
}

/**
 * pprof's trimPath with no -trim_path/-source_path: strips the prefixes left
 * by builds run under /proc/self/cwd.
 */
export function trimBuildPath(path: string): string {
  for (const prefix of ['/proc/self/cwd/./', '/proc/self/cwd/']) {
    if (path.startsWith(prefix)) return path.slice(prefix.length);
  }
  return path;
}
