/**
 * Several captures read as one, in time order, as mergecap merges them (docs/contract.md, "Several
 * captures"): a rotated set (`tcpdump -C`, `-G`) or captures taken at once on several interfaces.
 * Connections that span files stay one, and packets are numbered in the merged order.
 *
 * Each source is parsed by its own CaptureParser into a queue of its records (views into its
 * current chunk, which stays valid until that source's next chunk is asked for: only once its
 * queue is empty), and the earliest head is handed on. A source is opened only when the merge
 * reaches its first record's time (read ahead of time from its first chunk), so a rotated set of
 * hundreds of files holds one or two open at a time, not hundreds of buffers.
 */
import { CaptureParser, nextOrStop, STOPPED } from './read.js';
import type { OnRecord, ReadResult } from './read.js';
import { RecordView } from './format.js';
import type { CaptureDamage, CaptureInfo, CaptureRecord } from './record.js';
import { InputBrokeOffError, UnreadableCaptureError } from './record.js';

/**
 * One capture of the set: its name (messages, `capture.files`) and how to read its bytes, from the
 * start, each time asked. `unfiltered`: its bytes before a capture filter, where the time of its
 * first packet is read (a lower bound of the filtered first packet's, without running the filter
 * twice).
 */
export interface MergeSource {
  name: string;
  chunks: () => AsyncIterable<Uint8Array>;
  unfiltered?: () => AsyncIterable<Uint8Array>;
}

const PEEK_BYTES = 64 * 1024;

interface Time {
  sec: number;
  nsec: number;
}

const before = (a: Time, b: Time): boolean => a.sec < b.sec || (a.sec === b.sec && a.nsec < b.nsec);
const recordBefore = (a: CaptureRecord, b: CaptureRecord): boolean => a.tsSec < b.tsSec || (a.tsSec === b.tsSec && a.tsNsec < b.tsNsec);
/** Whether `t` comes before record `r` (a source's start before a head). */
const startsBefore = (t: Time, r: CaptureRecord): boolean => t.sec < r.tsSec || (t.sec === r.tsSec && t.nsec <= r.tsNsec);

/** A source being read: its parser and the records of its current chunk not yet handed on. */
class Reading {
  readonly parser: CaptureParser;
  private readonly chunks: AsyncIterator<Uint8Array>;
  private queue: CaptureRecord[] = [];
  private head = 0;
  private ended = false;

  constructor(readonly source: MergeSource, readonly order: number) {
    this.parser = new CaptureParser(source.name);
    this.chunks = source.chunks()[Symbol.asyncIterator]();
  }

  get next(): CaptureRecord | undefined {
    return this.queue[this.head];
  }

  take(): void {
    this.head++;
  }

  /** Reads chunks until a record is queued or the source is over (false); `stop` ends it early. */
  async fill(stop: AbortSignal | undefined): Promise<boolean> {
    while (this.head >= this.queue.length) {
      if (this.ended) return false;
      this.queue = [];
      this.head = 0;
      let got: IteratorResult<Uint8Array> | typeof STOPPED;
      try {
        got = stop === undefined ? await this.chunks.next() : await nextOrStop(this.chunks, stop);
      } catch (err) {
        if (!(err instanceof InputBrokeOffError)) throw err;
        this.parser.brokeOff(err.message);
        got = { done: true, value: undefined };
      }
      if (got === STOPPED || got.done || this.parser.damage !== undefined) {
        this.close(got === STOPPED);
        continue;
      }
      const chunk = got.value;
      this.parser.push(chunk, (r) => this.queue.push(keep(r, chunk)));
      if (this.parser.damage !== undefined) this.close(false);
    }
    return true;
  }

  /** Ends the read of this source (idempotent); `stopped`: cut short by `stop`, not over. */
  close(stopped: boolean): void {
    if (this.ended) return;
    this.ended = true;
    void this.chunks.return?.()?.catch(() => undefined);
    this.parser.end(stopped);
  }
}

/**
 * The record as a view of its own, valid until its source's next chunk. A record the parser
 * delivered from its carry-over buffer (one split across chunks) is copied: that buffer is written
 * again within the same chunk.
 */
function keep(r: CaptureRecord, chunk: Uint8Array): CaptureRecord {
  const v = new RecordView();
  v.no = r.no;
  v.offset = r.offset;
  v.linkType = r.linkType;
  v.tsSec = r.tsSec;
  v.tsNsec = r.tsNsec;
  v.origLen = r.origLen;
  const bytes = r.bytes ?? r.data;
  const at = r.bytes === undefined ? 0 : (r.at ?? 0);
  if (bytes.buffer === chunk.buffer) v.place(bytes, at, r.caplen);
  else v.place(bytes.slice(at, at + r.caplen), 0, r.caplen);
  return v;
}

/** The time of a source's first record, from its first bytes (before its filter); undefined when it has none there. */
async function firstTime(source: MergeSource): Promise<Time | undefined> {
  const parser = new CaptureParser(source.name);
  const chunks = (source.unfiltered ?? source.chunks)()[Symbol.asyncIterator]();
  let first: Time | undefined;
  let seen = 0;
  try {
    while (first === undefined && seen < PEEK_BYTES) {
      const got = await chunks.next();
      if (got.done) break;
      seen += got.value.length;
      parser.push(got.value, (r) => (first ??= { sec: r.tsSec, nsec: r.tsNsec }));
      if (parser.damage !== undefined) break;
    }
  } catch (err) {
    if (err instanceof UnreadableCaptureError) throw err;
    // Broken bytes: the read proper reports them.
  } finally {
    void chunks.return?.()?.catch(() => undefined);
  }
  return first;
}

/** What the set's parsers learnt, as one capture. */
function mergedInfo(readings: Reading[]): CaptureInfo | undefined {
  let info: CaptureInfo | undefined;
  for (const r of readings) {
    const i = r.parser.info;
    if (i === undefined) continue;
    if (info === undefined) {
      info = { format: i.format, linkTypes: [...i.linkTypes] };
      continue;
    }
    for (const t of i.linkTypes) if (!info.linkTypes.includes(t)) info.linkTypes.push(t);
    if (i.endTime !== undefined && (info.endTime === undefined || before(info.endTime, i.endTime))) info.endTime = i.endTime;
    if (i.dropped !== undefined) info.dropped = (info.dropped ?? 0) + i.dropped;
  }
  return info;
}

/**
 * Reads `sources` as one capture in time order (ties: the earlier source in the order given) and
 * hands each record to `onRecord`, numbered from 1 in that order; `info.files` names them. The
 * first damage met is returned (the damaged source ends there; the others are read on). `stop` ends every source.
 */
export async function readMerged(sources: readonly MergeSource[], onRecord: OnRecord, stop?: AbortSignal): Promise<ReadResult> {
  const starts = await Promise.all(sources.map(firstTime));
  // Sources in the order of their first record (those without one at the end, as given).
  const pending = sources.map((source, order) => ({ source, order, start: starts[order] }))
    .sort((a, b) => (a.start === undefined ? 1 : b.start === undefined ? -1 : before(a.start, b.start) ? -1 : before(b.start, a.start) ? 1 : a.order - b.order));
  const all: Reading[] = [];
  const active: Reading[] = [];
  let no = 0;
  const activate = async (): Promise<void> => {
    const p = pending.shift();
    if (p === undefined) return;
    const reading = new Reading(p.source, p.order);
    all.push(reading);
    if (await reading.fill(stop)) active.push(reading);
  };
  while (stop?.aborted !== true) {
    let best: Reading | undefined;
    for (const r of active) {
      const n = r.next;
      const b = best?.next;
      if (n !== undefined && (b === undefined || recordBefore(n, b) || (!recordBefore(b, n) && r.order < (best?.order ?? 0)))) best = r;
    }
    const upcoming = pending[0];
    // A source whose first record comes before (or with) the earliest head joins first.
    const head = best?.next;
    if (upcoming !== undefined && (head === undefined || upcoming.start === undefined || startsBefore(upcoming.start, head))) {
      await activate();
      continue;
    }
    if (best === undefined || head === undefined) break;
    const record = head;
    record.no = ++no;
    onRecord(record);
    best.take();
    if (best.next === undefined && !(await best.fill(stop))) active.splice(active.indexOf(best), 1);
  }
  for (const r of all) r.close(true);
  const merged = mergedInfo(all);
  if (merged === undefined) throw new UnreadableCaptureError(`${sources.map((s) => s.name).join(', ')}: no capture among them`);
  const info = { ...merged, files: sources.map((s) => s.name) };
  const damage: CaptureDamage | undefined = all.map((r) => r.parser.damage).find((d) => d !== undefined);
  return damage === undefined ? { info, records: no } : { info, records: no, damage };
}
