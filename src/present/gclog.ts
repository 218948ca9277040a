import type { GcSummary } from '../analyze/gc/types.js';
import { formatCount } from '../model/units.js';

/** The gc records left out, and why (numbers no Go runtime prints, so no figure uses them), for the terminal and the page alike. */
export function rejectedText(s: GcSummary): string {
  const first = s.rejected[0]!;
  const more = s.rejectedRecords > 1 ? ` (and ${formatCount(s.rejectedRecords - 1)} more)` : '';
  return (
    `Left out ${formatCount(s.rejectedRecords)} gc record${s.rejectedRecords === 1 ? '' : 's'} Go cannot have printed: ` +
    `line ${first.line} (gc ${first.n}): ${first.reason}${more}`
  );
}
