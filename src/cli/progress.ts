/**
 * The progress line on standard error while a long capture is read: bytes, packets per second and
 * time left, redrawn in place a few times a second. Only on a terminal (never in a pipe or a log),
 * and only for files large enough to take a while. The one place besides live capture that reads
 * the clock: it shows the run's progress, it never changes an answer.
 */
import { DIAGNOSTIC_WORDS } from '../render/diagnostic-words.js';
import type { Lang } from '../render/notes.js';

export const PROGRESS_MIN_BYTES = 64 * 1024 * 1024;
const REDRAW_MS = 250;

const mb = (n: number): string => (n / 1e6).toFixed(0);

export class Progress {
  private readonly started = Date.now();
  private drawn = 0;
  private shown = false;

  constructor(private readonly err: NodeJS.WriteStream, private readonly total: number, private readonly lang: Lang = 'en') {}

  /** Whether a progress line belongs on `err` for an input of `size` bytes (undefined: stdin). */
  static wanted(err: NodeJS.WritableStream, size: number | undefined): err is NodeJS.WriteStream {
    return size !== undefined && size >= PROGRESS_MIN_BYTES && (err as NodeJS.WriteStream).isTTY === true;
  }

  /** `offset`: bytes of the input read so far; `packets`: records so far. Cheap to call often. */
  update(offset: number, packets: number): void {
    const now = Date.now();
    if (now - this.drawn < REDRAW_MS) return;
    this.drawn = now;
    const secs = (now - this.started) / 1000;
    if (secs <= 0) return;
    const rate = packets / secs;
    // A gzip file inflates past its size on disk: then nothing is left to say, not a negative time.
    const left = offset > 0 ? Math.max(0, (secs * (this.total - offset)) / offset) : 0;
    const pct = Math.min(100, (100 * offset) / this.total);
    this.err.write(`\r\x1b[Kteardown: ${DIAGNOSTIC_WORDS[this.lang].progress(mb(offset), mb(this.total), pct.toFixed(0), Math.round(rate / 1000), Math.ceil(left))}`);
    this.shown = true;
  }

  /** Erases the line (before the report's own messages). */
  done(): void {
    if (this.shown) this.err.write('\r\x1b[K');
    this.shown = false;
  }
}
