/**
 * Charts reduced to what a screen can show: one bucket per unit of the
 * plot's width (the page draws 1,060 units across, about a pixel each), so a
 * log of 100,000 GC cycles gives a page of a few hundred KB, not tens of
 * megabytes of points nobody can tell apart. Inputs at or under the bucket
 * count are drawn as they are. Peaks survive every reduction: a line keeps
 * each bucket's first, lowest, highest and last point, markers the tallest,
 * bands their whole extent.
 */

/** What thinning needs of a marker (svg.ts's Marker). */
interface Mark {
  x: number;
  size: number;
  title: string;
}

/** What thinning needs of a band (svg.ts's Band). */
interface Stretch {
  x0: number;
  x1: number;
  title: string;
  opacity?: number;
}

/** The bucket of x, for `buckets` buckets over [0, xMax]. */
function bucketOf(x: number, xMax: number, buckets: number): number {
  return Math.min(buckets - 1, Math.max(0, Math.floor((x * buckets) / xMax)));
}

/**
 * A line's points (in x order) thinned to at most four per bucket: the first,
 * the lowest, the highest and the last, in their order — the line drawn
 * through them covers the same pixels as the line through all of them.
 */
export function thinPoints(points: readonly [number, number][], xMax: number, buckets: number): readonly [number, number][] {
  if (points.length <= 4 * buckets) return points;
  const out: [number, number][] = [];
  let start = 0;
  while (start < points.length) {
    const b = bucketOf(points[start]![0], xMax, buckets);
    let end = start + 1;
    let lo = start;
    let hi = start;
    for (; end < points.length && bucketOf(points[end]![0], xMax, buckets) === b; end++) {
      if (points[end]![1] < points[lo]![1]) lo = end;
      if (points[end]![1] > points[hi]![1]) hi = end;
    }
    for (const i of [...new Set([start, lo, hi, end - 1])].sort((x, y) => x - y)) out.push(points[i]!);
    start = end;
  }
  return out;
}

/** Markers thinned to the tallest per bucket; its title says how many it stands for. */
export function thinMarkers<M extends Mark>(markers: readonly M[], xMax: number, buckets: number): readonly M[] {
  if (markers.length <= buckets) return markers;
  const tallest: (M | undefined)[] = new Array(buckets);
  const counts = new Uint32Array(buckets);
  for (const m of markers) {
    const b = bucketOf(m.x, xMax, buckets);
    counts[b]!++;
    if (tallest[b] === undefined || m.size > tallest[b]!.size) tallest[b] = m;
  }
  const out: M[] = [];
  tallest.forEach((m, b) => {
    if (m) out.push(counts[b]! > 1 ? { ...m, title: `${m.title} (the longest of ${counts[b]} here)` } : m);
  });
  return out;
}

/**
 * Bands thinned to one per bucket they start in, spanning all of them, as
 * opaque as the share of that stretch they cover (a bucket where the GC ran
 * a tenth of the time is fainter than one where it ran throughout), never
 * fainter than a quarter of the bands' own opacity so it stays visible.
 */
export function thinBands<B extends Stretch>(bands: readonly B[], xMax: number, buckets: number, opacity: number): readonly B[] {
  if (bands.length <= buckets) return bands;
  const out: B[] = [];
  let group: B[] = [];
  const flush = () => {
    if (group.length === 0) return;
    const first = group[0]!;
    if (group.length === 1) out.push(first);
    else {
      let x1 = first.x1;
      let covered = 0;
      let strongest = 0;
      for (const b of group) {
        x1 = Math.max(x1, b.x1);
        const o = b.opacity ?? opacity;
        covered += (b.x1 - b.x0) * o;
        strongest = Math.max(strongest, o);
      }
      const width = x1 - first.x0;
      const share = width > 0 ? covered / width : strongest;
      out.push({ ...first, x1, opacity: Math.max(strongest / 4, Math.min(strongest, share)), title: `${first.title} (and ${group.length - 1} more here)` });
    }
    group = [];
  };
  let current = -1;
  for (const band of bands) {
    const b = bucketOf(band.x0, xMax, buckets);
    if (b !== current) flush();
    current = b;
    group.push(band);
  }
  flush();
  return out;
}
