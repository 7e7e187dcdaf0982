import { closeSync, ftruncateSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Chunks of bytes written to an unnamed temporary file (in $TMPDIR, else /tmp; removed from the
 * directory as soon as it is opened, so nothing is left behind whatever happens) and read back, in
 * order, one at a time, or a part at a time by position: what a report keeps until its end without
 * holding it in memory (row-chunks.ts, annotate.ts, id-order-spill.ts).
 */
/** Told apart from the process's other spill files made in the same millisecond. */
let made = 0;

export class SpillFile {
  private readonly fd: number;
  private readonly lengths: number[] = [];
  private written = 0;

  constructor() {
    const path = join(tmpdir(), `teardown-spill-${process.pid}-${Date.now()}-${made++}`);
    this.fd = openSync(path, 'wx+', 0o600);
    unlinkSync(path);
  }

  /** Appends a chunk; if the write fails, the chunk is not in the file (the bytes written of it are never read). */
  append(chunk: Buffer): void {
    for (let done = 0; done < chunk.length; ) done += writeSync(this.fd, chunk, done, chunk.length - done, this.written + done);
    this.written += chunk.length;
    this.lengths.push(chunk.length);
  }

  /** The chunks, in the order appended: each is valid until the next is read. */
  *chunks(): Generator<Buffer> {
    let buf = Buffer.allocUnsafe(0);
    let at = 0;
    for (const length of this.lengths) {
      if (buf.length < length) buf = Buffer.allocUnsafe(length);
      this.readAt(buf, length, at);
      at += length;
      yield buf.subarray(0, length);
    }
  }

  /** `length` bytes from `at` in the file into `into` (one chunk or part of one: read in any order). */
  readAt(into: Buffer, length: number, at: number): void {
    for (let done = 0; done < length; ) {
      const n = readSync(this.fd, into, done, length - done, at + done);
      if (n === 0) throw new Error('spill file ended early');
      done += n;
    }
  }

  /** Bytes in the file (every chunk appended whole). */
  get bytes(): number {
    return this.written;
  }

  /** Empties the file, to be written again from its beginning: what was in it is never read. */
  rewind(): void {
    if (this.written === 0) return;
    ftruncateSync(this.fd, 0);
    this.written = 0;
    this.lengths.length = 0;
  }

  close(): void {
    closeSync(this.fd);
  }
}
