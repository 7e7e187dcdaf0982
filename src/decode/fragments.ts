/**
 * IP fragment reassembly (docs/contract.md, "Fragments"): IPv4 (RFC 791 §3.2) and IPv6 (RFC 8200
 * §4.5) fragments are held, copied, until their datagram is whole, which is then decoded as if it
 * had come in one piece, in the record of the fragment that completed it (as tshark shows it).
 * Only fragments are copied: a whole packet never comes here.
 *
 * Memory is bounded: at most MAX_DATAGRAMS datagrams and MAX_BYTES bytes are held (the oldest
 * datagram goes first), and a datagram not whole within its timeout of capture time (IPv4 30 s,
 * Linux's ipfrag_time; IPv6 60 s, RFC 8200 §4.5) is dropped. Overlaps: a fragment that repeats
 * one already held exactly (a capture's duplicate) is ignored; any other overlap drops the whole
 * datagram, for IPv6 as RFC 5722 demands and for IPv4 as Linux has done since 4.19.
 */
import { u16, u32, u8 } from './bytes.js';
import type { Frame } from './frame.js';
import { ipv6Text } from './ip.js';

export const MAX_DATAGRAMS = 256;
export const MAX_BYTES = 4 << 20;
const TIMEOUT_V4_S = 30;
const TIMEOUT_V6_S = 60;
const MAX_DATAGRAM_PAYLOAD = 65535;

interface Piece {
  offset: number;
  data: Uint8Array;
}

interface Datagram {
  version: 4 | 6;
  firstSec: number;
  /** The header as the first fragment (offset 0) gave it, up to the fragmentable part; fixed up when whole. */
  header: Uint8Array | undefined;
  /** IPv6: where, in `header`, the Next Header field that named the fragment header is; and what follows it. */
  nextHeaderAt: number;
  nextHeader: number;
  pieces: Piece[];
  /** The payload's length, once the last fragment (no more fragments) came; -1 before. */
  total: number;
  held: number;
}

export class Reassembler {
  private readonly open = new Map<string, Datagram>();
  private held = 0;
  private lastSweep = 0;
  /** Datagrams made whole, and fragments dropped (overlap, timeout, a limit, a malformed one, left at the end). */
  reassembled = 0;
  dropped = 0;

  /**
   * Takes the fragment the IP layer found in `f` (its header at `f.ipAt`, its payload or IPv6
   * fragment header at `f.tcpAt`). Returns the whole datagram when this fragment completed it
   * (bytes of its own, the IP header at 0), else undefined.
   */
  add(f: Frame, sec: number): Uint8Array | undefined {
    if (sec - this.lastSweep >= 1) this.sweep(sec);
    const d = f.bytes;
    const o = f.ipAt;
    let key: string;
    let offset: number;
    let more: boolean;
    let from: number;
    let len: number;
    if (f.ipVersion === 4) {
      const frag = u16(d, o + 6);
      offset = (frag & 0x1fff) * 8;
      more = (frag & 0x2000) !== 0;
      from = f.tcpAt;
      len = f.tcpLength;
      key = `4 ${u32(d, o + 12)} ${u32(d, o + 16)} ${u16(d, o + 4)} ${u8(d, o + 9)}`;
    } else {
      const at = f.tcpAt;
      if (at + 8 > f.end) return this.drop(1);
      const frag = u16(d, at + 2);
      offset = frag & 0xfff8;
      more = (frag & 1) !== 0;
      from = at + 8;
      len = f.tcpLength - 8;
      key = `6 ${ipv6Text(d, o + 8)} ${ipv6Text(d, o + 24)} ${u32(d, at + 4)}`;
    }
    // A fragment cut by the capture, of no length, or not in 8-byte units before the last cannot be placed.
    if (len <= 0 || from + len > f.end || (more && len % 8 !== 0) || offset + len > MAX_DATAGRAM_PAYLOAD) return this.drop(1);
    let g = this.open.get(key);
    if (g === undefined) {
      this.makeRoom(len);
      g = { version: f.ipVersion, firstSec: sec, header: undefined, nextHeaderAt: 0, nextHeader: 0, pieces: [], total: -1, held: 0 };
      this.open.set(key, g);
    }
    for (const p of g.pieces) {
      const end = p.offset + p.data.length;
      if (offset + len <= p.offset || offset >= end) continue;
      if (offset === p.offset && len === p.data.length) return undefined;
      return this.discard(key, g, 1);
    }
    if (!more) {
      if (g.total !== -1 && g.total !== offset + len) return this.discard(key, g, 1);
      // A piece held from before, beyond the end the last fragment gives, is as bad as one after it.
      for (const p of g.pieces) if (p.offset + p.data.length > offset + len) return this.discard(key, g, 1);
      g.total = offset + len;
    }
    if (g.total !== -1 && offset + len > g.total) return this.discard(key, g, 1);
    if (offset === 0) this.keepHeader(g, f);
    g.pieces.push({ offset, data: d.slice(from, from + len) });
    g.held += len;
    this.held += len;
    return this.whole(key, g);
  }

  /** End of the capture: what is still held never became whole. */
  finish(): void {
    for (const [key, g] of this.open) this.discard(key, g, 0);
  }

  private keepHeader(g: Datagram, f: Frame): void {
    const d = f.bytes;
    const o = f.ipAt;
    if (g.version === 4) {
      g.header = d.slice(o, f.tcpAt);
      return;
    }
    const at = f.tcpAt;
    g.header = d.slice(o, at);
    g.nextHeader = u8(d, at);
    // The Next Header field that names the fragment header: the IPv6 header's, or the last extension header's.
    let field = 6;
    let next = u8(d, o + 6);
    let pos = o + 40;
    while (pos < at) {
      field = pos - o;
      const len = next === 51 ? (u8(d, pos + 1) + 2) * 4 : (u8(d, pos + 1) + 1) * 8;
      next = u8(d, pos);
      pos += len;
    }
    g.nextHeaderAt = field;
  }

  /** The datagram, when its pieces cover it from 0 to its end. */
  private whole(key: string, g: Datagram): Uint8Array | undefined {
    const header = g.header;
    if (g.total === -1 || header === undefined) return undefined;
    let covered = 0;
    for (const p of g.pieces) covered += p.data.length;
    if (covered !== g.total) return undefined;
    const out = new Uint8Array(header.length + g.total);
    out.set(header, 0);
    for (const p of g.pieces) out.set(p.data, header.length + p.offset);
    const view = new DataView(out.buffer);
    if (g.version === 4) {
      view.setUint16(2, Math.min(0xffff, out.length));
      view.setUint16(6, 0);
    } else {
      view.setUint16(4, out.length - 40);
      out[g.nextHeaderAt] = g.nextHeader;
    }
    this.open.delete(key);
    this.held -= g.held;
    this.reassembled++;
    return out;
  }

  private drop(count: number): undefined {
    this.dropped += count;
    return undefined;
  }

  /** Forgets a datagram, its held fragments and `more` others counted as dropped. */
  private discard(key: string, g: Datagram, more: number): undefined {
    this.open.delete(key);
    this.held -= g.held;
    return this.drop(g.pieces.length + more);
  }

  /** Drops the oldest datagrams until one more, and `len` more bytes, fit the limits. */
  private makeRoom(len: number): void {
    for (const [key, g] of this.open) {
      if (this.open.size < MAX_DATAGRAMS && this.held + len <= MAX_BYTES) return;
      this.discard(key, g, 0);
    }
  }

  /** Drops the datagrams past their timeout (capture time). */
  private sweep(sec: number): void {
    this.lastSweep = sec;
    for (const [key, g] of this.open) {
      if (sec - g.firstSec > (g.version === 4 ? TIMEOUT_V4_S : TIMEOUT_V6_S)) this.discard(key, g, 0);
    }
  }
}
