/**
 * What `teardown annotate` learns in its first pass over a capture and writes in its second
 * (docs/annotate.md): every packet's comment, kept compactly until the copy is made. A verdict is
 * known only when its connection is released, long after its packets, so the comments cannot be
 * written as the packets are read; and holding the packets instead would hold the whole capture
 * whenever one connection stays open.
 *
 * - A row's comment is one of few texts (two states, and notes on a few packets): each distinct
 *   text is kept once, and each record gets its number, 4 bytes in blocks kept in order
 *   (row-chunks.ts: in memory up to 16 MB, then in a temporary file).
 * - A verdict's comment (its connection's text block) is kept as UTF-8 bytes, in memory up to
 *   16 MB, then in a temporary file read back by position, with the number of the packet it goes
 *   on: 20 bytes a connection in memory.
 */
import type { NoteId, NoteRef } from '../flow/notes.js';
import type { ConnectionView } from '../flow/view.js';
import type { Verdict } from '../analysis/teardown.js';
import { ByteLines } from './byte-lines.js';
import type { Lang } from './notes.js';
import { NOTES } from './notes.js';
import { RowChunks } from './row-chunks.js';
import { SpillFile } from './spill-file.js';
import { decidingPacket, rowComment, writeVerdictComment } from './annotate.js';
import { grown } from '../flow/grown.js';

/** Records a block of comment numbers covers. */
const BLOCK = 65536;
/** Verdict texts beyond this many bytes in memory go to the temporary file. */
const SPILL_BYTES = 16 * 1024 * 1024;
const EMPTY = Buffer.alloc(0);
const NEWLINE = 0x0a;

const NOTE_IDS = Object.keys(NOTES) as NoteId[];
const noteNo = new Map(NOTE_IDS.map((id, i) => [id, i]));

/**
 * A number that tells a row's comment apart from every other, made of its two states (0..255) and
 * up to three notes (their id and side, 6 bits each): looked up without making the text. A note
 * with a byte count, or more notes, has none (its text is the key).
 */
function shortKey(states: number, notes: readonly NoteRef[]): number | undefined {
  if (notes.length > 3) return undefined;
  let key = states;
  let shift = 256;
  for (const n of notes) {
    if (n.params.bytes !== undefined) return undefined;
    const side = n.params.side === undefined ? 0 : n.params.side === 'client' ? 1 : 2;
    key += shift * (((noteNo.get(n.id) ?? 0) * 3 + side) + 1);
    shift *= 64;
  }
  return key;
}

export class AnnotationPlan {
  /** Each distinct row comment once, as UTF-8, by its number (0: no comment). */
  private readonly texts: Buffer[] = [EMPTY];
  private readonly numbers = new Map<string, number>();
  /** The number of a comment by its short key (shortKey): most rows make no text. */
  private readonly byKey = new Map<number, number>();
  /** Comment numbers of the records from `blockStart` on; full blocks go to `blocks`. */
  private readonly block = new Uint32Array(BLOCK);
  private blockStart = 1;
  private readonly blocks = new RowChunks();
  /** Verdicts: the packet each goes on, where its text starts (over file and memory) and its length. */
  private verdictNos = new Float64Array(1024);
  private verdictAt = new Float64Array(1024);
  private verdictLengths = new Uint32Array(1024);
  private verdicts = 0;
  /** Verdict texts: bytes [0, spilled) in the spill file, the rest in `recent`. */
  private readonly recent = new ByteLines();
  private spill: SpillFile | undefined;
  private spilled = 0;
  private noSpill = false;
  /** Second pass: the blocks read back, the verdicts in packet order, the comment being handed out. */
  private ids: Iterator<Buffer> | undefined;
  private idChunk: Buffer = EMPTY;
  private idChunkStart = 1;
  private order = new Uint32Array(0);
  private nextVerdict = 0;
  private readonly comment = new ByteLines();

  constructor(private readonly lang: Lang) {}

  /** A TCP packet's states after it and its notes (Analyzer's onNotes), in record order. */
  packet(c: ConnectionView, no: number, notes: readonly NoteRef[]): void {
    while (no >= this.blockStart + BLOCK) this.keepBlock();
    const { client, server } = c;
    const key = shortKey(client.stateNo * 16 + server.stateNo, notes);
    let n = key === undefined ? undefined : this.byKey.get(key);
    if (n === undefined) {
      n = this.numberOf(rowComment(client.state, server.state, notes, this.lang));
      if (key !== undefined) this.byKey.set(key, n);
    }
    this.block[no - this.blockStart] = n;
  }

  /** A finished connection and its verdict (Analyzer's onFlow). */
  flow(c: ConnectionView, v: Verdict): void {
    const start = this.recent.length;
    writeVerdictComment(this.recent, c, v, this.lang);
    const n = this.verdicts++;
    if (n === this.verdictNos.length) this.growVerdicts();
    this.verdictNos[n] = decidingPacket(c, v);
    this.verdictAt[n] = this.spilled + start;
    this.verdictLengths[n] = this.recent.length - start;
    if (this.recent.length >= SPILL_BYTES && !this.noSpill) this.spillRecent();
  }

  /** The first pass is over: what follows reads the comments back. */
  seal(): void {
    this.keepBlock();
    this.ids = this.blocks.sealed();
    const nos = this.verdictNos;
    this.order = new Uint32Array(this.verdicts).map((_, i) => i).sort((a, b) => (nos[a] as number) - (nos[b] as number));
  }

  /**
   * The comment of record `no` (UTF-8), or undefined: records asked for in order, from 1. Valid
   * until the next call.
   */
  commentOf(no: number): Uint8Array | undefined {
    const text = this.texts[this.rowNumber(no)] ?? EMPTY;
    let next = this.order[this.nextVerdict];
    while (next !== undefined && (this.verdictNos[next] as number) < no) next = this.order[++this.nextVerdict];
    if (next === undefined || this.verdictNos[next] !== no) return text.length > 0 ? text : undefined;
    const out = this.comment;
    out.setLength(0);
    out.bytes(text);
    for (; next !== undefined && this.verdictNos[next] === no; next = this.order[++this.nextVerdict]) {
      if (out.length > 0) out.byte(NEWLINE);
      this.verdictText(out, this.verdictAt[next] as number, this.verdictLengths[next] as number);
    }
    return out.written();
  }

  /** Closes the temporary files, if any were made. */
  close(): void {
    this.blocks.close();
    this.spill?.close();
    this.spill = undefined;
  }

  private numberOf(text: string): number {
    let n = this.numbers.get(text);
    if (n === undefined) {
      n = this.texts.length;
      this.texts.push(Buffer.from(text, 'utf8'));
      this.numbers.set(text, n);
    }
    return n;
  }

  private keepBlock(): void {
    this.blocks.add(new Uint8Array(this.block.buffer));
    this.block.fill(0);
    this.blockStart += BLOCK;
  }

  /** The comment number of record `no`, from the blocks read back in order. */
  private rowNumber(no: number): number {
    while (no >= this.idChunkStart + this.idChunk.length / 4) {
      const next = this.ids?.next();
      if (next === undefined || next.done === true) return 0;
      this.idChunkStart += this.idChunk.length / 4;
      this.idChunk = next.value;
    }
    return no < this.idChunkStart ? 0 : this.idChunk.readUInt32LE((no - this.idChunkStart) * 4);
  }

  private verdictText(out: ByteLines, at: number, length: number): void {
    if (at >= this.spilled) {
      out.bytes(this.recent.written(at - this.spilled).subarray(0, length));
      return;
    }
    const into = out.space(length);
    (this.spill as SpillFile).readAt(into.subarray(out.length), length, at);
    out.setLength(out.length + length);
  }

  /**
   * Moves the verdict texts in memory to the temporary file. One that cannot be made or written (no
   * temporary directory, a full disk) costs memory, not the output: the texts stay in memory.
   */
  private spillRecent(): void {
    try {
      this.spill ??= new SpillFile();
      const bytes = this.recent.written();
      this.spill.append(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
      this.spilled += bytes.length;
      this.recent.setLength(0);
    } catch {
      this.noSpill = true;
    }
  }

  private growVerdicts(): void {
    const size = this.verdictNos.length * 2;
    this.verdictNos = grown(this.verdictNos, size);
    this.verdictAt = grown(this.verdictAt, size);
    this.verdictLengths = grown(this.verdictLengths, size);
  }
}
