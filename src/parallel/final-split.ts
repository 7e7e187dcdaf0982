/**
 * The main thread's side of Analyzer.finishSplit's helper: one worker thread (final-writer.ts),
 * started when a large capture is opened so that it is ready when the input ends, then given runs
 * of copied connections to write. Measured on two cores (README, Speed).
 */
import { Worker } from 'node:worker_threads';
import type { Lang } from '../analysis/annotations.js';
import type { SplitHelper } from '../analysis/analyze.js';
import type { TeardownClass } from '../analysis/teardown.js';
import type { Instant } from '../flow/connection.js';
import type { StoreCopy } from '../flow/store.js';

export interface SplitRequest {
  run: number;
  copy: StoreCopy;
  captureEnd: Instant;
  first: Instant | undefined;
  lang: Lang;
}

export interface SplitReply {
  run: number;
  bytes: Uint8Array;
  byClass: Partial<Record<TeardownClass, number>>;
}

type Waiting = { resolve: (r: SplitReply) => void; reject: (e: Error) => void };

export class FinalWriterThread implements SplitHelper {
  private readonly worker = new Worker(new URL('./final-writer.js', import.meta.url));
  private readonly waiting = new Map<number, Waiting>();
  private runs = 0;
  private failure: Error | undefined;

  constructor() {
    // Idle until the end of input: it must not keep the process alive, nor hold it at exit.
    this.worker.unref();
    this.worker.on('message', (r: SplitReply) => {
      const w = this.waiting.get(r.run);
      this.waiting.delete(r.run);
      w?.resolve(r);
    });
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) => this.fail(new Error(`the report's helper thread stopped (code ${code})`)));
  }

  write(copy: StoreCopy, captureEnd: Instant, first: Instant | undefined, lang: Lang): Promise<SplitReply> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const run = this.runs++;
    const request: SplitRequest = { run, copy, captureEnd, first, lang };
    const transfer = Object.values(copy.columns).map((c) => c.buffer as ArrayBuffer);
    // While runs are under way the helper keeps the process alive, so that their replies arrive.
    this.worker.ref();
    return new Promise<SplitReply>((resolve, reject) => {
      this.waiting.set(run, { resolve, reject });
      this.worker.postMessage(request, transfer);
    }).finally(() => {
      if (this.waiting.size === 0) this.worker.unref();
    });
  }

  /** Stops the thread (after the report, or when it is not needed). */
  close(): Promise<number> {
    this.worker.removeAllListeners('exit');
    return this.worker.terminate();
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }
}
