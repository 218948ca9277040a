import { headerFields } from '../collect/store/write.js';
import type { Profile } from '../model/profile.js';

/**
 * A profile's content independent of how it is laid out: the header, the
 * mappings in order, and every sample as one line — values, labels, and its
 * stack leaf first, each location with its mapping, address and lines
 * (function, system name, file, start line, line, column). Sorted, since the
 * order of samples carries no meaning. Two profiles with equal canonical
 * forms say the same thing to every report.
 */
export function canonicalProfile(p: Profile): { header: Record<string, unknown>; samples: string[] } {
  const str = (i: number) => p.strings[i]!;
  const width = p.sampleTypes.length;
  const location = (l: number): string => {
    const m = p.locations.mapping[l]!;
    const lines: string[] = [];
    for (let k = p.locations.lineStart[l]!; k < p.locations.lineStart[l]! + p.locations.lineCount[l]!; k++) {
      const f = p.lines.function[k]!;
      const fn = f < 0 ? '-' : `${str(p.functions.name[f]!)}/${str(p.functions.systemName[f]!)}/${str(p.functions.filename[f]!)}/${p.functions.startLine[f]}`;
      lines.push(`${fn}:${p.lines.line[k]}:${p.lines.column[k]}`);
    }
    const mapping = m < 0 ? '-' : `${p.mappings[m]!.file}+${p.mappings[m]!.start.toString(16)}`;
    return `${mapping}@${p.locations.address[l]!.toString(16)}${p.locations.isFolded[l] ? '!' : ''}[${lines.join(' ')}]`;
  };
  const samples: string[] = [];
  for (let i = 0; i < p.samples.count; i++) {
    const values = Array.from(p.samples.values.subarray(i * width, (i + 1) * width)).join(',');
    const labels: string[] = [];
    for (let l = p.samples.labelStart[i]!; l < p.samples.labelStart[i]! + p.samples.labelCount[i]!; l++) {
      labels.push(`${str(p.labels.key[l]!)}=${str(p.labels.str[l]!)}#${p.labels.num[l]}${str(p.labels.numUnit[l]!)}`);
    }
    const stack: string[] = [];
    for (let s = p.samples.locStart[i]!; s < p.samples.locStart[i]! + p.samples.locCount[i]!; s++) stack.push(location(p.stacks[s]!));
    samples.push(`${values} | ${labels.join(';')} | ${stack.join(' < ')}`);
  }
  samples.sort();
  return {
    header: {
      ...headerFields(p),
      mappings: p.mappings.map(({ id: _id, ...m }) => ({ ...m, start: m.start.toString(16), limit: m.limit.toString(16), offset: m.offset.toString(16) })),
      inexactValues: p.inexactValues,
    },
    samples,
  };
}
