import type { BusyInterval, SeriesPoint } from './types.js';

/** Default bucket count: a few per pixel of a wide chart. */
export const DEFAULT_SERIES_BUCKETS = 2048;
/** First bucket width; it doubles as needed, so the start value only sets the finest resolution. */
const INITIAL_WIDTH_NS = 1000;

export class DownsampledSeries {
  private origin: number | null = null;
  private width = INITIAL_WIDTH_NS;
  private readonly mins: Float64Array;
  private readonly maxs: Float64Array;
  private readonly lasts: Float64Array;
  private readonly filled: Uint8Array;
  private used = 0;
  /** The bucket the last sample went to, and the times it covers (none yet: an empty range). */
  private current = 0;
  private currentStart = Infinity;
  private currentEnd = -Infinity;

  constructor(private readonly buckets = DEFAULT_SERIES_BUCKETS) {
    this.mins = new Float64Array(buckets);
    this.maxs = new Float64Array(buckets);
    this.lasts = new Float64Array(buckets);
    this.filled = new Uint8Array(buckets);
  }

  /**
   * Samples come in time order, so most land in the bucket the last one did:
   * that case is kept small enough for V8 to inline into the caller (a double
   * passed to a call it does not inline is boxed: an allocation per sample).
   */
  add(t: number, v: number): void {
    const i = this.current;
    if (t >= this.currentStart && t < this.currentEnd) {
      if (v < this.mins[i]!) this.mins[i] = v;
      if (v > this.maxs[i]!) this.maxs[i] = v;
      this.lasts[i] = v;
    } else this.addToBucket(t, v);
  }

  private addToBucket(t: number, v: number): void {
    if (this.origin === null) this.origin = t;
    let i = Math.floor((t - this.origin) / this.width);
    while (i >= this.buckets) {
      this.halve();
      i = Math.floor((t - this.origin) / this.width);
    }
    if (i < 0) i = 0;
    if (!this.filled[i]) {
      this.filled[i] = 1;
      this.mins[i] = v;
      this.maxs[i] = v;
    } else {
      if (v < this.mins[i]!) this.mins[i] = v;
      if (v > this.maxs[i]!) this.maxs[i] = v;
    }
    this.lasts[i] = v;
    if (i + 1 > this.used) this.used = i + 1;
    this.current = i;
    // Bucket i covers [origin + i·width, origin + (i+1)·width); bucket 0 also takes what came before the origin.
    this.currentStart = i === 0 ? -Infinity : this.origin + i * this.width;
    this.currentEnd = this.origin + (i + 1) * this.width;
  }

  /** Merges bucket pairs: half as many buckets, twice as wide. */
  private halve(): void {
    for (let i = 0; i < this.buckets / 2; i++) {
      const a = 2 * i;
      const b = a + 1;
      const fa = this.filled[a]!;
      const fb = this.filled[b]!;
      if (fa && fb) {
        this.mins[i] = Math.min(this.mins[a]!, this.mins[b]!);
        this.maxs[i] = Math.max(this.maxs[a]!, this.maxs[b]!);
        this.lasts[i] = this.lasts[b]!;
      } else if (fa || fb) {
        const s = fa ? a : b;
        this.mins[i] = this.mins[s]!;
        this.maxs[i] = this.maxs[s]!;
        this.lasts[i] = this.lasts[s]!;
      }
      this.filled[i] = fa | fb;
    }
    this.filled.fill(0, this.buckets / 2);
    this.used = Math.ceil(this.used / 2);
    this.width *= 2;
    this.currentStart = Infinity;
    this.currentEnd = -Infinity;
  }

  points(): SeriesPoint[] {
    const out: SeriesPoint[] = [];
    if (this.origin === null) return out;
    for (let i = 0; i < this.used; i++) {
      if (!this.filled[i]) continue;
      out.push({ t: this.origin + i * this.width, min: this.mins[i]!, max: this.maxs[i]!, last: this.lasts[i]! });
    }
    return out;
  }
}

/**
 * Time spent in an activity (mark assists), accumulated into at most
 * `buckets` intervals that double in width as the trace goes on: a picture of
 * how much of each interval the activity took, not merely whether it
 * happened there (a 15 ms assist in a 3 s trace must not paint the whole
 * strip).
 */
export class BusyTime {
  private origin: number | null = null;
  private width = INITIAL_WIDTH_NS;
  private readonly busy: Float64Array;
  private used = 0;

  constructor(private readonly buckets = DEFAULT_SERIES_BUCKETS) {
    this.busy = new Float64Array(buckets);
  }

  /** Sets where the intervals start, if not set yet: the start of the first run, which may end after later ones. */
  anchor(t: number): void {
    if (this.origin === null) this.origin = t;
  }

  /** Adds `count` parallel runs of the activity over [from, to). */
  add(from: number, to: number, count: number): void {
    if (count <= 0 || to <= from) return;
    if (this.origin === null) this.origin = from;
    while (to - this.origin > this.width * this.buckets) this.halve();
    let t = Math.max(from, this.origin);
    while (t < to) {
      const i = Math.min(this.buckets - 1, Math.floor((t - this.origin) / this.width));
      const end = Math.min(to, this.origin + (i + 1) * this.width);
      this.busy[i]! += (end - t) * count;
      if (i + 1 > this.used) this.used = i + 1;
      if (end <= t) break;
      t = end;
    }
  }

  private halve(): void {
    for (let i = 0; i < this.buckets / 2; i++) this.busy[i] = this.busy[2 * i]! + this.busy[2 * i + 1]!;
    this.busy.fill(0, this.buckets / 2);
    this.used = Math.ceil(this.used / 2);
    this.width *= 2;
  }

  /** The intervals with any activity, in time order. */
  intervals(): BusyInterval[] {
    const out: BusyInterval[] = [];
    if (this.origin === null) return out;
    for (let i = 0; i < this.used; i++) if (this.busy[i]! > 0) out.push({ t: this.origin + i * this.width, widthNs: this.width, busyNs: this.busy[i]! });
    return out;
  }
}
