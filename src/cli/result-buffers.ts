/**
 * The buffers `--jobs` results travel in (docs/design.md, "Jobs"), handed back to the worker that
 * sent them once they are merged, and reused for its next results.
 *
 * A buffer moved to the reading thread is freed only when that thread collects its garbage, and
 * V8 puts that off until tens of MB of such buffers wait: in a 2-job run of an 8 M-packet capture,
 * each worker's malloc arena held 30 to 55 MB of them. At the end of a capture, when every
 * connection left is written at once in 1 MiB parts, a worker makes parts faster than they are
 * merged: it waits (Atomics.wait, which a worker may) while RESULTS_OUT of its results are out,
 * so the end's output is in a few buffers, not all of it at once.
 */
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';

/** Results a worker has out (sent, not yet handed back) before it waits: one per batch in flight (jobs.ts: four), and the end's parts. */
const RESULTS_OUT = 4;
/** Buffers a worker keeps for reuse: three a result. */
const SPARE_MAX = 3 * RESULTS_OUT;
/** How long a waiting worker sleeps before it looks again (a hand-back also wakes it). */
const WAIT_MS = 200;

/** The two ends of one worker's hand-back: the port it receives buffers on and a counter that wakes it. */
export interface HandBack {
  port: MessagePort;
  /** Int32 0: the number of results handed back so far. */
  count: SharedArrayBuffer;
}

/** The reading thread's end (`give`) and the worker's (`worker`, to pass in its workerData and transfer list). */
export function handBackChannel(): { give: (buffers: ArrayBuffer[]) => void; worker: HandBack } {
  const { port1, port2 } = new MessageChannel();
  const count = new SharedArrayBuffer(4);
  const counter = new Int32Array(count);
  port1.unref();
  return {
    give: (buffers) => {
      port1.postMessage(buffers, buffers);
      Atomics.add(counter, 0, 1);
      Atomics.notify(counter, 0);
    },
    worker: { port: port2, count },
  };
}

/** A worker's buffers for its results. */
export class ResultBuffers {
  private readonly spare: ArrayBuffer[] = [];
  private readonly counter: Int32Array;
  private out = 0;

  constructor(private readonly back: HandBack) {
    this.counter = new Int32Array(back.count);
  }

  /** Before a result is made: takes in what was handed back, and waits while RESULTS_OUT results are out. */
  ready(): void {
    for (;;) {
      const seen = Atomics.load(this.counter, 0);
      this.takeBack();
      if (this.out < RESULTS_OUT) return;
      Atomics.wait(this.counter, 0, seen, WAIT_MS);
    }
  }

  /** A buffer of at least `bytes`: the smallest spare that fits, else a new one (sizes rounded, so that they fit again). */
  take(bytes: number): ArrayBuffer {
    let best = -1;
    for (let i = 0; i < this.spare.length; i++) {
      const size = (this.spare[i] as ArrayBuffer).byteLength;
      if (size >= bytes && (best < 0 || size < (this.spare[best] as ArrayBuffer).byteLength)) best = i;
    }
    if (best >= 0) return this.spare.splice(best, 1)[0] as ArrayBuffer;
    return new ArrayBuffer(rounded(bytes));
  }

  /** A result was sent. */
  sent(): void {
    this.out++;
  }

  private takeBack(): void {
    for (let m = receiveMessageOnPort(this.back.port); m !== undefined; m = receiveMessageOnPort(this.back.port)) {
      this.out--;
      for (const b of m.message as ArrayBuffer[]) if (this.spare.length < SPARE_MAX) this.spare.push(b);
    }
  }
}

/** Up to 64 KiB a power of two (at least 1 KiB), above it a multiple of 256 KiB. */
function rounded(bytes: number): number {
  if (bytes <= 1024) return 1024;
  if (bytes <= 65536) return 2 ** Math.ceil(Math.log2(bytes));
  return Math.ceil(bytes / 262144) * 262144;
}
