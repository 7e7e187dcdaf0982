import { writeSync } from 'node:fs';
import { Writable } from 'node:stream';

/** A short sleep without the event loop: for a pipe left non-blocking by another process (EAGAIN). */
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Output written with write(2) from the call that writes: standard output into a pipe, and the
 * `-o` file (output-file.ts). Into a pipe, a call returns
 * once the kernel has the bytes (a slow reader makes teardown wait, docs/contract.md, "Output into
 * a pipe"), and a reader that has gone (`| head`) is known at that call. Through Node's pipe stream
 * the EPIPE came back only when the event loop next ran its pending callbacks: measured on the
 * 390 MB benchmark capture into `| head -1`, the whole report was still built (2 s, and every line
 * after the failed one queued in memory) before the process heard of it, and a report streamed
 * while the input was read went on reading the input.
 *
 * `gone` is told when the reader has gone: it ends the process, or names the descriptor to go on
 * writing to (standard error, after Ctrl-C ended the reader too: src/cli/interrupt.ts).
 */
export class FdOutput extends Writable {
  /** Bytes written so far. */
  written = 0;

  constructor(private fd: number, private readonly gone: () => number = () => {
    throw new Error('EPIPE: the reader has gone');
  }) {
    super({ decodeStrings: true });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (err?: Error | null) => void): void {
    try {
      this.writeAll(chunk);
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  private writeAll(bytes: Uint8Array): void {
    let at = 0;
    while (at < bytes.length) {
      try {
        const n = writeSync(this.fd, bytes, at, bytes.length - at);
        at += n;
        this.written += n;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') Atomics.wait(pause, 0, 0, 1);
        else if (code === 'EPIPE') this.fd = this.gone();
        else throw err;
      }
    }
  }
}
