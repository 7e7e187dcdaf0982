import { systemReason } from './exit.js';
import { message } from './messages.js';
import type { Lang } from '../render/notes.js';
import { FdOutput } from './fd-output.js';

/**
 * The one line for an output that cannot be written (a full disk, an I/O error, a file too large):
 * docs/contract.md, "Exit codes", status 2. A reader that went away (EPIPE) is not one: src/cli.ts.
 */
export function outputErrorLine(err: unknown, lang: Lang): string {
  return `teardown: ${message('cannotWriteOutput', { reason: systemReason(err) })(lang)}\n`;
}

/** Whether `err` is a failed write (of the output, when nothing else is written): a system error from write(2). */
export function isWriteError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'syscall' in err && err.syscall === 'write' && 'code' in err;
}

/**
 * Output in large writes: one `write` per line costs more than building the line (measured: 8 % of
 * a 200,000-connection run went to stdout's writeBuffer). Lines are gathered and written about
 * 64 KiB at a time; `flush` before anything else writes to the stream, and at the end.
 */
export class BatchedOutput {
  private parts: string[] = [];
  private size = 0;

  constructor(private readonly out: NodeJS.WritableStream, private readonly limit = 64 * 1024) {}

  write(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= this.limit) this.flush();
  }

  /**
   * Bytes already encoded (render/byte-lines.ts), after the text written before them. True when the
   * stream is done with them, so that their memory may be written again (ByteLines.writeTo): only
   * for the process's stdout with nothing left queued, or a FdOutput (written before write returns). A file's stdout writes synchronously; a pipe's
   * or terminal's write that found room (or blocked for it, src/cli.ts) went to the kernel whole, and
   * one that did not is queued, holding the bytes (writableLength > 0). Any other stream may keep
   * what it is given. A bound function, to be handed to ByteLines.writeTo as it is.
   */
  readonly writeBytes = (bytes: Uint8Array): boolean => {
    this.flush();
    if (bytes.length > 0) this.out.write(bytes);
    if (this.out instanceof FdOutput) return true;
    return this.out === process.stdout && process.stdout.writableLength === 0;
  };

  flush(): void {
    if (this.parts.length === 0) return;
    this.out.write(this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
}
