import { UsageError } from './args.js';

const UNITS: Record<string, number> = { b: 1, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40 };

/**
 * A byte count as GOMEMLIMIT takes it (runtime/debug: a number with an
 * optional B, KiB, MiB, GiB or TiB suffix). Decimal suffixes (MB, GB) are
 * refused, as Go refuses them, rather than guessed at.
 */
export function parseByteCount(text: string, what: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = m ? UNITS[(m[2] || 'b').toLowerCase()] : undefined;
  if (!m || unit === undefined) {
    throw new UsageError(`${what}: ${JSON.stringify(text)} is not a size; write it as GOMEMLIMIT does, e.g. 512MiB, 2GiB or 1073741824`);
  }
  return Math.round(Number(m[1]) * unit);
}
