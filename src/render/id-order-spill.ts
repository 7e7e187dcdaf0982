import { grown } from '../flow/grown.js';
import { SpillFile } from './spill-file.js';

/** Parked bytes are gathered in memory this long before they go to the spill file in one write. */
const PENDING_BYTES = 1024 * 1024;
/**
 * The spill file is read back in blocks of this size, the last BLOCKS of them kept: items read in id
 * order lie near one another, but not in a row (connections are released in a different order than
 * they open). Measured on the json document of gen-long8m.pcap: one 1 MiB window read again at
 * every jump cost 13 s of system time; 64 KiB blocks, 64 kept, 2.4 s (docs/performance.md).
 */
const BLOCK_BYTES = 64 * 1024;
const BLOCKS = 64;
/** An id of the window with nothing parked yet, or one handed on with nothing (`at`). */
const NOT_YET = -1;
const NOTHING = -2;

/**
 * Items numbered 1, 2, 3 ... (connection ids) that arrive in any order, each a few bytes or
 * nothing, handed back in id order: as soon as all before them have arrived (`add`, the text
 * report's blocks), or all at the end (`drain`, the json document's flows, which come after facts
 * known only then). An item that must wait is parked as bytes in an unnamed temporary file
 * (spill-file.ts), its place kept in two numbers of a window of ids: memory follows the ids between
 * the oldest waiting and the newest, 12 bytes each, never the bytes parked (docs/performance.md,
 * "Memory for every format"). When nothing waits, the file starts again from its beginning.
 * An item's `mark` is a number kept with it (where its bytes split in two parts).
 */
export class IdOrderSpill {
  /** The id handed on next; ids below it are done. */
  private next = 1;
  /** The id at index 0 of the window. */
  private base = 1;
  /** Per id of the window: where its bytes start in the parked stream (NOT_YET, NOTHING), their length, its mark. */
  private at = new Float64Array(1024).fill(NOT_YET);
  private lengths = new Uint32Array(1024);
  private marks = new Uint32Array(1024);
  /** Items parked and not handed on yet. */
  private waiting = 0;
  /** Bytes of the parked stream: the first `filed` in the spill file, the rest in `pending`. */
  private filed = 0;
  private pending = Buffer.allocUnsafe(PENDING_BYTES);
  private pendingBytes = 0;
  private spill: SpillFile | undefined;
  /** The spill file could not be opened or written: the parked stream stays in memory from then on. */
  private inMemory: Buffer[] | undefined;
  private cache: BlockCache | undefined;

  /**
   * `hold`: nothing is handed on by `add`, every item waits for `drain`. `emit` gets an item's bytes
   * (valid until the next item is handed on) and its mark.
   */
  constructor(private readonly emit: (bytes: Uint8Array, mark: number) => void, private readonly hold = false) {}

  /** Whether `id` is the id handed on next (its item may then be written in place, and added as null). */
  isNext(id: number): boolean {
    return !this.hold && id === this.next;
  }

  /** Item `id`: its bytes, or null for an id with nothing to hand on. */
  add(id: number, bytes: Uint8Array | null, mark = 0): void {
    if (this.isNext(id)) {
      if (bytes !== null) this.emit(bytes, mark);
      this.next++;
      this.handOnWaiting();
      return;
    }
    const i = this.slot(id);
    if (bytes === null) {
      this.at[i] = NOTHING;
      if (this.hold) return;
    } else {
      this.at[i] = this.park(bytes);
      this.lengths[i] = bytes.length;
      this.marks[i] = mark;
    }
    this.waiting++;
  }

  /** Every item still parked, in id order (those after a missing id too): the end of the input. */
  drain(): void {
    for (let i = 0; i < this.at.length; i++) {
      const at = this.at[i] as number;
      if (at >= 0) this.emit(this.read(at, this.lengths[i] as number), this.marks[i] as number);
    }
    this.at.fill(NOT_YET);
    this.next = this.base + this.at.length;
    this.reset();
  }

  /** Lets go of the spill file. */
  close(): void {
    this.spill?.close();
    this.spill = undefined;
  }

  /** Hands on the items parked from `next` on that follow one another without a gap. */
  private handOnWaiting(): void {
    for (let i = this.next - this.base; i < this.at.length; i = this.next - this.base) {
      const at = this.at[i] as number;
      if (at === NOT_YET) break;
      if (at >= 0) this.emit(this.read(at, this.lengths[i] as number), this.marks[i] as number);
      this.at[i] = NOT_YET;
      this.next++;
      this.waiting--;
    }
    if (this.waiting === 0) this.reset();
  }

  /**
   * Nothing waits: the window moves to `next` (every index of it is NOT_YET again: each was handed
   * on), the parked stream starts again.
   */
  private reset(): void {
    this.base = this.next;
    this.waiting = 0;
    this.filed = 0;
    this.pendingBytes = 0;
    this.cache?.clear();
    this.spill?.rewind();
    if (this.inMemory !== undefined) this.inMemory = [];
  }

  /** The window's index for `id`, moving the window up to `next` or doubling it when `id` lies beyond. */
  private slot(id: number): number {
    let i = id - this.base;
    if (i < this.at.length) return i;
    const done = this.next - this.base;
    if (done > 0) {
      this.at.copyWithin(0, done);
      this.at.fill(NOT_YET, this.at.length - done);
      this.lengths.copyWithin(0, done);
      this.marks.copyWithin(0, done);
      this.base = this.next;
      i = id - this.base;
    }
    let size = this.at.length;
    while (i >= size) size *= 2;
    if (size !== this.at.length) {
      this.at = grown(this.at, size, NOT_YET);
      this.lengths = grown(this.lengths, size);
      this.marks = grown(this.marks, size);
    }
    return i;
  }

  /** Appends `bytes` to the parked stream; returns where they start. */
  private park(bytes: Uint8Array): number {
    const at = this.filed + this.pendingBytes;
    if (this.pendingBytes + bytes.length > this.pending.length) this.file();
    if (bytes.length > this.pending.length) this.pending = Buffer.allocUnsafe(bytes.length);
    this.pending.set(bytes, this.pendingBytes);
    this.pendingBytes += bytes.length;
    return at;
  }

  /**
   * Moves the pending bytes to the spill file. A file that cannot be opened or written (no
   * temporary directory, a full disk) costs memory, not the report: the stream goes on in memory.
   */
  private file(): void {
    const chunk = this.pending.subarray(0, this.pendingBytes);
    if (this.inMemory === undefined) {
      try {
        this.spill ??= new SpillFile();
        this.spill.append(chunk);
        this.filed += chunk.length;
        this.pendingBytes = 0;
        return;
      } catch {
        this.inMemory = [];
      }
    }
    this.inMemory.push(Buffer.from(chunk));
    this.filed += chunk.length;
    this.pendingBytes = 0;
  }

  /** `length` parked bytes from `at` of the stream. */
  private read(at: number, length: number): Buffer {
    if (at >= this.filed) return this.pending.subarray(at - this.filed, at - this.filed + length);
    if (this.inMemory !== undefined) return this.readInMemory(at, length);
    this.cache ??= new BlockCache(this.spill as SpillFile);
    return this.cache.read(at, length, this.filed);
  }

  /** Bytes of the stream kept in memory after the spill file failed (the file's part read from it). */
  private readInMemory(at: number, length: number): Buffer {
    const spilled = this.spill === undefined ? 0 : this.spill.bytes;
    if (at + length <= spilled) {
      const out = Buffer.allocUnsafe(length);
      (this.spill as SpillFile).readAt(out, length, at);
      return out;
    }
    let start = spilled;
    for (const chunk of this.inMemory ?? []) {
      if (at < start + chunk.length) return chunk.subarray(at - start, at - start + length);
      start += chunk.length;
    }
    throw new Error('parked bytes out of range');
  }
}

/** Blocks of a spill file read back (IdOrderSpill): the last BLOCKS read, replaced in turn. */
class BlockCache {
  private readonly bytes = Buffer.allocUnsafe(BLOCK_BYTES * BLOCKS);
  /** Per slot: the block it holds (-1: none) and how many of its bytes were in the file when read. */
  private readonly blockOf = new Float64Array(BLOCKS).fill(-1);
  private readonly valid = new Uint32Array(BLOCKS);
  private readonly slotOf = new Map<number, number>();
  private victim = 0;
  /** An item that spans two blocks, read on its own. */
  private scratch = Buffer.allocUnsafe(0);

  constructor(private readonly file: SpillFile) {}

  /** `length` bytes from `at` of the file, whose first `filed` bytes are written (valid until the next read). */
  read(at: number, length: number, filed: number): Buffer {
    const block = Math.floor(at / BLOCK_BYTES);
    const offset = at - block * BLOCK_BYTES;
    if (offset + length > BLOCK_BYTES) {
      if (this.scratch.length < length) this.scratch = Buffer.allocUnsafe(length);
      this.file.readAt(this.scratch, length, at);
      return this.scratch.subarray(0, length);
    }
    let slot = this.slotOf.get(block);
    if (slot === undefined) {
      slot = this.victim;
      this.victim = (this.victim + 1) % BLOCKS;
      this.slotOf.delete(this.blockOf[slot] as number);
      this.slotOf.set(block, slot);
      this.blockOf[slot] = block;
      this.valid[slot] = 0;
    }
    const start = slot * BLOCK_BYTES;
    // A block read while it was the file's last may have grown since.
    if ((this.valid[slot] as number) < offset + length) {
      const n = Math.min(BLOCK_BYTES, filed - block * BLOCK_BYTES);
      this.file.readAt(this.bytes.subarray(start), n, block * BLOCK_BYTES);
      this.valid[slot] = n;
    }
    return this.bytes.subarray(start + offset, start + offset + length);
  }

  /** The file starts again: nothing read holds. */
  clear(): void {
    this.slotOf.clear();
    this.blockOf.fill(-1);
    this.valid.fill(0);
  }
}
