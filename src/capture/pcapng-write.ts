/**
 * pcapng output (draft-ietf-opsawg-pcapng): one section header block (§4.1) with a comment, an
 * interface description block (§4.2) for each input interface, written before its first packet,
 * an enhanced packet block (§4.3) for each record, with a comment when it has one, and at the end
 * an interface statistics block (§4.6) with what teardown reads of the input's. A record's
 * bytes, lengths and timestamp are copied as they are: a pcapng input's timestamp as its block held
 * it (same ticks, same if_tsresol and if_tsoffset), a pcap input's as ticks of its micro- or
 * nanoseconds. Little-endian, whatever the input's byte order. Written into a buffer that is handed
 * to `sink` about 1 MiB at a time.
 */
import type { CaptureInfo, CaptureInterface, CaptureRecord } from './record.js';
import { BYTE_ORDER_MAGIC, EPB, IDB, IF_TSOFFSET, IF_TSRESOL, ISB, ISB_ENDTIME, ISB_IFDROP, OPT_COMMENT, SHB_TYPE, SHB_USERAPPL } from './pcapng.js';

/** What the writer reads of the input as it goes (a CaptureParser): its format and interfaces. */
export interface CaptureSource {
  readonly info: CaptureInfo | undefined;
  readonly interfaces: readonly CaptureInterface[];
}

/** An option's length is 16 bits: a longer text is cut there (at a character's start). */
const MAX_OPTION = 0xffff;
const FLUSH_BYTES = 1 << 20;
const TWO_16 = 65536;
const TWO_32 = 4294967296;

const pad4 = (n: number): number => (n + 3) & ~3;

/** Bytes of a UTF-8 text that fit in one option, not cutting a character in two. */
function optionLength(text: Uint8Array): number {
  let n = Math.min(text.length, MAX_OPTION);
  if (n < text.length) while (n > 0 && ((text[n] as number) & 0xc0) === 0x80) n--;
  return n;
}

export class PcapngWriter {
  private buf = Buffer.allocUnsafe(FLUSH_BYTES * 2);
  private dv = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length);
  private pos = 0;
  /** Interfaces described so far: a record's interface is written before its first packet. */
  private described = 0;
  /** 10^digits for each interface whose timestamps are made from the record's time (pcap). */
  private readonly units: number[] = [];
  /**
   * The records carry their timestamps as the input held them (`tsHigh`, `tsLow`: a pcapng input);
   * else (pcap) they are made from `tsSec` and `tsNsec` in the interface's unit. Known once the
   * input's header is read, before its first record.
   */
  private rawTicks = false;

  constructor(private readonly sink: (bytes: Uint8Array) => void, private readonly source: CaptureSource) {}

  /** The section header: `comment` (the capture's), `application` (shb_userappl). Written first. */
  section(comment: Uint8Array, application: string): void {
    const app = Buffer.from(application, 'utf8');
    const commentLength = optionLength(comment);
    const length = 28 + (commentLength > 0 ? 4 + pad4(commentLength) : 0) + 4 + pad4(app.length) + 4;
    const dv = this.block(SHB_TYPE, length);
    const at = this.pos + 8;
    dv.setUint32(at, BYTE_ORDER_MAGIC, true);
    dv.setUint16(at + 4, 1, true);
    dv.setUint16(at + 6, 0, true);
    // Section length: not given (-1).
    dv.setInt32(at + 8, -1, true);
    dv.setInt32(at + 12, -1, true);
    let p = at + 16;
    if (commentLength > 0) p = this.option(p, OPT_COMMENT, comment, commentLength);
    p = this.option(p, SHB_USERAPPL, app, app.length);
    this.end(this.endOfOptions(p), length);
  }

  /** One record, with `comment` (UTF-8) or none. */
  packet(r: CaptureRecord, comment: Uint8Array | undefined): void {
    if (comment?.length === 0) comment = undefined;
    const iface = r.iface ?? 0;
    while (this.described <= iface) this.describe(this.described++);
    const caplen = r.caplen;
    const commentLength = comment === undefined ? 0 : optionLength(comment);
    const options = comment === undefined ? 0 : 4 + pad4(commentLength) + 4;
    const length = 32 + pad4(caplen) + options;
    const dv = this.block(EPB, length);
    const at = this.pos + 8;
    dv.setUint32(at, iface, true);
    const high = r.tsHigh ?? -1;
    if (this.rawTicks && high >= 0) {
      dv.setUint32(at + 4, high, true);
      dv.setUint32(at + 8, r.tsLow ?? 0, true);
    } else if (this.rawTicks) {
      // A simple packet block has no timestamp: the time teardown gives it, in its interface's ticks.
      const [h, l] = this.ticksOf(iface, r.tsSec, r.tsNsec);
      dv.setUint32(at + 4, h, true);
      dv.setUint32(at + 8, l, true);
    } else {
      this.setDecimalTicks(at + 4, r.tsSec, r.tsNsec, this.units[iface] ?? 1e6);
    }
    dv.setUint32(at + 12, caplen, true);
    dv.setUint32(at + 16, r.origLen, true);
    this.buf.set(r.data, at + 20);
    let p = at + 20 + caplen;
    for (; (p & 3) !== 0; p++) this.buf[p] = 0;
    if (comment !== undefined) p = this.endOfOptions(this.option(p, OPT_COMMENT, comment, commentLength));
    this.end(p, length);
  }

  /**
   * The input's interface statistics as teardown reads them (CaptureInfo): when the capture ended
   * and how many packets it dropped, in all. Written once, after the packets, as one ISB of the
   * first interface, so that an analysis of the copy counts a stuck close to the same end and
   * reports the same drops.
   */
  statistics(info: CaptureInfo): void {
    const { endTime, dropped } = info;
    if ((endTime === undefined && dropped === undefined) || this.source.interfaces.length === 0) return;
    while (this.described === 0) this.describe(this.described++);
    const length = 24 + (endTime !== undefined ? 12 : 0) + (dropped !== undefined ? 12 : 0) + 4;
    const dv = this.block(ISB, length);
    const at = this.pos + 8;
    const [high, low] = endTime === undefined ? [0, 0] : this.ticksOf(0, endTime.sec, endTime.nsec);
    dv.setUint32(at, 0, true);
    dv.setUint32(at + 4, high, true);
    dv.setUint32(at + 8, low, true);
    let p = at + 12;
    if (endTime !== undefined) {
      dv.setUint32(p, ISB_ENDTIME | (8 << 16), true);
      dv.setUint32(p + 4, high, true);
      dv.setUint32(p + 8, low, true);
      p += 12;
    }
    if (dropped !== undefined) {
      dv.setUint32(p, ISB_IFDROP | (8 << 16), true);
      dv.setBigUint64(p + 4, BigInt(dropped), true);
      p += 12;
    }
    this.end(this.endOfOptions(p), length);
  }

  /**
   * A time as ticks of interface `no` (after its if_tsoffset), rounded up so that reading them back
   * (capture/timestamp.ts, which rounds down) gives the same nanosecond where the resolution
   * allows; 0 for a time before the offset, which ticks cannot say.
   */
  private ticksOf(no: number, sec: number, nsec: number): [number, number] {
    const iface = this.source.interfaces[no];
    const resol = iface?.tsresol ?? 6;
    const ns = (BigInt(sec - (iface?.tsoffset ?? 0)) * 1_000_000_000n) + BigInt(nsec);
    if (ns <= 0n) return [0, 0];
    const per = (resol & 0x80) === 0 ? 10n ** BigInt(resol) : 1n << BigInt(resol & 0x7f);
    const ticks = (ns * per + 999_999_999n) / 1_000_000_000n;
    return [Number((ticks >> 32n) & 0xffffffffn), Number(ticks & 0xffffffffn)];
  }

  /** Hands what is left to the sink. */
  flush(): void {
    if (this.pos > 0) this.sink(this.buf.subarray(0, this.pos));
    this.pos = 0;
  }

  /** An IDB for input interface `no`: its link type, snap length, timestamp unit and offset. */
  private describe(no: number): void {
    this.rawTicks = this.source.info?.format === 'pcapng';
    const iface = this.source.interfaces[no] ?? { linkType: 0, snaplen: 0, tsresol: 6, tsoffset: 0 };
    // A pcap input's timestamps are written in its unit (10^-6 or 10^-9 s).
    this.units[no] = 10 ** (iface.tsresol & 0x7f);
    const resol = iface.tsresol !== 6;
    const offset = iface.tsoffset !== 0;
    const length = 20 + (resol ? 8 : 0) + (offset ? 12 : 0) + (resol || offset ? 4 : 0);
    const dv = this.block(IDB, length);
    const at = this.pos + 8;
    dv.setUint16(at, iface.linkType & 0xffff, true);
    dv.setUint16(at + 2, 0, true);
    dv.setUint32(at + 4, iface.snaplen, true);
    let p = at + 8;
    if (resol) {
      dv.setUint32(p, IF_TSRESOL | (1 << 16), true);
      dv.setUint32(p + 4, iface.tsresol, true);
      p += 8;
    }
    if (offset) {
      dv.setUint32(p, IF_TSOFFSET | (8 << 16), true);
      dv.setBigInt64(p + 4, BigInt(iface.tsoffset), true);
      p += 12;
    }
    if (resol || offset) p = this.endOfOptions(p);
    this.end(p, length);
  }

  /**
   * The 64-bit tick count sec·unit + frac (frac: nsec in the unit) as two 32-bit halves at `p`:
   * in doubles whose every value stays below 2^53, so exact (a BigInt a packet cost more).
   */
  private setDecimalTicks(p: number, sec: number, nsec: number, unit: number): void {
    const frac = Math.floor(nsec / (1e9 / unit));
    const secHigh = Math.floor(sec / TWO_16);
    const b = secHigh * unit;
    const a = (sec - secHigh * TWO_16) * unit + frac;
    const bHigh = Math.floor(b / TWO_16);
    const c = (b - bHigh * TWO_16) * TWO_16 + a;
    const carry = Math.floor(c / TWO_32);
    this.dv.setUint32(p, bHigh + carry, true);
    this.dv.setUint32(p + 4, c - carry * TWO_32, true);
  }

  /** Room for a block of `length` bytes at `pos`, its type and leading length written. */
  private block(type: number, length: number): DataView {
    if (this.pos + length > this.buf.length) {
      this.flush();
      if (length > this.buf.length) {
        this.buf = Buffer.allocUnsafe(length);
        this.dv = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length);
      }
    }
    this.dv.setUint32(this.pos, type, true);
    this.dv.setUint32(this.pos + 4, length, true);
    return this.dv;
  }

  /** An option at `p` (code, length, value padded to 4 bytes); returns where the next goes. */
  private option(p: number, code: number, value: Uint8Array, length: number): number {
    this.dv.setUint16(p, code, true);
    this.dv.setUint16(p + 2, length, true);
    this.buf.set(value.subarray(0, length), p + 4);
    let end = p + 4 + length;
    for (; (end & 3) !== 0; end++) this.buf[end] = 0;
    return end;
  }

  private endOfOptions(p: number): number {
    this.dv.setUint32(p, 0, true);
    return p + 4;
  }

  /** Closes the block that started at `pos`, whose body ended at `p`, with its trailing length. */
  private end(p: number, length: number): void {
    this.dv.setUint32(p, length, true);
    this.pos += length;
    if (this.pos >= FLUSH_BYTES) this.flush();
  }
}
