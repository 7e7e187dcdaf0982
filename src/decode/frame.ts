/**
 * The record being decoded, as the layers hand it down: its bytes, and what each layer found for
 * the next (link → IP → TCP). One Frame is reused from record to record, so decoding a record
 * allocates nothing; a layer that refuses the record returns a skip code (skips.ts) and leaves
 * the numbers its message names in `a` and `b`.
 */
import type { CaptureRecord } from '../capture/record.js';

const NO_BYTES = new Uint8Array(0);

export class Frame {
  /**
   * The buffer the record lies in (the reader's, when the record gives one: `bytes`), and a
   * DataView over it, made again only when the buffer changes (a chunk, not a record): a
   * big-endian field is one read through it rather than a byte at a time.
   */
  bytes: Uint8Array = NO_BYTES;
  view: DataView = new DataView(NO_BYTES.buffer);
  /**
   * Where the record's captured bytes start and end in `bytes`. Every read is checked against
   * `end` first, and `end` never passes the buffer's, so no read through the DataView throws.
   */
  at = 0;
  end = 0;
  /** Where the record ended on the wire (its original length; never before `end`): a header may claim more. */
  wireEnd = 0;
  /** Link layer: where the IP header starts, and the version the link layer announced (0: read the nibble). */
  ipAt = 0;
  linkVersion: 0 | 4 | 6 = 0;
  /** IP layer: the version, where the addresses are, and the TCP header and its length by the IP header. */
  ipVersion: 4 | 6 = 4;
  srcAt = 0;
  dstAt = 0;
  tcpAt = 0;
  tcpLength = 0;
  /** A first IPv4 fragment the capture cut, read as TCP (ip.ts): tshark measures no segment in it. */
  firstFragment = false;
  /** TCP layer: the option bytes (optEnd 0: none). */
  optFrom = 0;
  optEnd = 0;
  /**
   * Tunnel layer (tunnel.ts): the innermost tunnel opened so far (0: none, else its TUNNEL_TYPES
   * index + 1), its id (VNI, key, TEID; -1: none), and the outer IP header's addresses, in the
   * buffer they were read from (a reassembled datagram's may not be the record's).
   */
  viaType = 0;
  viaId = -1;
  viaVersion: 4 | 6 = 4;
  viaBytes: Uint8Array = NO_BYTES;
  viaSrcAt = 0;
  viaDstAt = 0;
  /** The numbers a skip's message names (a length, an EtherType), read only when the message is. */
  a = 0;
  b = 0;

  /** Points the frame at a record's bytes. */
  point(r: CaptureRecord): void {
    const bytes = r.bytes;
    const d = bytes ?? r.data;
    this.viaType = 0;
    if (d !== this.bytes) {
      this.bytes = d;
      this.view = new DataView(d.buffer, d.byteOffset, d.byteLength);
    }
    if (bytes === undefined) {
      this.at = 0;
      this.end = d.length;
      this.wireEnd = Math.max(this.end, r.origLen);
      return;
    }
    const at = r.at ?? 0;
    this.at = at;
    this.end = Math.min(at + r.caplen, d.length);
    this.wireEnd = Math.max(this.end, at + r.origLen);
  }

  /** Points the frame at bytes of its own (a reassembled datagram), the IP header at 0. */
  pointAtDatagram(d: Uint8Array): void {
    this.bytes = d;
    this.view = new DataView(d.buffer, d.byteOffset, d.byteLength);
    this.at = 0;
    this.end = d.length;
    this.wireEnd = d.length;
    this.ipAt = 0;
    this.linkVersion = 0;
  }

  /** Records the numbers a skip's message names; returns the skip code, for `return f.skip(...)`. */
  skip<C extends string>(code: C, a: number, b = 0): C {
    this.a = a;
    this.b = b;
    return code;
  }
}
