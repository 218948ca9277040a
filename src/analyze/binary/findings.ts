import type { Finding } from '../finding.js';
import type { BinaryAnalysis } from './types.js';

/**
 * What is worth acting on in a binary's size: debug info and symbols a
 * deployment build need not carry, one dependency outweighing the rest, a
 * module linked in two major versions, a single table or embedded file of
 * megabytes.
 */

/** Debug info and symbols under this share of the file are not worth a finding. */
const STRIP_SHARE = 0.15;
/** A dependency module above this share of the Go code and data dominates. */
const DOMINANT_SHARE = 0.25;
const LARGE_SYMBOL = 1 << 20;

export function binaryFindings(a: BinaryAnalysis, largest: readonly { name: string; package: string; bytes: number }[]): Finding[] {
  return [...debugInfo(a), ...dominantDependency(a), ...duplicateModules(a), ...largeData(a, largest)];
}

/**
 * What -s -w would save: the estimate where there is one, else (Mach-O, PE)
 * the bytes of the DWARF and symbol-table sections themselves.
 */
export function strippableBytes(a: BinaryAnalysis): number {
  if (a.strippedBytes !== null) return a.bytes - a.strippedBytes;
  let sum = 0;
  for (const s of a.sections) if (s.kind === 'debug' || s.kind === 'symbols') sum += s.bytes;
  return sum;
}

function debugInfo(a: BinaryAnalysis): Finding[] {
  const saved = strippableBytes(a);
  const share = saved / a.bytes;
  if (share < STRIP_SHARE) return [];
  return [
    {
      kind: 'binary-debug-info',
      severity: share >= 0.3 ? 'medium' : 'low',
      title: 'DWARF and the symbol table are a large share of the file',
      evidence: [
        { label: 'file', value: a.bytes, unit: 'bytes' },
        { label: 'DWARF and symbols', value: saved, unit: 'bytes' },
        { label: 'share of the file', value: share, unit: 'fraction' },
        ...(a.strippedBytes !== null ? [{ label: 'with -ldflags="-s -w"', value: a.strippedBytes, unit: 'bytes' as const }] : []),
      ],
      advice:
        'Build what you deploy with -ldflags="-s -w" (and -trimpath): the program runs the same, and profiles and panics still name functions, which come from the pclntab. Keep the unstripped build if you debug cores with delve.',
    },
  ];
}

/** Bytes per module, the standard library and the main module left out. */
function dependencyBytes(a: BinaryAnalysis): Map<string, number> {
  const main = a.buildInfo?.main?.path;
  const out = new Map<string, number>();
  for (const p of a.packages) if (p.module !== '' && p.module !== 'std' && p.module !== main) out.set(p.module, (out.get(p.module) ?? 0) + p.bytes);
  return out;
}

function dominantDependency(a: BinaryAnalysis): Finding[] {
  let goBytes = 0;
  for (const p of a.packages) goBytes += p.bytes;
  const top = Array.from(dependencyBytes(a)).sort((x, y) => y[1] - x[1])[0];
  if (!top || goBytes === 0 || top[1] / goBytes < DOMINANT_SHARE) return [];
  const [module, bytes] = top;
  return [
    {
      kind: 'binary-dominant-dependency',
      severity: bytes / goBytes >= 0.4 ? 'medium' : 'low',
      title: `${module} is ${Math.round((bytes / goBytes) * 100)}% of the Go code and data`,
      evidence: [
        { label: 'module', value: module },
        { label: 'its packages', value: bytes, unit: 'bytes' },
        { label: 'share of the packages', value: bytes / goBytes, unit: 'fraction' },
      ],
      advice: `Check which of ${module}'s packages the program needs (footprint binary lists them); importing a narrower package, or dropping the dependency, shrinks the binary most.`,
    },
  ];
}

/** `example.com/m/v2` and `example.com/m`, `gopkg.in/yaml.v2` and `gopkg.in/yaml.v3`: one module, two majors. */
function duplicateModules(a: BinaryAnalysis): Finding[] {
  const byBase = new Map<string, string[]>();
  for (const d of a.buildInfo?.deps ?? []) {
    const base = d.path.replace(/\/v\d+$/, '').replace(/^(gopkg\.in\/.*)\.v\d+$/, '$1');
    byBase.set(base, (byBase.get(base) ?? []).concat(`${d.path}@${d.version}`));
  }
  const bytes = dependencyBytes(a);
  const out: Finding[] = [];
  for (const [base, versions] of byBase) {
    if (versions.length < 2) continue;
    const evidence: Finding['evidence'] = versions.map((v) => ({ label: v, value: bytes.get(v.slice(0, v.lastIndexOf('@'))) ?? 0, unit: 'bytes' as const }));
    out.push({
      kind: 'binary-duplicate-module',
      severity: 'low',
      title: `${base} is linked in ${versions.length} major versions`,
      evidence,
      advice: `Move every importer to one major version of ${base}; each version brings its own copy of the code.`,
    });
  }
  return out;
}

function largeData(a: BinaryAnalysis, largest: readonly { name: string; package: string; bytes: number }[]): Finding[] {
  return largest
    .filter((s) => s.bytes >= LARGE_SYMBOL)
    .slice(0, 5)
    .map((s) => ({
      kind: 'binary-large-data' as const,
      severity: s.bytes / a.bytes >= 0.2 ? ('low' as const) : ('info' as const),
      title: `${s.name} holds ${Math.round((s.bytes / a.bytes) * 100)}% of the file`,
      location: { function: s.name },
      evidence: [
        { label: 'symbol', value: s.name },
        { label: 'size', value: s.bytes, unit: 'bytes' as const },
        { label: 'share of the file', value: s.bytes / a.bytes, unit: 'fraction' as const },
      ],
      advice: 'A large //go:embed file or generated table: compress it (and decompress at start-up), or ship it beside the binary, if the binary\'s size matters.',
    }));
}
