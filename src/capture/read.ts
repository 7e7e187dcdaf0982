/**
 * The reading stage: one push parser for pcap and pcapng, fed chunks of any size (a file, standard
 * input, a `tcpdump -w -` pipe), that detects the format from the first four bytes. Records are
 * delivered as views into the chunk they arrived in; only a unit (record, block) split across chunks
 * is copied, into a carry-over buffer reused from one split to the next.
 */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { InputBrokeOffError, UnreadableCaptureError, type CaptureDamage, type CaptureInfo, type CaptureInterface, type CaptureRecord } from './record.js';
import { bytesOf, type Bytes, type FormatReader } from './format.js';
import { PcapReader, pcapVariant } from './pcap.js';
import { PcapngReader, SHB_TYPE } from './pcapng.js';
import { gunzipIfGzip } from './gzip.js';

export type OnRecord = (r: CaptureRecord) => void;

const EXPECTED = 'expected a pcap (a1b2c3d4/a1b23c4d either byte order) or pcapng (0a0d0d0a) header';

/**
 * Push parser for one capture. `push()` delivers every complete record in the chunk to `onRecord`;
 * the record object (and its `data` view) is reused and valid only during the callback.
 * Damage (a record whose length cannot be trusted, a block whose framing is broken) stops the
 * parser: `damage` is set and later pushes are ignored. Only an unknown or broken file header, or an
 * empty input, throws (UnreadableCaptureError).
 */
export class CaptureParser {
  private count = 0;
  private damaged: CaptureDamage | undefined;
  private reader: FormatReader | undefined;
  /** Bytes of the input consumed as whole units: the offset of the next unit. */
  private consumed = 0;
  private carry: Bytes = bytesOf(new Uint8Array(64));
  private carryLen = 0;
  private ended = false;
  private onRecord: OnRecord = () => undefined;
  private readonly emit = (r: CaptureRecord): void => {
    r.no = ++this.count;
    this.onRecord(r);
  };

  constructor(private readonly fileName: string) {}

  /** Known once the file header (pcapng: first section header) has been read. */
  get info(): CaptureInfo | undefined {
    return this.reader?.info;
  }

  /** Every interface the capture described so far (a record's `iface` indexes them). */
  get interfaces(): readonly CaptureInterface[] {
    return this.reader?.interfaces ?? [];
  }

  /** The first damaged record, once met. */
  get damage(): CaptureDamage | undefined {
    return this.damaged;
  }

  /** Packet records delivered so far. */
  get recordsRead(): number {
    return this.count;
  }

  push(chunk: Uint8Array, onRecord: OnRecord): void {
    if (this.damaged !== undefined || this.ended || chunk.length === 0) return;
    this.onRecord = onRecord;
    let pos = 0;
    // First finish a unit carried over from earlier chunks, taking from this chunk only what it needs.
    while (this.carryLen > 0) {
      const need = this.needFor(this.carry, 0, this.carryLen);
      if (typeof need === 'string') return this.fail(need);
      if (this.carryLen >= need) {
        this.carryLen = 0;
        if (!this.unit(this.carry, 0, need)) return;
        break;
      }
      if (pos === chunk.length) return;
      const take = Math.min(need - this.carryLen, chunk.length - pos);
      // Grow with the bytes that arrived, not with the length the unit's header claims (untrusted).
      this.growCarry(this.carryLen + take);
      this.carry.u8.set(chunk.subarray(pos, pos + take), this.carryLen);
      this.carryLen += take;
      pos += take;
    }
    const b = bytesOf(chunk);
    while (pos < chunk.length) {
      // Most records go through the format's own loop; what it leaves, a unit at a time below.
      if (this.reader !== undefined) {
        const next = this.reader.readRecords(b, pos, chunk.length, this.consumed, this.emit);
        this.consumed += next - pos;
        pos = next;
        if (pos === chunk.length) return;
      }
      const avail = chunk.length - pos;
      const need = this.needFor(b, pos, avail);
      if (typeof need === 'string') return this.fail(need);
      if (need > avail) {
        this.growCarry(avail);
        this.carry.u8.set(chunk.subarray(pos), 0);
        this.carryLen = avail;
        return;
      }
      if (!this.unit(b, pos, need)) return;
      pos += need;
    }
  }

  /**
   * The input is over: returns the damage, if any, including a unit cut short by the end of the
   * input. Throws UnreadableCaptureError for an empty input or an incomplete file header.
   * `stopped`: the reader stopped reading (Ctrl-C) rather than the input ending, so a unit cut short
   * is where the reading stopped, not damage, and is left out.
   */
  end(stopped = false): CaptureDamage | undefined {
    if (this.ended) return this.damaged;
    this.ended = true;
    if (this.damaged !== undefined) return this.damaged;
    if (this.consumed === 0 && this.carryLen === 0) {
      if (stopped) return undefined; // stopped before its first byte (the rest of a merged set after -c)
      throw new UnreadableCaptureError(`${this.fileName} is empty: not a capture file`, { kind: 'empty', path: this.fileName });
    }
    if (this.carryLen > 0 && !(stopped && this.reader?.info !== undefined)) {
      const reader = this.reader;
      if (reader === undefined || reader.info === undefined) {
        throw new UnreadableCaptureError(
          `${this.fileName}: not a capture file: only ${this.consumed + this.carryLen} bytes, a file header cut short`);
      }
      this.fail(reader.cutShort(this.carry, 0, this.carryLen));
    }
    return this.damaged;
  }

  private needFor(b: Bytes, start: number, avail: number): number | string {
    if (this.reader === undefined) {
      if (avail < 4) return 4;
      this.reader = this.detect(b.u8, start);
    }
    return this.reader.unitLength(b, start, avail);
  }

  private detect(u8: Uint8Array, start: number): FormatReader {
    const magic = (((u8[start] ?? 0) << 24) | ((u8[start + 1] ?? 0) << 16) | ((u8[start + 2] ?? 0) << 8) | (u8[start + 3] ?? 0)) >>> 0;
    if (magic === SHB_TYPE) return new PcapngReader();
    const variant = pcapVariant(magic);
    if (variant !== undefined) return new PcapReader(variant);
    const shown = Array.from(u8.subarray(start, start + 4), (x) => x.toString(16).padStart(2, '0')).join(' ');
    throw new UnreadableCaptureError(`${this.fileName}: not a capture file: starts with ${shown}, ${EXPECTED}`);
  }

  /** Reads one whole unit; false when it was damaged (reading stops). */
  private unit(b: Bytes, start: number, length: number): boolean {
    const reader = this.reader;
    if (reader === undefined) return false;
    const message = reader.parseUnit(b, start, length, this.consumed, this.emit);
    if (message !== undefined) {
      this.fail(message);
      return false;
    }
    this.consumed += length;
    return true;
  }

  /** The bytes under the capture broke off (InputBrokeOffError): damage here, as for a unit cut short. */
  brokeOff(message: string): void {
    if (this.damaged === undefined) this.fail(message);
  }

  /** Records damage at the current unit; before the file header was understood, it is fatal. */
  private fail(message: string): void {
    if (this.reader?.info === undefined) {
      throw new UnreadableCaptureError(`${this.fileName}: not a capture file: ${message}`);
    }
    this.damaged = { file: this.fileName, offset: this.consumed, packet: this.count + 1, message };
  }

  private growCarry(size: number): void {
    if (size <= this.carry.u8.length) return;
    const bigger = new Uint8Array(Math.max(size, this.carry.u8.length * 2));
    bigger.set(this.carry.u8.subarray(0, this.carryLen));
    this.carry = bytesOf(bigger);
  }
}

export interface ReadResult {
  info: CaptureInfo;
  records: number;
  damage?: CaptureDamage;
}

/**
 * Reads a whole capture from a stream of chunks; stops reading at the first damaged record, or
 * when `stop` is aborted (then the stream is closed, even while it waits for more bytes: a pipe
 * whose writer is still there).
 */
export async function readCaptureStream(
  stream: AsyncIterable<Uint8Array>, fileName: string, onRecord: OnRecord, stop?: AbortSignal,
): Promise<ReadResult> {
  const parser = new CaptureParser(fileName);
  const chunks = stream[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<Uint8Array> | typeof STOPPED;
    try {
      next = stop === undefined ? await chunks.next() : await nextOrStop(chunks, stop);
    } catch (err) {
      if (!(err instanceof InputBrokeOffError)) throw err;
      parser.brokeOff(err.message);
      break;
    }
    if (next === STOPPED) {
      // Not awaited: a generator's return waits for the read it is in (a FIFO's may never end).
      void chunks.return?.()?.catch(() => undefined);
      break;
    }
    if (next.done) break;
    parser.push(next.value, onRecord);
    if (parser.damage !== undefined) {
      await chunks.return?.();
      break;
    }
  }
  const damage = parser.end(stop?.aborted === true);
  const info = parser.info;
  if (info === undefined) throw new UnreadableCaptureError(`${fileName}: not a capture file`);
  return damage === undefined ? { info, records: parser.recordsRead } : { info, records: parser.recordsRead, damage };
}

/** What nextOrStop gives when `stop` came first. */
export const STOPPED = Symbol('stopped');

/** The next chunk, or STOPPED when `stop` is aborted first (its listener removed either way: none pile up). */
export function nextOrStop(chunks: AsyncIterator<Uint8Array>, stop: AbortSignal): Promise<IteratorResult<Uint8Array> | typeof STOPPED> {
  if (stop.aborted) return Promise.resolve(STOPPED);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => resolve(STOPPED);
    stop.addEventListener('abort', onAbort, { once: true });
    chunks.next().then((r) => {
      stop.removeEventListener('abort', onAbort);
      resolve(r);
    }, (err: unknown) => {
      stop.removeEventListener('abort', onAbort);
      reject(err);
    });
  });
}

/** Name used for standard input in messages and damage reports. */
export const STDIN_NAME = 'stdin';

const FILE_CHUNK_BYTES = 1024 * 1024;

/**
 * Reads a capture file in 1 MiB chunks (`-` is standard input), gzip or not. Missing, unreadable or
 * directory paths become UnreadableCaptureError with a one-line message.
 */
export function readCaptureFile(path: string, onRecord: OnRecord, chunkBytes = FILE_CHUNK_BYTES, stop?: AbortSignal): Promise<ReadResult> {
  return readCaptureStream(captureChunks(path, chunkBytes), path === '-' ? STDIN_NAME : path, onRecord, stop);
}

/** A capture's bytes (`-`: standard input), inflated when they are gzip (gzip.ts). */
export function captureChunks(path: string, chunkBytes = FILE_CHUNK_BYTES): AsyncIterable<Uint8Array> {
  if (path === '-') return gunzipIfGzip(process.stdin as AsyncIterable<Uint8Array>);
  return gunzipIfGzip(fileChunks(path, chunkBytes));
}

/**
 * A file's bytes in chunks read into two buffers in turn: while the parser works through one
 * chunk, the next is read into the other (the read runs on libuv's thread pool; one buffer, read
 * only when asked for, left the main thread waiting on every read: measured, a quarter of the run
 * on a loaded machine). A chunk is valid until the next is asked for, which is all the parser
 * needs (it copies a unit split across chunks). Fresh buffers per chunk, as a read stream makes,
 * cost a page fault per 4 KiB of the file. I/O errors (not the consumer's) become one-liners.
 */
export async function* fileChunks(path: string, chunkBytes = FILE_CHUNK_BYTES): AsyncGenerator<Uint8Array> {
  let file: FileHandle;
  try {
    file = await open(path, 'r');
  } catch (err) {
    throw ioError(err, path);
  }
  const read = async (into: Uint8Array): Promise<number> => {
    try {
      return (await file.read(into, 0, chunkBytes, null)).bytesRead;
    } catch (err) {
      throw ioError(err, path);
    }
  };
  try {
    let ready = new Uint8Array(chunkBytes);
    let spare = new Uint8Array(chunkBytes);
    let reading = read(ready);
    for (;;) {
      const n = await reading;
      if (n === 0) return;
      reading = read(spare);
      // A failed read ahead is reported when its chunk is asked for, not left unhandled meanwhile.
      reading.catch(() => undefined);
      yield ready.subarray(0, n);
      [ready, spare] = [spare, ready];
    }
  } finally {
    await file.close();
  }
}

function ioError(err: unknown, path: string): Error {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
  switch (code) {
    case 'ENOENT': return new UnreadableCaptureError(`cannot read ${path}: no such file`, { kind: 'no-such-file', path });
    case 'EISDIR': return new UnreadableCaptureError(`${path} is a directory`, { kind: 'directory', path });
    case 'EACCES':
    case 'EPERM': return new UnreadableCaptureError(`cannot read ${path}: permission denied`, { kind: 'permission-denied', path });
    default: return new UnreadableCaptureError(`cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
