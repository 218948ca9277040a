/**
 * Box colours. Normal graphs: a warm hue per package (so one package's frames
 * read as one colour), the runtime and standard library muted, as a person
 * looks first at their own code. Diffs: red for growth, blue for shrinkage,
 * saturation by the relative change, as pprof's and Pyroscope's diff views.
 */

/** The package of a Go function name: `net/http.(*conn).serve` → `net/http`. */
export function packageOf(name: string): string {
  const slash = name.lastIndexOf('/');
  const dot = name.indexOf('.', slash + 1);
  return dot < 0 ? name : name.slice(0, dot);
}

/** Standard-library and runtime packages have no dot in their first path element. */
export function isStandard(pkg: string): boolean {
  const first = pkg.split('/')[0]!;
  return !first.includes('.') && first !== 'main';
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

export function frameColour(name: string): string {
  // Varied per function (neighbours stay apart), muted for the runtime and standard library.
  const h = hash(name);
  if (isStandard(packageOf(name))) return `hsl(${28 + (h % 24)}, ${18 + ((h >> 5) % 12)}%, ${70 + ((h >> 9) % 9)}%)`;
  return `hsl(${6 + (h % 44)}, ${70 + ((h >> 6) % 20)}%, ${56 + ((h >> 11) % 12)}%)`;
}

/**
 * A diff box: `delta` = new − base, `size` = new + base (what the width
 * shows). Red when it grew, blue when it shrank; the stronger the relative
 * change, the deeper the colour; unchanged is grey.
 */
export function diffColour(delta: number, size: number): string {
  if (size <= 0 || delta === 0) return 'hsl(0, 0%, 82%)';
  const r = Math.min(1, Math.abs(delta) / size);
  const light = 88 - 38 * Math.sqrt(r);
  return delta > 0 ? `hsl(2, 78%, ${light}%)` : `hsl(215, 75%, ${light}%)`;
}

/** Whether a CSS colour from diffColour is the growth (red) or the shrink (blue) hue; tests read it back. */
export function diffSign(colour: string): 1 | -1 | 0 {
  if (colour.startsWith('hsl(2,')) return 1;
  if (colour.startsWith('hsl(215,')) return -1;
  return 0;
}

export const MATCH_COLOUR = 'hsl(295, 70%, 62%)';
export const DIMMED_COLOUR = 'hsl(0, 0%, 88%)';
export const MERGED_COLOUR = 'hsl(0, 0%, 74%)';
