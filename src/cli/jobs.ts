/**
 * `analyze --jobs N` on the reading thread (docs/design.md, "Jobs"): the capture's bytes go into
 * shared batches (capture/shared-records.ts), N worker threads (jobs-worker.ts) each analyse the
 * connections of one shard of every batch, and their outputs are put back in the order, and with
 * the connection ids, of one analyzer over the whole capture.
 *
 * Each worker sees every record, so every worker's clock, sweeps, counts and skips are the whole
 * capture's; it only places and tracks the segments of its own shard. Its connections get local
 * ids (1, 2, ... in its own order of first packets); it reports each one's first packet as it
 * opens, and here the ids are made global by merging those reports in packet order. A connection
 * released by one analyzer at packet p (port reuse first, then the sweep after that packet, in id
 * order; the end of the capture last, in id order) is released by its shard at the same packet in
 * the same phase, so the outputs are merged on (packet, phase, global id): one analyzer's order.
 */
import { Worker } from 'node:worker_threads';
import type { CaptureDamage, CaptureInfo, CaptureRecord } from '../capture/record.js';
import type { SharedBatch } from '../capture/shared-records.js';
import { BatchWriter, inPieces, newBatch } from '../capture/shared-records.js';
import type { Instant } from '../flow/connection.js';
import type { CaptureSummary, Report } from '../analysis/report.js';
import type { ViewOptions } from './options.js';
import type { TcpSegment } from '../decode/segment.js';
import { plainTcpTuple } from '../decode/plain.js';
import type { PlainTuple } from '../decode/plain.js';
import { shardOf } from '../flow/shard.js';
import { digitCount } from '../render/byte-lines.js';
import { handBackChannel } from './result-buffers.js';
import { NumberList } from './number-list.js';
import type { HandBack } from './result-buffers.js';

/** What a worker is started with. */
export interface JobSetup {
  shard: number;
  shards: number;
  name: string;
  batches: SharedBatch[];
  /** Room for this many connections (the whole capture's estimate, divided among the shards). */
  reserve: number;
  /** Where the worker gets its results' buffers back (result-buffers.ts). */
  handBack: HandBack;
  options: Pick<ViewOptions, 'format' | 'lang' | 'tunnels' | 'vxlanPorts' | 'port' | 'host' | 'class'>;
}

/** A batch of records to analyse, from the reading thread. */
export interface JobBatch {
  seq: number;
  slot: number;
  count: number;
  firstNo: number;
}

/** The end of the input. */
export interface JobEnd {
  seq: number;
  info: CaptureInfo;
  damage: CaptureDamage | undefined;
}

/** Items of a result: ITEM_FIELDS numbers each. */
export const ITEM_FIELDS = 6;
/** An item's fields: the packet it was released at, its phase, local id, its bytes, where its id's digits start. */
export const AT = 0;
export const PHASE = 1;
export const LOCAL_ID = 2;
export const START = 3;
export const END = 4;
export const ID_AT = 5;
// Release phases at one packet, in one analyzer's order (the Analyzer's releasedBy: a port's
// reuse, then the sweep; the end of the capture comes after every packet).

/** A worker's answer to a batch, or to the end. */
export interface JobResult {
  seq: number;
  /** More parts of the same answer follow (only at the end, where every connection left is released at once). */
  more: boolean;
  /** The first packet of each connection that opened, in order (local ids 1, 2, ... continue from the last result). */
  opened: Float64Array;
  /** The connections released and written, ITEM_FIELDS numbers each, in release order. */
  items: Float64Array;
  bytes: Uint8Array;
  first: Instant | undefined;
  /** Only at the end: the shard's report (as `--shard` gives it: its own TCP packets), the tally of those shown, the last time. */
  end?: { capture: CaptureSummary; summary: Report['summary']; errors: Report['errors']; shown: Report['summary']; last: Instant | undefined };
}

/** Where a released connection's output goes, with its global id: `bytes[start, end)`, its local id's digits at `[idAt, idEnd)`. */
export type JobSink = (bytes: Uint8Array, start: number, end: number, idAt: number, idEnd: number, id: number) => void;

/**
 * A plain TCP packet's 4-tuple, read without decoding it (decode/plain.ts) as the record is indexed;
 * as a segment, all shardOf reads of one with IPv4 integers. Each worker decodes only its own.
 */
const tuple: PlainTuple = { srcV4: 0, dstV4: 0, srcPort: 0, dstPort: 0 };
const tupleSegment = tuple as unknown as TcpSegment;

/**
 * Each worker's young generation, in MB (V8's default is 16 MB for each of its two halves). A
 * worker allocates little that outlives a packet, so a small one costs it no measurable time, and
 * each isolate's young generation is memory the run keeps: on gen-long8m.pcap's ndjson with 2 jobs
 * the peak went from about 374 to 335 MB (docs/performance.md, "Memory for every format").
 */
const WORKER_YOUNG_MB = 4;

/** Batches in flight at once: one filling, the others with the workers. */
const SLOTS = 4;


/** The workers of one run, the batches they share and the merge of what they give back. */
export class Jobs {
  private readonly workers: Worker[] = [];
  /** Per worker, how its merged results' buffers go back to it. */
  private readonly giveBack: Array<(buffers: ArrayBuffer[]) => void> = [];
  private readonly writers: BatchWriter[] = [];
  private readonly free: number[] = [];
  private readonly waiting: Array<() => void> = [];
  private readonly results = new Map<number, Pending>();
  private readonly slotOf = new Map<number, number>();
  /** Per worker, its local ids' global ids (local id n at n - 1). */
  private readonly ids: NumberList[] = [];
  private nextId = 1;
  private sent = 0;
  private merged = 0;
  private current: BatchWriter;
  private failure: unknown;
  private finals: ((r: JobResult[]) => void) | undefined;
  private onFailure: ((err: unknown) => void) | undefined;
  first: Instant | undefined;

  constructor(shards: number, setup: Omit<JobSetup, 'shard' | 'shards' | 'batches' | 'handBack'>, private readonly sink: JobSink) {
    const batches = Array.from({ length: SLOTS }, newBatch);
    for (let slot = 0; slot < SLOTS; slot++) {
      this.writers.push(new BatchWriter(batches[slot] as SharedBatch, (r) => (plainTcpTuple(r, tuple) ? shardOf(tupleSegment, shards) : -1)));
      if (slot > 0) this.free.push(slot);
    }
    this.current = this.writers[0] as BatchWriter;
    this.slotOf.set(0, 0);
    for (let shard = 0; shard < shards; shard++) {
      const back = handBackChannel();
      this.giveBack.push(back.give);
      const data: JobSetup = { ...setup, shard, shards, batches, handBack: back.worker };
      const worker = new Worker(new URL('./jobs-worker.js', import.meta.url), { workerData: data, transferList: [back.worker.port], resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } });
      worker.on('message', (r: JobResult) => this.received(shard, r));
      worker.on('error', (err) => this.fail(err));
      worker.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`a job ended with status ${code}`));
      });
      this.workers.push(worker);
      this.ids.push(new NumberList());
    }
  }

  /** A record the parser delivered from the current batch's bytes. */
  readonly add = (r: CaptureRecord): void => {
    this.current.add(r);
  };

  /** The input in pieces copied into the batches; a full batch is handed to the workers before the next piece. */
  async *pieces(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    for await (const piece of inPieces(chunks)) {
      if (this.current.full) await this.send();
      yield this.current.take(piece);
    }
  }

  /** Hands the current batch to every worker and waits for a free one. */
  private async send(): Promise<void> {
    const w = this.current;
    if (w.count === 0) return;
    const slot = this.slotOf.get(this.sent) as number;
    const batch: JobBatch = { seq: this.sent, slot, count: w.count, firstNo: w.firstNo };
    this.results.set(this.sent, pending(this.workers.length));
    for (const worker of this.workers) worker.postMessage(batch);
    this.sent++;
    const next = await this.freeSlot();
    this.slotOf.set(this.sent, next);
    this.current = this.writers[next] as BatchWriter;
    this.current.reset();
  }

  private freeSlot(): Promise<number> {
    this.check();
    const slot = this.free.shift();
    if (slot !== undefined) return Promise.resolve(slot);
    return new Promise((resolve, reject) => {
      this.onFailure = reject;
      this.waiting.push(() => {
        this.onFailure = undefined;
        resolve(this.free.shift() as number);
      });
    });
  }

  /** The end of the input: the last batch, then every shard's end; the workers' final results. */
  async end(info: CaptureInfo, damage: CaptureDamage | undefined): Promise<JobResult[]> {
    await this.send();
    const done = new Promise<JobResult[]>((resolve, reject) => {
      this.finals = resolve;
      this.onFailure = reject;
    });
    this.results.set(this.sent, pending(this.workers.length));
    const end: JobEnd = { seq: this.sent, info, damage };
    for (const worker of this.workers) worker.postMessage(end);
    this.check();
    return done;
  }

  /** Stops the workers (after the end, or on a failure). */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private check(): void {
    if (this.failure !== undefined) throw this.failure;
  }

  private fail(err: unknown): void {
    this.failure ??= err;
    this.onFailure?.(this.failure);
  }

  private received(shard: number, r: JobResult): void {
    const pending = this.results.get(r.seq);
    if (pending === undefined) return;
    pending.parts[shard]?.push(r);
    if (!r.more) pending.done[shard] = true;
    if (shard === 0 && r.first !== undefined) this.first ??= r.first;
    // Merged in order of batches: a later batch's results wait for the earlier ones'.
    for (let p = this.results.get(this.merged); p !== undefined && this.merge(p); p = this.results.get(this.merged)) {
      this.results.delete(this.merged);
      const slot = this.slotOf.get(this.merged);
      this.slotOf.delete(this.merged);
      this.merged++;
      if (p.end.length > 0) {
        this.finals?.(p.end);
        return;
      }
      if (slot !== undefined) {
        this.free.push(slot);
        this.waiting.shift()?.();
      }
    }
  }

  /**
   * Hands on what it can of one batch's results: global ids for the connections that opened (a
   * batch's come in its one part from each worker), then the releases in one analyzer's order, as
   * far as every worker's next item is known (the end comes in parts). True once all are handed on.
   */
  private merge(p: Pending): boolean {
    const n = this.workers.length;
    if (!p.numbered) {
      for (let w = 0; w < n; w++) if (p.parts[w]?.length === 0) return false;
      this.number(p.parts.map((parts) => (parts[0] as JobResult).opened));
      p.numbered = true;
    }
    for (;;) {
      let best = -1;
      let bestAt = 0;
      let bestPhase = 0;
      let bestId = 0;
      let complete = true;
      for (let w = 0; w < n; w++) {
        const parts = p.parts[w] as JobResult[];
        // The worker's next item: in its first part left, or in the next once that one is used up.
        while (parts.length > 0 && (p.at[w] as number) >= (parts[0] as JobResult).items.length) {
          const used = parts.shift() as JobResult;
          if (used.end !== undefined) p.end[w] = used;
          p.at[w] = 0;
          // Its `opened` were numbered before its items were merged: its buffers go back for reuse.
          (this.giveBack[w] as (buffers: ArrayBuffer[]) => void)([used.bytes.buffer as ArrayBuffer, used.opened.buffer as ArrayBuffer, used.items.buffer as ArrayBuffer]);
        }
        const part = parts[0];
        if (part === undefined) {
          if (!p.done[w]) return false;
          continue;
        }
        complete = false;
        const items = part.items;
        const i = p.at[w] as number;
        const itemAt = items[i + AT] as number;
        const phase = items[i + PHASE] as number;
        const id = (this.ids[w] as NumberList).at((items[i + LOCAL_ID] as number) - 1);
        if (best < 0 || itemAt < bestAt || (itemAt === bestAt && (phase < bestPhase || (phase === bestPhase && id < bestId)))) {
          best = w;
          bestAt = itemAt;
          bestPhase = phase;
          bestId = id;
        }
      }
      if (complete) return true;
      const r = (p.parts[best] as JobResult[])[0] as JobResult;
      const i = p.at[best] as number;
      const x = r.items;
      const idAt = x[i + ID_AT] as number;
      this.sink(r.bytes, x[i + START] as number, x[i + END] as number, idAt, idAt + digitCount(x[i + LOCAL_ID] as number), bestId);
      p.at[best] = i + ITEM_FIELDS;
    }
  }

  /** Global ids, in order of first packets, for the connections each worker opened (`opened[w]`). */
  private number(opened: Float64Array[]): void {
    const n = opened.length;
    const at = new Array<number>(n).fill(0);
    for (;;) {
      let best = -1;
      let bestNo = Infinity;
      for (let w = 0; w < n; w++) {
        const nos = opened[w] as Float64Array;
        const i = at[w] as number;
        if (i < nos.length && (nos[i] as number) < bestNo) {
          bestNo = nos[i] as number;
          best = w;
        }
      }
      if (best < 0) return;
      (this.ids[best] as NumberList).push(this.nextId++);
      at[best] = (at[best] as number) + 1;
    }
  }
}

/** One batch's results as they come: each worker's parts, whether its last came, how far its items are merged. */
interface Pending {
  parts: JobResult[][];
  done: boolean[];
  at: number[];
  numbered: boolean;
  /** The end's last parts, with the reports. */
  end: JobResult[];
}

function pending(workers: number): Pending {
  return { parts: Array.from({ length: workers }, () => []), done: new Array<boolean>(workers).fill(false), at: new Array<number>(workers).fill(0), numbered: false, end: [] };
}
