/**
 * A growable column of LEB128 varints (7 bits a byte, the high bit says more follow), the packing
 * of the large report's connection data (docs/report.md, "The data"): most of its numbers are
 * small once stored as differences, and a small number takes one byte. Values up to 2^53.
 */
export class Varints {
  private bytes = new Uint8Array(1 << 12);
  length = 0;

  /** An unsigned integer. */
  push(n: number): void {
    if (this.length + 8 > this.bytes.length) this.grow();
    let v = n;
    while (v >= 0x80) {
      this.bytes[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.bytes[this.length++] = v;
  }

  /** A signed integer, zigzag-coded: 0, -1, 1, -2 … as 0, 1, 2, 3 … */
  pushSigned(n: number): void {
    this.push(n < 0 ? -2 * n - 1 : 2 * n);
  }

  /** The bytes written so far (a view, valid until the next push). */
  view(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }

  private grow(): void {
    const next = new Uint8Array(this.bytes.length * 2);
    next.set(this.bytes);
    this.bytes = next;
  }
}
