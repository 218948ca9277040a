import type { BinaryAnalysis, BinaryChange, BinaryDiff } from './types.js';

/**
 * Two builds compared: the file, each section, each package and each
 * function (code plus its share of the runtime's tables), with what appeared,
 * vanished, grew or shrank; unchanged rows are left out, largest change first.
 */
export function diffBinaries(base: BinaryAnalysis, next: BinaryAnalysis): BinaryDiff {
  const side = (a: BinaryAnalysis) => ({ file: a.file, bytes: a.bytes, goVersion: a.goVersion });
  return {
    base: side(base),
    next: side(next),
    delta: next.bytes - base.bytes,
    sections: changes(sizes(base.sections, (s) => s.bytes), sizes(next.sections, (s) => s.bytes)),
    packages: changes(sizes(base.packages, (p) => p.bytes), sizes(next.packages, (p) => p.bytes)),
    functions: changes(sizes(base.functions, (f) => f.code + f.pclntab), sizes(next.functions, (f) => f.code + f.pclntab)),
  };
}

function sizes<T extends { name: string }>(rows: readonly T[], bytes: (row: T) => number): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) out.set(r.name, (out.get(r.name) ?? 0) + bytes(r));
  return out;
}

function changes(base: Map<string, number>, next: Map<string, number>): BinaryChange[] {
  const out: BinaryChange[] = [];
  for (const [name, b] of base) {
    const n = next.get(name);
    if (n === undefined) out.push({ name, base: b, next: 0, delta: -b, status: 'vanished' });
    else if (n !== b) out.push({ name, base: b, next: n, delta: n - b, status: n > b ? 'grew' : 'shrank' });
  }
  for (const [name, n] of next) if (!base.has(name)) out.push({ name, base: 0, next: n, delta: n, status: 'appeared' });
  return out.sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta) || (x.name < y.name ? -1 : 1));
}
