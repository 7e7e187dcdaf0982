/**
 * Records in shared memory, for `--jobs` (docs/design.md, "Jobs"): the reading thread copies the
 * capture's bytes into a batch (a SharedArrayBuffer) a piece at a time, its parser reads them
 * there, and each record's place and header fields go into the batch's index; the workers read
 * the records back by index, as views into the same bytes. Nothing is copied per record but the
 * one a chunk boundary split (the parser's carry-over), once per chunk.
 */
import type { CaptureRecord } from './record.js';
import { RecordView } from './format.js';

/**
 * A record's index entry, in three arrays over one buffer: its seconds (a double: pcapng's may pass
 * 2^32), five 32-bit fields (where its bytes start, caplen, origLen, link type, nanoseconds) and
 * its lane (16 bits: up to 256 shards). A worker reads only the lane and the time of another shard's packet.
 */
const FIELDS = 5;
const ENTRY_BYTES = 8 + FIELDS * 4 + 2;
/** A batch is handed on once it holds this many bytes. */
const BATCH_BYTES = 4 * 1024 * 1024;
/** The input is copied in pieces of at most this many bytes (a piece's records are indexed before the next). */
const PIECE_BYTES = 1024 * 1024;
/** Room for one record the parser carried over a piece boundary: the largest unit it reads (pcap.ts, pcapng.ts). */
const CARRIED_MAX = 16 * 1024 * 1024 + 64;
const CAPACITY = BATCH_BYTES + PIECE_BYTES + CARRIED_MAX;
/** Records a batch can index: the smallest record is 16 bytes of header (pcap), plus one carried record a piece. */
const RECORDS_MAX = Math.ceil((BATCH_BYTES + PIECE_BYTES) / 16) + 1024;

/** One batch's memory, shared with every worker (pages are touched only as they are filled). */
export interface SharedBatch {
  bytes: SharedArrayBuffer;
  index: SharedArrayBuffer;
}

export function newBatch(): SharedBatch {
  return { bytes: new SharedArrayBuffer(CAPACITY), index: new SharedArrayBuffer(RECORDS_MAX * ENTRY_BYTES) };
}

/** The index's three arrays. */
interface Index {
  sec: Float64Array;
  fields: Uint32Array;
  lane: Int16Array;
}

function indexOf(batch: SharedBatch): Index {
  return {
    sec: new Float64Array(batch.index, 0, RECORDS_MAX),
    fields: new Uint32Array(batch.index, RECORDS_MAX * 8, RECORDS_MAX * FIELDS),
    lane: new Int16Array(batch.index, RECORDS_MAX * (8 + FIELDS * 4), RECORDS_MAX),
  };
}

/** The reading side of one batch: the bytes copied in, the records indexed. */
export class BatchWriter {
  private readonly u8: Uint8Array;
  private readonly index: Index;
  private fill = 0;
  /** Records indexed, and the number of the first. */
  count = 0;
  firstNo = 0;

  /**
   * `lane`: a number the reading thread gives each record as it indexes it (`--jobs`: the shard of
   * a plain TCP packet, or -1), while its bytes are still in this core's cache; the workers get it
   * with the record.
   */
  constructor(readonly batch: SharedBatch, private readonly lane: (r: CaptureRecord) => number) {
    this.u8 = new Uint8Array(batch.bytes);
    this.index = indexOf(batch);
  }

  /** Whether the batch has what it should hold before it is handed on. */
  get full(): boolean {
    return this.fill >= BATCH_BYTES || this.count + PIECE_BYTES / 16 + 1 > RECORDS_MAX;
  }

  reset(): void {
    this.fill = 0;
    this.count = 0;
    this.firstNo = 0;
  }

  /** Copies a piece of input (at most PIECE_BYTES) in; returns it as it lies in the batch, for the parser. */
  take(piece: Uint8Array): Uint8Array {
    const at = this.fill;
    this.u8.set(piece, at);
    this.fill += piece.length;
    return this.u8.subarray(at, at + piece.length);
  }

  /** Indexes a record the parser delivered (a view into a piece, or its carry-over: copied); bound, for the parser. */
  readonly add = (r: CaptureRecord): void => {
    const bytes = r.bytes;
    let at: number;
    if (bytes !== undefined && bytes.buffer === this.batch.bytes) at = bytes.byteOffset + (r.at ?? 0);
    else {
      at = this.fill;
      this.u8.set(bytes === undefined ? r.data : bytes.subarray(r.at ?? 0, (r.at ?? 0) + r.caplen), at);
      this.fill += r.caplen;
    }
    if (this.count === 0) this.firstNo = r.no;
    const n = this.count++;
    const { sec, fields, lane } = this.index;
    const i = n * FIELDS;
    sec[n] = r.tsSec;
    fields[i] = at;
    fields[i + 1] = r.caplen;
    fields[i + 2] = r.origLen;
    fields[i + 3] = r.linkType;
    fields[i + 4] = r.tsNsec;
    lane[n] = this.lane(r);
  };
}

/** The input in pieces of at most PIECE_BYTES. */
export async function* inPieces(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) {
    for (let at = 0; at < chunk.length; at += PIECE_BYTES) yield chunk.subarray(at, Math.min(chunk.length, at + PIECE_BYTES));
  }
}

/** A worker's side of a batch: its records, one reused record view at a time. */
export class BatchReader {
  private readonly u8: Uint8Array;
  private readonly index: Index;
  private readonly record = new RecordView();

  constructor(batch: SharedBatch) {
    this.u8 = new Uint8Array(batch.bytes);
    this.index = indexOf(batch);
  }

  /**
   * The batch's `count` records, numbered from `firstNo`: those of lane `own` or of none (-1) to
   * `onRecord` (the record is valid during the call), another lane's to `onOther` with their time only.
   */
  each(count: number, firstNo: number, own: number, onRecord: (r: CaptureRecord, lane: number) => void, onOther: (no: number, sec: number, nsec: number) => void): void {
    const { sec, fields, lane } = this.index;
    const r = this.record;
    for (let n = 0; n < count; n++) {
      const l = lane[n] as number;
      const i = n * FIELDS;
      if (l >= 0 && l !== own) {
        onOther(firstNo + n, sec[n] as number, fields[i + 4] as number);
        continue;
      }
      r.no = firstNo + n;
      r.place(this.u8, fields[i] as number, fields[i + 1] as number);
      r.origLen = fields[i + 2] as number;
      r.linkType = fields[i + 3] as number;
      r.tsSec = sec[n] as number;
      r.tsNsec = fields[i + 4] as number;
      onRecord(r, l);
    }
  }
}
