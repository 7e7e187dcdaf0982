import type { CaptureInfo, CaptureInterface, CaptureRecord } from './record.js';

/** A buffer and a DataView over exactly the same bytes; positions are indexes into `u8`. */
export interface Bytes {
  u8: Uint8Array;
  dv: DataView;
}

export function bytesOf(u8: Uint8Array): Bytes {
  // A plain Uint8Array over a Node Buffer's bytes: its subarray() (one a record) is several times
  // cheaper than Buffer's.
  const plain = Object.getPrototypeOf(u8) === Uint8Array.prototype ? u8 : new Uint8Array(u8.buffer, u8.byteOffset, u8.byteLength);
  return { u8: plain, dv: new DataView(u8.buffer, u8.byteOffset, u8.byteLength) };
}

/**
 * One capture format (pcap, pcapng) as the push parser in read.ts drives it. The input is cut into
 * units (a file header, a record, a block); the driver hands over one whole unit at a time, from the
 * chunk it arrived in or, when a unit straddles chunks, from a carry-over buffer.
 */
export interface FormatReader {
  /** Known once the file header (pcap) or first section header (pcapng) has been read. */
  readonly info: CaptureInfo | undefined;
  /** Every interface described so far, in order: a record's `iface` indexes it. */
  readonly interfaces: readonly CaptureInterface[];
  /**
   * Bytes the unit starting at `start` takes, given `avail` bytes there. While its header is
   * incomplete this is the header size (so always > avail then); once it is complete, the whole
   * unit's validated length. A string is a damage message: the length cannot be trusted.
   */
  unitLength(b: Bytes, start: number, avail: number): number | string;
  /**
   * Reads one complete unit of `length` bytes at `start` (`offset` in the input), calling `emit` for
   * each packet record in it. Returns a damage message, or undefined.
   */
  parseUnit(b: Bytes, start: number, length: number, offset: number, emit: (r: CaptureRecord) => void): string | undefined;
  /**
   * Reads, in one go, the packet records from `start` on that are whole before `end` and sound
   * (`offset`: where `start` is in the input); returns where it stopped, which may be `start`. What
   * is left (a unit cut short, damage, other units) goes through unitLength and parseUnit.
   */
  readRecords(b: Bytes, start: number, end: number, offset: number, emit: (r: CaptureRecord) => void): number;
  /** The message for a unit cut short by the end of the input, `avail` bytes of it present. */
  cutShort(b: Bytes, start: number, avail: number): string;
}

export const EMPTY = new Uint8Array(0);

/**
 * A record reused by one reader, valid only during the callback it is passed to. Its bytes are a
 * position in the reader's buffer (`bytes`, `at`); the `data` view is made only when read (a view
 * per record was a tenth of the time spent reading).
 */
export class RecordView implements CaptureRecord {
  no = 0;
  offset = 0;
  linkType = 0;
  tsSec = 0;
  tsNsec = 0;
  caplen = 0;
  origLen = 0;
  // Private: a copy of a record ({ ...r }) holds the documented fields only.
  #bytes: Uint8Array = EMPTY;
  #at = 0;
  #view: Uint8Array | undefined = undefined;
  #iface = 0;
  #tsHigh = 0;
  #tsLow = 0;

  get bytes(): Uint8Array {
    return this.#bytes;
  }

  get at(): number {
    return this.#at;
  }

  get data(): Uint8Array {
    return (this.#view ??= this.#bytes.subarray(this.#at, this.#at + this.caplen));
  }

  get iface(): number {
    return this.#iface;
  }

  get tsHigh(): number {
    return this.#tsHigh;
  }

  get tsLow(): number {
    return this.#tsLow;
  }

  /** pcapng: the record's interface index and its timestamp's ticks as the block holds them. */
  origin(iface: number, tsHigh: number, tsLow: number): void {
    this.#iface = iface;
    this.#tsHigh = tsHigh;
    this.#tsLow = tsLow;
  }

  /** Points the record at `caplen` captured bytes at `at` in `bytes`. */
  place(bytes: Uint8Array, at: number, caplen: number): void {
    // Stored only when it changes (a chunk, not a record): the buffer is newer than the record, so
    // each store would take the garbage collector's write barrier the slow way.
    if (bytes !== this.#bytes) this.#bytes = bytes;
    this.#at = at;
    this.caplen = caplen;
    this.#view = undefined;
  }
}

export function blankRecord(): RecordView {
  return new RecordView();
}
