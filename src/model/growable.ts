/*
 * Append-only typed arrays for decoders. There is one class per element type
 * on purpose: decoders push millions of values, and a single generic class
 * over several typed-array kinds makes those accesses polymorphic in V8
 * (measured: the graph builder's edge table got markedly slower that way).
 */

/** An append-only typed array that doubles its capacity, for decoders that don't know counts up front. */
export class GrowableInt32 {
  data: Int32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Int32Array(capacity);
  }
  push(v: number): void {
    if (this.length === this.data.length) this.grow();
    this.data[this.length++] = v;
  }
  /** Makes room for `n` more elements, so a caller can write `data` directly. */
  reserve(n: number): void {
    while (this.length + n > this.data.length) this.grow();
  }
  private grow(): void {
    const next = new Int32Array(this.data.length * 2);
    next.set(this.data);
    this.data = next;
  }
  /** The filled part as a view, never copied (for buffers reserved with an upper bound). */
  view(): Int32Array {
    return this.data.subarray(0, this.length);
  }

  /** The filled part. A view when it fills most of the buffer, so big tables are not copied at their peak. */
  finish(): Int32Array {
    return this.length * 4 >= this.data.length * 3 ? this.data.subarray(0, this.length) : this.data.slice(0, this.length);
  }
}

export class GrowableFloat64 {
  data: Float64Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Float64Array(capacity);
  }
  push(v: number): void {
    if (this.length === this.data.length) this.grow();
    this.data[this.length++] = v;
  }
  private grow(): void {
    const next = new Float64Array(this.data.length * 2);
    next.set(this.data);
    this.data = next;
  }
  view(): Float64Array {
    return this.data.subarray(0, this.length);
  }

  finish(): Float64Array {
    return this.length * 4 >= this.data.length * 3 ? this.data.subarray(0, this.length) : this.data.slice(0, this.length);
  }
}

export class GrowableBigUint64 {
  data: BigUint64Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new BigUint64Array(capacity);
  }
  push(v: bigint): void {
    if (this.length === this.data.length) this.grow();
    this.data[this.length++] = v;
  }
  private grow(): void {
    const next = new BigUint64Array(this.data.length * 2);
    next.set(this.data);
    this.data = next;
  }
  finish(): BigUint64Array {
    return this.data.slice(0, this.length);
  }
}
