/**
 * Numbers appended one at a time into a typed array that doubles: `--jobs`' lists that grow with
 * the connections (a worker's items and openings, the reading thread's global ids). A growing
 * `number[]` is copied on the heap as it grows and, being alive, is kept through young-generation
 * collections into the old generation: garbage there until a full collection.
 */
export class NumberList {
  private values = new Float64Array(1024);
  length = 0;

  push(x: number): void {
    if (this.length === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.length++] = x;
  }

  at(i: number): number {
    return this.values[i] as number;
  }

  /** The numbers, in place: valid until the next push or clear. */
  view(): Float64Array {
    return this.values.subarray(0, this.length);
  }

  clear(): void {
    this.length = 0;
  }
}
