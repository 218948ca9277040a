const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * The Time: header as Go 1.23's pprof formats it, layout
 * "Jan 2, 2006 at 3:04pm (MST)", in the local time zone (TZ).
 */
export function formatProfileTime(nanos: bigint): string {
  const d = new Date(Number(nanos / 1_000_000n));
  const h = d.getHours();
  const h12 = h % 12 === 0 ? 12 : h % 12;
  const mm = String(d.getMinutes()).padStart(2, '0');
  const ampm = h < 12 ? 'am' : 'pm';
  return `${MONTHS[d.getMonth()]} ${d.getDate()}, ${d.getFullYear()} at ${h12}:${mm}${ampm} (${zoneAbbreviation(d)})`;
}

function zoneAbbreviation(d: Date): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(d).find((p) => p.type === 'timeZoneName');
  const name = part?.value ?? 'UTC';
  // Go prints "UTC" where ICU may print "GMT" for a zero offset.
  return name === 'GMT' ? 'UTC' : name;
}
