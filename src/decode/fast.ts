/**
 * The decoding stage's fast path, for reading millions of records: the common shapes (Ethernet,
 * Linux cooked v1/v2 or raw IP; IPv4, or IPv6 without extension headers; TCP) are decoded with
 * offsets into the record's bytes, into one segment object reused from record to record. Anything
 * else, and any record that fails a bounds check, goes through the full decoder (decode.ts), so
 * both paths give the same answer by construction: the fast path only accepts what the full one
 * would accept, and reads the same fields.
 */
import type { CaptureRecord } from '../capture/record.js';
import { decode } from './decode.js';
import { ipv4Text, ipv6Text } from './ip.js';
import type { SkipReason, TcpOption, TcpSegment } from './segment.js';
import { decodeOptions } from './tcp.js';

const NO_BYTES = new Uint8Array(0);

/**
 * A TcpSegment whose addresses and options are read from the record's bytes only when asked for,
 * and then once. It reads `data`, a view into the reader's buffer: use it (and read `src`, `dst`,
 * `options`) only during the record's callback, and copy what must outlive it.
 */
export class DecodedSegment implements TcpSegment {
  no = 0;
  tsSec = 0;
  tsNsec = 0;
  ipVersion: 4 | 6 = 4;
  srcV4: number | undefined = 0;
  dstV4: number | undefined = 0;
  srcPort = 0;
  dstPort = 0;
  seq = 0;
  ack = 0;
  flags = 0;
  window = 0;
  urgent = 0;
  payloadLen = 0;
  private data: Uint8Array = NO_BYTES;
  private srcAt = 0;
  private dstAt = 0;
  private optFrom = 0;
  private optEnd = 0;
  private srcText: string | undefined;
  private dstText: string | undefined;
  private opts: TcpOption[] | undefined;

  get src(): string {
    return (this.srcText ??= this.ipVersion === 4 ? ipv4Text(this.data, this.srcAt) : ipv6Text(this.data, this.srcAt));
  }

  get dst(): string {
    return (this.dstText ??= this.ipVersion === 4 ? ipv4Text(this.data, this.dstAt) : ipv6Text(this.data, this.dstAt));
  }

  get options(): TcpOption[] {
    return (this.opts ??= this.optEnd > this.optFrom ? decodeOptions(this.data, this.optFrom, this.optEnd) : []);
  }

  /** Points the segment at a new record (the fast path's fields are set by the caller). */
  reset(data: Uint8Array, srcAt: number, dstAt: number, optFrom: number, optEnd: number): void {
    // Like RecordView.place: a new buffer comes with a chunk, not with each record.
    if (data !== this.data) this.data = data;
    this.srcAt = srcAt;
    this.dstAt = dstAt;
    this.optFrom = optFrom;
    this.optEnd = optEnd;
    this.srcText = undefined;
    this.dstText = undefined;
    this.opts = undefined;
  }

  /** Takes a segment the full decoder made (the slow path). */
  copy(s: TcpSegment): void {
    this.reset(NO_BYTES, 0, 0, 0, 0);
    this.no = s.no;
    this.tsSec = s.tsSec;
    this.tsNsec = s.tsNsec;
    this.ipVersion = s.ipVersion;
    this.srcText = s.src;
    this.dstText = s.dst;
    this.srcV4 = s.ipVersion === 4 ? ipv4Number(s.src) : undefined;
    this.dstV4 = s.ipVersion === 4 ? ipv4Number(s.dst) : undefined;
    this.srcPort = s.srcPort;
    this.dstPort = s.dstPort;
    this.seq = s.seq;
    this.ack = s.ack;
    this.flags = s.flags;
    this.window = s.window;
    this.urgent = s.urgent;
    this.payloadLen = s.payloadLen;
    this.opts = s.options;
  }
}

/** A dotted quad as the signed 32-bit integer the fast path keeps. */
function ipv4Number(text: string): number {
  let n = 0;
  for (const part of text.split('.')) n = (n << 8) | Number(part);
  return n | 0;
}

/**
 * Decodes records into one reused DecodedSegment. `decode` returns undefined when the record is a
 * TCP segment (now in `segment`), else the reason it is not one.
 */
export class SegmentDecoder {
  readonly segment = new DecodedSegment();
  /**
   * A DataView over the buffer the last record lay in, made again only when the buffer changes (a
   * chunk, not a record): a big-endian field is one read through it rather than a byte at a time.
   */
  private viewed: Uint8Array = NO_BYTES;
  private view: DataView = new DataView(NO_BYTES.buffer);

  decode(r: CaptureRecord): SkipReason | undefined {
    if (this.fast(r)) return undefined;
    const d = decode(r);
    if (d.kind !== 'tcp') return d.reason;
    this.segment.copy(d.segment);
    return undefined;
  }

  /**
   * The common shapes only; false sends the record to the full decoder. Offsets are positions in
   * the reader's buffer when the record gives one (`bytes`, `at`), else in `data`; every read is
   * checked against `end`, the end of the record's captured bytes (never past the buffer's, so no
   * read through the DataView throws).
   */
  private fast(r: CaptureRecord): boolean {
    const bytes = r.bytes;
    const d = bytes ?? r.data;
    if (d !== this.viewed) {
      this.viewed = d;
      this.view = new DataView(d.buffer, d.byteOffset, d.byteLength);
    }
    if (bytes === undefined) return this.link(r, d, 0, d.length);
    const at = r.at ?? 0;
    return this.link(r, d, at, Math.min(at + r.caplen, d.length));
  }

  private link(r: CaptureRecord, d: Uint8Array, at: number, end: number): boolean {
    const v = this.view;
    const len = end - at;
    let ip: number;
    let version: number;
    switch (r.linkType) {
      case 1: // Ethernet without VLAN tags
        if (len < 14) return false;
        ip = at + 14;
        version = etherVersion(v.getUint16(at + 12));
        break;
      case 113: // Linux cooked
        if (len < 16) return false;
        ip = at + 16;
        version = etherVersion(v.getUint16(at + 14));
        break;
      case 276: // Linux cooked v2
        if (len < 20) return false;
        ip = at + 20;
        version = etherVersion(v.getUint16(at));
        break;
      case 101: case 12: case 14: // raw IP: the version nibble decides
        if (len < 1) return false;
        ip = at;
        version = v.getUint8(at) >> 4;
        break;
      default:
        return false;
    }
    if (version === 4) return this.ipv4(r, d, ip, end);
    if (version === 6) return this.ipv6(r, d, ip, end);
    return false;
  }

  /** decodeIpv4's checks in its order; a fragment, another protocol or a failed check: slow path. */
  private ipv4(r: CaptureRecord, d: Uint8Array, o: number, end: number): boolean {
    const v = this.view;
    if (end - o < 20) return false;
    const versionAndLength = v.getUint8(o);
    if (versionAndLength >> 4 !== 4) return false;
    const headerLen = (versionAndLength & 0x0f) * 4;
    if (headerLen < 20 || end - o < headerLen) return false;
    let totalLen = v.getUint16(o + 2);
    if (totalLen === 0) totalLen = end - o;
    if (totalLen < headerLen || (v.getUint16(o + 6) & 0x3fff) !== 0 || v.getUint8(o + 9) !== 6) return false;
    if (!this.tcp(r, d, end, o + headerLen, totalLen - headerLen, o + 12, o + 16)) return false;
    const s = this.segment;
    s.ipVersion = 4;
    s.srcV4 = v.getInt32(o + 12);
    s.dstV4 = v.getInt32(o + 16);
    return true;
  }

  /** IPv6 whose next header is TCP itself; extension headers take the slow path. */
  private ipv6(r: CaptureRecord, d: Uint8Array, o: number, end: number): boolean {
    const v = this.view;
    if (end - o < 40 || v.getUint8(o) >> 4 !== 6 || v.getUint8(o + 6) !== 6) return false;
    const payloadLen = v.getUint16(o + 4);
    const pos = o + 40;
    if (!this.tcp(r, d, end, pos, payloadLen === 0 ? end - pos : payloadLen, o + 8, o + 24)) return false;
    const s = this.segment;
    s.ipVersion = 6;
    s.srcV4 = undefined;
    s.dstV4 = undefined;
    return true;
  }

  /** decodeTcp's checks and fields, written into the segment. */
  private tcp(r: CaptureRecord, d: Uint8Array, end: number, o: number, l4Length: number, srcAt: number, dstAt: number): boolean {
    const v = this.view;
    if (end - o < 20) return false;
    // Data offset (4 bits), reserved (3), flags (9): RFC 9293 §3.1.
    const offsetAndFlags = v.getUint16(o + 12);
    const headerLen = (offsetAndFlags >> 12) * 4;
    if (headerLen < 20 || headerLen > l4Length) return false;
    const s = this.segment;
    s.reset(d, srcAt, dstAt, o + 20, headerLen > 20 ? Math.min(o + headerLen, end) : 0);
    s.no = r.no;
    s.tsSec = r.tsSec;
    s.tsNsec = r.tsNsec;
    const ports = v.getUint32(o);
    s.srcPort = ports >>> 16;
    s.dstPort = ports & 0xffff;
    s.seq = v.getUint32(o + 4);
    s.ack = v.getUint32(o + 8);
    s.flags = offsetAndFlags & 0x1ff;
    s.window = v.getUint16(o + 14);
    s.urgent = v.getUint16(o + 18);
    s.payloadLen = l4Length - headerLen;
    return true;
  }
}

/** IP version an EtherType names (0: anything else, left to the full decoder). */
function etherVersion(type: number): number {
  return type === 0x0800 ? 4 : type === 0x86dd ? 6 : 0;
}
