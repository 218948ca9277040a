import type { Profile } from './profile.js';

/**
 * What a profile holds that a double cannot hold exactly (integers past
 * 2^53, e.g. a corrupted or hand-made 2^63 − 1), as notes for the reader:
 * none for a profile a program wrote. Figures printed from such values are
 * rounded; export keeps the sample values of proto profiles exact
 * (SampleTable.exact) and refuses to rewrite integers read rounded.
 */
export function inexactNotes(p: Profile, source: string): string[] {
  const notes: string[] = [];
  if (p.inexactValues > 0) {
    const kept = p.roundedIntegers === 0 ? ', export --format=proto writes them unchanged' : '';
    notes.push(
      `${source}: sample values past 2^53, where a double cannot hold every integer: ${p.inexactValues}; ` +
        `figures show them rounded to about 16 digits (as go tool pprof prints them)${kept}`,
    );
  }
  if (p.roundedIntegers > 0) {
    notes.push(
      `${source}: integers read rounded past 2^53 (period, numeric labels, line numbers, IDs, or a text profile's ` +
        `values): ${p.roundedIntegers}; export --format=proto refuses this profile rather than write different numbers`,
    );
  }
  return notes;
}
