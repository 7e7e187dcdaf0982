import { deflateRawSync } from 'node:zlib';

/**
 * How hard the page's columns and card bodies are deflated: zlib's default. Level 9 made the
 * benchmark's page 1.4 % smaller (6.94 against 7.04 MB; 0.13 % without rows) for about 0.25 s
 * more of a 5 s report (docs/report.md, "Measured").
 */
export const DEFLATE_LEVEL = 6;

/**
 * A growable column of LEB128 varints (7 bits a byte, the high bit says more follow), the packing
 * of the large report's connection data (docs/report.md, "The data"): most of its numbers are
 * small once stored as differences, and a small number takes one byte. Values up to 2^53. Written
 * in chunks of CHUNK bytes, each raw-deflated as soon as it is full, so that a column of 839,000
 * connections holds a third of its 12 MB (and never a buffer doubled as it grows). The deflated
 * chunks are kept as bytes outside the JavaScript heap and turned into base64 only when written:
 * kept as strings they were most of what the heap held, and V8 lets the heap grow to a multiple of
 * what it holds before collecting it (docs/report.md, "Memory").
 */
const CHUNK = 1 << 16;

/** Bytes of their own, the length they are (zlib's result may be a view of a larger buffer). */
export function outsideHeap(b: Buffer): Buffer {
  return b.byteLength === b.buffer.byteLength ? b : Buffer.copyBytesFrom(b);
}

export class Varints {
  private readonly packed: Buffer[] = [];
  private bytes = new Uint8Array(CHUNK);
  private at = 0;

  /** An unsigned integer. */
  push(n: number): void {
    if (this.at + 8 > CHUNK) this.pack();
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

  /**
   * The column as its chunks, each raw-deflated and in base64 (the page inflates each and reads
   * them as one run of bytes: a varint may straddle two). The column is empty after.
   */
  finish(): string[] {
    if (this.at > 0 || this.packed.length === 0) this.pack();
    return this.packed.splice(0).map((b) => b.toString('base64'));
  }

  private pack(): void {
    this.packed.push(outsideHeap(deflateRawSync(this.bytes.subarray(0, this.at), { level: DEFLATE_LEVEL })));
    this.bytes = new Uint8Array(CHUNK);
    this.at = 0;
  }
}
