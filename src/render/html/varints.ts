/**
 * A growable column of LEB128 varints (7 bits a byte, the high bit says more follow), the packing
 * of the large report's connection data (docs/report.md, "The data"): most of its numbers are
 * small once stored as differences, and a small number takes one byte. Values up to 2^53. Kept in
 * chunks of CHUNK bytes, not one buffer doubled as it grows: a column of 839,000 connections is
 * 12 MB, and doubling would hold up to twice that.
 */
const CHUNK = 1 << 16;

export class Varints {
  private readonly full: Uint8Array[] = [];
  private bytes = new Uint8Array(CHUNK);
  private at = 0;

  /** An unsigned integer. */
  push(n: number): void {
    if (this.at + 8 > CHUNK) {
      this.full.push(this.bytes.subarray(0, this.at));
      this.bytes = new Uint8Array(CHUNK);
      this.at = 0;
    }
    let v = n;
    while (v >= 0x80) {
      this.bytes[this.at++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.bytes[this.at++] = v;
  }

  /** A signed integer, zigzag-coded: 0, -1, 1, -2 … as 0, 1, 2, 3 … */
  pushSigned(n: number): void {
    this.push(n < 0 ? -2 * n - 1 : 2 * n);
  }

  /** The bytes written so far, in one buffer. */
  bytesWritten(): Buffer {
    return Buffer.concat([...this.full, this.bytes.subarray(0, this.at)]);
  }
}
