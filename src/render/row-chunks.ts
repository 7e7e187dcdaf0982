import { ByteLines } from './byte-lines.js';
import { SpillFile } from './spill-file.js';

/** Rows are kept in chunks of about 1 MiB: a chunk is taken before its buffer would double. */
const CHUNK_BYTES = 1024 * 1024 - 4096;
/**
 * Rows beyond this many bytes in memory go to a temporary file until the table is drawn: a summary
 * table has a row for every connection of the capture, finished or not, and memory must follow the
 * connections still open (docs/contract.md, "Streaming").
 */
const SPILL_BYTES = 16 * 1024 * 1024;

export interface RowChunkLimits {
  /** Bytes of rows per kept chunk (every chunk holds whole rows). */
  chunkBytes: number;
  /** Bytes of chunks kept in memory before they are written to the spill file. */
  spillBytes: number;
}

export const DEFAULT_ROW_LIMITS: RowChunkLimits = { chunkBytes: CHUNK_BYTES, spillBytes: SPILL_BYTES };

/**
 * The rows of a table drawn at the end (its columns' widths need every row), kept as bytes in
 * chunks outside the garbage-collected heap, in the order added; beyond `spillBytes`, in an unnamed
 * temporary file (spill-file.ts), read back one chunk at a time. What a row's bytes hold is the
 * table's business (summary-table.ts: a binary record a row).
 */
export class RowChunks {
  /** Chunks in memory, after those in the spill file. */
  private readonly chunks: Buffer[] = [];
  private chunkedBytes = 0;
  private spill: SpillFile | undefined;
  /** The spill file could not be opened or written: rows stay in memory from then on. */
  private noSpill = false;
  private readonly kept = new ByteLines();

  constructor(private readonly limits: RowChunkLimits = DEFAULT_ROW_LIMITS) {}

  /** Appends one whole row. */
  add(row: Uint8Array): void {
    this.kept.bytes(row);
    this.endRow();
  }

  /** Where a row may be written in place (then `endRow`): the buffer after the last row. */
  get writer(): ByteLines {
    return this.kept;
  }

  /** A row written into `writer` is whole. */
  endRow(): void {
    if (this.kept.length >= this.limits.chunkBytes) this.keepChunk();
  }

  /** Moves the rows added since the last chunk into a chunk of their own (to the spill file when memory holds enough). */
  private keepChunk(): void {
    const chunk = this.kept.take();
    if (this.chunkedBytes + chunk.length > this.limits.spillBytes && !this.noSpill) this.spillChunks();
    this.chunks.push(chunk);
    this.chunkedBytes += chunk.length;
  }

  /**
   * Moves the chunks in memory to the spill file, oldest first. A file that cannot be opened or
   * written (no temporary directory, a full disk) costs memory, not the report: what it holds so far
   * is read back, the rest stays in memory.
   */
  private spillChunks(): void {
    try {
      this.spill ??= new SpillFile();
      for (let c = this.chunks[0]; c !== undefined; c = this.chunks[0]) {
        this.spill.append(c);
        this.chunkedBytes -= c.length;
        this.chunks.shift();
      }
    } catch {
      this.noSpill = true;
    }
  }

  /**
   * Every row, chunk by chunk (those in the spill file first, read back one at a time): what was
   * added since the last chunk is taken as one. A chunk is valid until the next is given.
   */
  *sealed(): Generator<Buffer> {
    if (this.kept.length > 0) this.keepChunk();
    if (this.spill !== undefined) yield* this.spill.chunks();
    yield* this.chunks;
  }

  /** Closes the spill file, if rows went to one: after the table is drawn. */
  close(): void {
    this.spill?.close();
    this.spill = undefined;
  }
}
